"""Scoring of fact-check matching as in CLEF CheckThat! 2020 Task 2.

AP@k of a query = (1 / |relevant|) * sum over ranks i <= k holding a relevant claim of precision@i;
MAP@k is its mean over the queries of the gold file (a query missing from the run scores 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

CUTOFFS = (1, 3, 5, 10, 20)


def average_precision(relevant: set[str], ranked: Sequence[str], k: int) -> float:
    """AP@k with the CheckThat! 2020 normalisation by the number of relevant claims."""
    hits, total = 0, 0.0
    for i, vid in enumerate(ranked[:k], start=1):
        if vid in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def map_at(qrels: Mapping[str, set[str]], run: Mapping[str, Sequence[str]], k: int) -> float:
    """MAP@k over the queries of ``qrels``."""
    if not qrels:
        return 0.0
    return sum(average_precision(rel, run.get(q, []), k) for q, rel in qrels.items()) / len(qrels)


def scores(qrels: Mapping[str, set[str]], run: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """MAP@k for every cutoff in :data:`CUTOFFS`."""
    return {f"MAP@{k}": map_at(qrels, run, k) for k in CUTOFFS}


def checkthat_dir() -> Path:
    """The CheckThat! 2020 Task 2 English folder in ``../shared/data`` (beside the working directory's
    parent, else beside the source checkout)."""
    name = Path("shared") / "data" / "checkthat2020-claim-retrieval-en"
    candidates = [Path.cwd().parent / name, Path(__file__).resolve().parents[3].parent / name]
    return next((c for c in candidates if c.is_dir()), candidates[-1])

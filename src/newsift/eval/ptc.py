"""Scorers of SemEval-2020 Task 11 (Da San Martino et al., 2020), implemented here.

Span identification (SI). With predicted spans S and gold spans T (overlapping spans of one article
merged first; a span is the set of its character offsets)::

    P = (1/|S|) Σ_{s∈S} Σ_{t∈T} |s ∩ t| / |s|
    R = (1/|T|) Σ_{s∈S} Σ_{t∈T} |s ∩ t| / |t|
    F1 = 2PR / (P + R)

Only spans of the same article intersect. Technique classification (TC): the gold spans are given and
each prediction is ``(article, start, end, technique)``; micro-F1 counts a prediction correct when the
same span carries that technique in the gold (a span listed k times in the gold can be right k times).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

Span = tuple[str, int, int]  # article id, start, end
Labelled = tuple[str, int, int, str]  # article id, start, end, technique


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1)


def merge_overlapping(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of intervals ``[start, end)``: overlapping ones merged, empty ones dropped."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _by_article(spans: Iterable[Span]) -> dict[str, list[tuple[int, int]]]:
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for article, start, end in spans:
        grouped[article].append((start, end))
    return {a: merge_overlapping(s) for a, s in grouped.items()}


def si_scores(predicted: Iterable[Span], gold: Iterable[Span]) -> PRF:
    """Official SI precision, recall and F1 (character-overlap credit; see the module docstring)."""
    pred, ref = _by_article(predicted), _by_article(gold)
    n_pred = sum(len(s) for s in pred.values())
    n_gold = sum(len(s) for s in ref.values())
    p_sum = r_sum = 0.0
    for article, spans in pred.items():
        for s0, s1 in spans:
            for t0, t1 in ref.get(article, []):
                overlap = min(s1, t1) - max(s0, t0)
                if overlap > 0:
                    p_sum += overlap / (s1 - s0)
                    r_sum += overlap / (t1 - t0)
    return PRF.of(p_sum / n_pred if n_pred else 0.0, r_sum / n_gold if n_gold else 0.0)


def tc_scores(predicted: Iterable[Labelled], gold: Iterable[Labelled]) -> PRF:
    """TC micro precision, recall and F1 over (span, technique) pairs."""
    pred, ref = Counter(predicted), Counter(gold)
    correct = sum((pred & ref).values())
    n_pred, n_gold = sum(pred.values()), sum(ref.values())
    return PRF.of(correct / n_pred if n_pred else 0.0, correct / n_gold if n_gold else 0.0)


def tc_per_technique(predicted: Iterable[Labelled], gold: Iterable[Labelled]) -> dict[str, PRF]:
    """TC precision, recall and F1 of each technique."""
    pred, ref = Counter(predicted), Counter(gold)
    out = {}
    for tech in sorted({k[3] for k in ref} | {k[3] for k in pred}):
        p = Counter({k: v for k, v in pred.items() if k[3] == tech})
        g = Counter({k: v for k, v in ref.items() if k[3] == tech})
        correct = sum((p & g).values())
        out[tech] = PRF.of(correct / sum(p.values()) if p else 0.0, correct / sum(g.values()) if g else 0.0)
    return out

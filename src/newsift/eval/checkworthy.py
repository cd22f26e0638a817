"""Check-worthiness scoring on CheckThat! 2024: precision, recall and F1 of the Yes class."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsift.attribution.corpora import CheckworthyRow


def prf(predicted: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class: ``P = tp/(tp+fp)``, ``R = tp/(tp+fn)``,
    ``F1 = 2PR/(P+R)`` (0 where a denominator is 0)."""
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores: Sequence[float], gold: Sequence[bool]) -> tuple[float, float]:
    """The score threshold (midpoint between neighbouring scores) with the highest F1, and that F1."""
    ordered = sorted(set(scores))
    cuts = [(a + b) / 2 for a, b in zip(ordered, ordered[1:], strict=False)] or [0.5]
    best = max(cuts, key=lambda t: (prf([s >= t for s in scores], gold)[2], -abs(t - 0.5)))
    return best, prf([s >= best for s in scores], gold)[2]


@dataclass(frozen=True)
class CheckworthyScores:
    n: int
    precision: float
    recall: float
    f1: float

    def lines(self) -> list[str]:
        return [f"sentences: {self.n}", f"Yes precision: {self.precision:.4f}",
                f"Yes recall:    {self.recall:.4f}", f"Yes F1:        {self.f1:.4f}"]


def evaluate(rows: Sequence[CheckworthyRow]) -> CheckworthyScores:
    """Score the committed model on labelled rows."""
    from newsift.attribution.checkworthy import load_model

    model = load_model()
    p, r, f = prf([model.is_checkworthy(row.text) for row in rows], [row.label == "Yes" for row in rows])
    return CheckworthyScores(len(rows), p, r, f)

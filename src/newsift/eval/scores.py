"""What the scorers share: loading a JSONL set and the mention counts (dates, places); pairwise scores
(rewrite and claim clusters)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path


def load_jsonl(path: str | Path | None, shipped: str) -> list[dict]:
    """The items of a JSONL evaluation set: ``path``, or the shipped ``data/eval/<shipped>``."""
    source = Path(path) if path else files("newsift") / "data" / "eval" / shipped
    return [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class MentionScores:
    """Expected mentions found and correct, predicted mentions matching an expected one, and the misses."""

    expected: int = 0
    found: int = 0
    correct: int = 0
    predicted: int = 0
    matched_predictions: int = 0
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def line(name: str, part: int, whole: int) -> str:
        """``name: part/whole`` as a rate and a fraction."""
        return f"{name + ':':<19}{part / whole if whole else 0.0:.3f} ({part}/{whole})"


@dataclass
class PairScores:
    """Pairwise scores: predicted pairs, true pairs, predicted pairs that are true, true pairs predicted."""

    predicted: int
    true: int
    correct_predicted: int
    found_true: int

    @classmethod
    def of(cls, predicted: set[frozenset], true: set[frozenset]) -> PairScores:
        """The scores of a set of predicted pairs against the set of true pairs."""
        both = len(predicted & true)
        return cls(len(predicted), len(true), both, both)

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found_true / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

"""What the mention-level scorers (dates, places) share: loading a set and the counts."""

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

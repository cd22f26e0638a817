"""Score the dates layer on the project's annotated set ``data/eval/dates.jsonl``.

Each item is a sentence with its publication date (or null) and the date expressions an annotator marked,
with the value they denote (null when none can be given). An expected expression is *found* when a
predicted mention overlaps it, and *correct* when that mention's value equals the expected one.
Scores: found / expected (recall), correct / expected (accuracy), and predicted mentions overlapping an
expected expression / predicted mentions (precision).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsift.analyze.dates import DateHit, find_dates
from newsift.eval.scores import MentionScores, load_jsonl

DEFAULT_SET = "dates.jsonl"


class DateScores(MentionScores):
    def lines(self) -> list[str]:
        return [
            f"{'date expressions:':<19}{self.expected}",
            self.line("recall (found)", self.found, self.expected),
            self.line("value accuracy", self.correct, self.expected),
            self.line("precision", self.matched_predictions, self.predicted),
        ]


def load_items(path: str | Path | None = None) -> list[dict]:
    """The items of an evaluation set (the shipped one by default)."""
    return load_jsonl(path, DEFAULT_SET)


def _overlapping(hits: list[DateHit], start: int, end: int) -> DateHit | None:
    return next((h for h in hits if h.start < end and start < h.end), None)


def score(items: list[dict]) -> DateScores:
    scores = DateScores()
    for item in items:
        text = item["text"]
        published = date.fromisoformat(item["published"]) if item["published"] else None
        hits = find_dates(text, published)
        spans = []
        for exp in item["dates"]:
            start = text.index(exp["text"])
            spans.append((start, start + len(exp["text"])))
            hit = _overlapping(hits, *spans[-1])
            scores.expected += 1
            scores.found += hit is not None
            if hit is not None and hit.value == exp["value"]:
                scores.correct += 1
            else:
                got = "nothing" if hit is None else f"{text[hit.start:hit.end]!r} = {hit.value}"
                scores.errors.append(f"{exp['text']!r}: expected {exp['value']}, got {got} | {text}")
        scores.predicted += len(hits)
        scores.matched_predictions += sum(any(h.start < e and s < h.end for s, e in spans) for h in hits)
        scores.errors.extend(f"extra {text[h.start:h.end]!r} | {text}" for h in hits
                             if not any(h.start < e and s < h.end for s, e in spans))
    return scores

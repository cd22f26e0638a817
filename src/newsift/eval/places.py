"""Score the entities and places layers on the project's annotated set ``data/eval/places.jsonl``.

Each item is a news sentence with its place mentions; the annotator gave each mention's referent (country,
kind, and the first-level region where a country has several namesakes), from which the GeoNames id was
looked up once. The k-th expected mention of a name is the k-th occurrence of that text in the sentence.
A mention is *found* when a place entity has a mention overlapping it and the gazetteer resolved that
entity, and *correct* when the resolved GeoNames id is the expected one. Scores: found / expected,
correct / expected (accuracy), correct / found (disambiguation accuracy), and predicted place mentions
overlapping an expected mention / predicted place mentions (precision).
"""

from __future__ import annotations

import re
from pathlib import Path

from newsift.document import Document
from newsift.eval.english import english_document
from newsift.eval.scores import MentionScores, load_jsonl

DEFAULT_SET = "places.jsonl"


class PlaceScores(MentionScores):
    def lines(self) -> list[str]:
        return [
            f"{'place mentions:':<19}{self.expected}",
            self.line("found", self.found, self.expected),
            self.line("accuracy (id)", self.correct, self.expected),
            self.line("id when found", self.correct, self.found),
            self.line("precision", self.matched_predictions, self.predicted),
        ]


def load_items(path: str | Path | None = None) -> list[dict]:
    """The items of an evaluation set (the shipped one by default)."""
    return load_jsonl(path, DEFAULT_SET)


def expected_spans(text: str, places: list[dict]) -> list[tuple[int, int, dict]]:
    """Each expected mention with its offsets (the k-th occurrence for the k-th mention of a name)."""
    seen: dict[str, int] = {}
    out = []
    for place in places:
        pattern = re.compile(r"(?<!\w)" + re.escape(place["text"]) + r"(?!\w)")
        hit = pattern.search(text, seen.get(place["text"], 0))
        if hit is None:
            raise ValueError(f"{place['text']!r} is not in {text!r}")
        seen[place["text"]] = hit.end()
        out.append((hit.start(), hit.end(), place))
    return out


def predicted_places(doc: Document) -> list[tuple[int, int, int | None, str]]:
    """(start, end, GeoNames id, name) for every mention of every geocoded entity."""
    by_entity = {p.entity: p for p in doc.places}
    return [(m.start, m.end, by_entity[e.id].geonames_id, by_entity[e.id].name)
            for e in doc.entities if e.id in by_entity for m in e.mentions]


def score_doc(doc: Document, places: list[dict], scores: PlaceScores) -> None:
    predicted = predicted_places(doc)
    expected = expected_spans(doc.text, places)
    for start, end, exp in expected:
        hit = next((p for p in predicted if p[0] < end and start < p[1]), None)
        scores.expected += 1
        scores.found += hit is not None
        if hit is not None and hit[2] == exp["geonames_id"]:
            scores.correct += 1
        else:
            got = "nothing" if hit is None else f"{hit[3]} ({hit[2]})"
            scores.errors.append(f"{exp['text']!r}: expected {exp['gazetteer_name']} {exp['country']} "
                                 f"({exp['geonames_id']}), got {got} | {doc.text}")
    for p in predicted:
        scores.predicted += 1
        if any(p[0] < e and s < p[1] for s, e, _ in expected):
            scores.matched_predictions += 1
        else:
            scores.errors.append(f"extra {doc.text[p[0]:p[1]]!r} → {p[3]} | {doc.text}")


def score(items: list[dict]) -> PlaceScores:
    from newsift.analyze.entities import EntityAnalyzer
    from newsift.analyze.places import PlaceAnalyzer

    scores = PlaceScores()
    for item in items:
        doc = english_document(item["text"])
        EntityAnalyzer()(doc)
        PlaceAnalyzer()(doc)
        score_doc(doc, item["places"], scores)
    return scores

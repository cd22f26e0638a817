"""The claims layer: check-worthy statements, each with who is said to make it and how firmly.

Every line of every sentence (a sentence the parser ran across a line break counts as one unit per line)
gets a check-worthiness from :mod:`newsift.attribution.checkworthy`; units at or above the model's threshold
are claims. A claim links to the attribution whose content overlaps it most; its ``sourcing`` is
``named`` when that attribution's source is named, ``anonymous`` when it has an unnamed source, and
``unattributed`` when no attribution (or one with no source) covers it. Its hedges are the hedges inside it
plus those of its attribution.
"""

from __future__ import annotations

import re

from newsift import report as R
from newsift.attribution.checkworthy import load_model
from newsift.attribution.extract import DATELINE
from newsift.attribution.hedges import hedge_spans
from newsift.document import Document

MIN_WORDS = 4
MAX_UNIT_CHARS = 3000  # longer "sentences" are unpunctuated runs, not statements
_LINE = re.compile(r"[^\n]+")
_BULLET = re.compile(r"(?:[-–•*▪●]|\d{1,2}[.)])[ \t]+")


def statement(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without its edge white space, a dateline that opens it ("MILAN, Oct. 14 —") or a list
    item's bullet or number; empty (start == end) when that is all there is."""
    while start < end and text[start].isspace():
        start += 1
    if dateline := DATELINE.match(text, start, end):
        start = dateline.end()
    if bullet := _BULLET.match(text, start, end):
        start = bullet.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def units(doc: Document) -> list[tuple[int, int]]:
    """Sentence lines as statements (:func:`statement`), with at least ``MIN_WORDS`` words and at most
    ``MAX_UNIT_CHARS`` characters."""
    out = []
    for start, end in doc.sentences:
        for m in _LINE.finditer(doc.text, start, end):
            s, e = statement(doc.text, m.start(), m.end())
            if e - s <= MAX_UNIT_CHARS and len(doc.text[s:e].split()) >= MIN_WORDS:
                out.append((s, e))
    return out


def sourcing(attribution: R.Attribution | None, sources: dict[str, R.Source]) -> str:
    """How a claim is sourced, from the attribution it rests on (see the module docstring)."""
    source = sources.get(attribution.source) if attribution is not None and attribution.source else None
    if source is None:
        return "unattributed"
    return "named" if source.named else "anonymous"


def _best_attribution(doc: Document, start: int, end: int) -> R.Attribution | None:
    def overlap(a: R.Attribution) -> int:
        return max(0, min(end, a.content.end) - max(start, a.content.start))
    best = max(doc.attributions, key=overlap, default=None)
    return best if best is not None and overlap(best) > 0 else None


class ClaimAnalyzer:
    layer = "claims"
    english_only = True

    def __call__(self, doc: Document) -> None:
        model = load_model()
        sources = {s.id: s for s in doc.sources}
        hedges = hedge_spans(doc.text)
        claims = []
        for start, end in units(doc):
            score = model.score(doc.text[start:end])
            if score < model.threshold:
                continue
            attribution = _best_attribution(doc, start, end)
            own = [doc.span(h0, h1) for h0, h1 in hedges if start <= h0 and h1 <= end]
            inherited = [h for h in (attribution.hedges if attribution else []) if h not in own]
            claims.append(R.Claim(
                id=f"c{len(claims) + 1}", start=start, end=end, text=doc.text[start:end],
                checkworthiness=round(score, 4), attribution=attribution.id if attribution else None,
                sourcing=sourcing(attribution, sources), hedges=sorted(own + inherited, key=lambda h: h.start)))
        doc.claims = claims

"""The one shared document every analyser reads and writes.

An :class:`Article` is what ingest produces (text and metadata). A :class:`Document` wraps it with the
parse (spaCy docs over chunks of the text, with their offsets) and the layers analysers fill in. All
offsets are Python code-point offsets into ``article.text``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from newsift import report as R


@dataclass
class Article:
    """Text and metadata as ingested, before any analysis."""

    text: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    origin: str = "<text>"  # the path, URL or "-" it came from

    @property
    def id(self) -> str:
        """Stable id: a hash of the canonical URL if there is one, else of the text."""
        key = self.url or self.text
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Chunk:
    """A spaCy parse of ``article.text[offset:offset + len(doc.text)]``."""

    offset: int
    doc: Doc


@dataclass
class Document:
    """An article, its parse, and the analysis layers (report models) written by the analysers."""

    article: Article
    language: str = "en"
    chunks: list[Chunk] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    entities: list[R.Entity] = field(default_factory=list)
    places: list[R.Place] = field(default_factory=list)
    dates: list[R.DateMention] = field(default_factory=list)
    sources: list[R.Source] = field(default_factory=list)
    attributions: list[R.Attribution] = field(default_factory=list)
    claims: list[R.Claim] = field(default_factory=list)
    techniques: list[R.Technique] = field(default_factory=list)
    timeline: list[R.TimelineEvent] = field(default_factory=list)
    skipped: list[R.SkippedLayer] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def span(self, start: int, end: int) -> R.Span:
        """A report span over ``text[start:end]``; raises if the offsets fall outside the text."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside a text of {len(self.text)} characters")
        return R.Span(start=start, end=end, text=self.text[start:end])

    def spacy_span(self, chunk: Chunk, sp: SpacySpan) -> R.Span:
        """A report span for a spaCy span of ``chunk``."""
        return self.span(chunk.offset + sp.start_char, chunk.offset + sp.end_char)

    def parsed_sentences(self) -> Iterator[tuple[Chunk, SpacySpan]]:
        """Every parsed sentence with the chunk it belongs to."""
        for chunk in self.chunks:
            for sent in chunk.doc.sents:
                yield chunk, sent

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The sentence containing ``offset`` (binary search over ``sentences``)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            start, end = self.sentences[mid]
            if offset < start:
                hi = mid
            elif offset >= end:
                lo = mid + 1
            else:
                return self.sentences[mid]
        return None

    def skip(self, layer: str, reason: str) -> None:
        self.skipped.append(R.SkippedLayer(layer=layer, reason=reason))

"""The report: JSON contract v1.

Field names are fixed: other tools read them. Every span carries Python code-point offsets into
``article.text`` and ``article.text[start:end] == text`` always holds (``Report.check_offsets``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from newsift import __version__

SCHEMA_VERSION = 1

Kind = Literal["country", "region", "city", "other"]
SourceKind = Literal[
    "person", "organization", "media", "government", "social_media", "anonymous", "unattributed"
]
Sourcing = Literal["named", "anonymous", "unattributed"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Model):
    """A stretch of the article text: ``article.text[start:end] == text``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class SentenceRef(Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ArticleMeta(Model):
    id: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    authors: list[str] = Field(default_factory=list)
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    language: str
    text: str


class Entity(Model):
    id: str
    label: str
    canonical: str
    mentions: list[Span]


class Place(Model):
    entity: str
    name: str
    kind: Kind
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    lat: float
    lon: float
    geonames_id: int | None = None
    note: str | None = None


class DateMention(Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    value: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    relative: bool


class Source(Model):
    id: str
    kind: SourceKind
    named: bool
    name: str | None = None
    description: str
    entity: str | None = None
    mentions: list[Span]


class Attribution(Model):
    id: str
    source: str | None = None
    source_span: Span | None = None
    cue: Span | None = None
    content: Span
    direct: bool
    hedges: list[Span] = Field(default_factory=list)


class FactCheckMatch(Model):
    claim: str
    rating: str | None = None
    url: str | None = None
    score: float


class Claim(Model):
    id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    checkworthiness: float = Field(ge=0.0, le=1.0)
    attribution: str | None = None
    sourcing: Sourcing
    hedges: list[Span] = Field(default_factory=list)
    fact_checks: list[FactCheckMatch] = Field(default_factory=list)


class Technique(Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    technique: str
    score: float = Field(ge=0.0, le=1.0)


class TimelineEvent(Model):
    date: str
    date_span: Span
    sentence: SentenceRef


class SourcingCounts(Model):
    named: int = 0
    anonymous: int = 0
    unattributed: int = 0


class Summary(Model):
    sourcing: SourcingCounts
    techniques: dict[str, int]
    checkworthy_claims: int


class SkippedLayer(Model):
    layer: str
    reason: str


class Report(Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    newsift_version: str = __version__
    article: ArticleMeta
    sentences: list[SentenceRef]
    entities: list[Entity]
    places: list[Place]
    dates: list[DateMention]
    sources: list[Source]
    attributions: list[Attribution]
    claims: list[Claim]
    techniques: list[Technique]
    timeline: list[TimelineEvent]
    summary: Summary
    skipped: list[SkippedLayer] = Field(default_factory=list)

    def spans(self) -> Iterator[tuple[str, int, int, str | None]]:
        """Every anchored stretch of the report as ``(layer, start, end, text or None)``."""
        for s in self.sentences:
            yield "sentences", s.start, s.end, None
        for e in self.entities:
            for m in e.mentions:
                yield "entities", m.start, m.end, m.text
        for d in self.dates:
            yield "dates", d.start, d.end, d.text
        for src in self.sources:
            for m in src.mentions:
                yield "sources", m.start, m.end, m.text
        for a in self.attributions:
            for sp in (a.source_span, a.cue, a.content, *a.hedges):
                if sp is not None:
                    yield "attributions", sp.start, sp.end, sp.text
        for c in self.claims:
            yield "claims", c.start, c.end, c.text
            for h in c.hedges:
                yield "claims", h.start, h.end, h.text
        for t in self.techniques:
            yield "techniques", t.start, t.end, t.text
        for ev in self.timeline:
            yield "timeline", ev.date_span.start, ev.date_span.end, ev.date_span.text
            yield "timeline", ev.sentence.start, ev.sentence.end, None

    def offset_errors(self) -> list[str]:
        """Spans that break the invariant ``article.text[start:end] == text`` (empty when all hold)."""
        text = self.article.text
        errors = []
        for layer, start, end, span_text in self.spans():
            if not 0 <= start <= end <= len(text):
                errors.append(f"{layer}: [{start}, {end}) outside the text")
            elif span_text is not None and text[start:end] != span_text:
                errors.append(f"{layer}: [{start}, {end}) is {text[start:end]!r}, not {span_text!r}")
        return errors


def json_schema() -> dict:
    """The JSON Schema of the report (``newsift schema``)."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://newsift.org/schema/report-v{SCHEMA_VERSION}.json"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2)

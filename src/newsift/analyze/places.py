"""The places layer: the article's place entities geocoded with the offline gazetteer.

Place entities are GPE, LOC and FAC entities, plus organisations named after a place ("Mykolaiv Regional
Military Administration" → Mykolaiv region), whose place is marked in the note. Disambiguation and the
region-or-city choice are in :mod:`newsift.geo.resolve`. A town under 100,000 inhabitants is kept only when
the wording marks a mention as a place ("in Fastiv", "Paris, Texas", "Bakhmut and Avdiivka"): spaCy tags
many words GPE that small towns happen to be named ("Kennedy", "Earth", "Maria").
"""

from __future__ import annotations

import re

from newsift import report as R
from newsift.analyze.entities import PLACE_LABELS, REGION_NOUNS, locative_cue, notable_place
from newsift.document import Document
from newsift.geo.resolve import PlaceQuery, Resolution, Want, resolve

MINOR_CITY = 100_000
FEATURE_NOUNS = {"valley", "river", "sea", "ocean", "gulf", "desert", "coast", "peninsula", "basin", "canyon",
                 "plateau", "strait", "straits", "mountains", "mountain", "range", "plain", "plains", "delta",
                 "lake", "lakes", "bay", "forest", "highlands", "lowlands"}
CITY_NOUNS = re.compile(r"\s+(?:city|town|village)\b", re.IGNORECASE)
ORG_OF_PLACE = re.compile(r"^(?P<place>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) "
                          r"(?P<level>Regional|Oblast|Region|City|Municipal|Provincial|State)\b")


def wanted_kind(doc: Document, entity: R.Entity) -> Want:
    """"region" if a mention is followed by a region noun, "city" if by a city noun, else None."""
    for m in entity.mentions:
        if REGION_NOUNS.match(doc.text, m.end):
            return "region"
        if CITY_NOUNS.match(doc.text, m.end):
            return "city"
    return None


def geocodable(doc: Document, mention: R.Span, cased: bool) -> bool:
    """Whether a mention may name a gazetteer place: not a name in lower case in a text with capitals
    (``cased``; "metro stations", which spaCy may tag FAC), nor a natural feature ("the Central Valley", an
    alternate name of Santa Maria, California, in the gazetteer; "the Permian Basin")."""
    if cased and mention.text == mention.text.lower():
        return False
    words = mention.text.lower().split()
    return not (words[-1] in FEATURE_NOUNS and doc.text[max(0, mention.start - 4):mention.start].lower() == "the ")


def place_query(doc: Document, entity: R.Entity, cased: bool = True) -> tuple[PlaceQuery, str | None] | None:
    """The query for a place entity (from its :func:`geocodable` mentions), or for an organisation named after a
    place (with a note)."""
    if entity.label in PLACE_LABELS:
        names = tuple(dict.fromkeys(m.text for m in entity.mentions if geocodable(doc, m, cased)))
        return (PlaceQuery(names, wanted_kind(doc, entity)), None) if names else None
    if entity.label == "ORG":
        m = ORG_OF_PLACE.match(entity.canonical)
        if m and notable_place(m.group("place")) is not None:
            wants: Want = "city" if m.group("level") in ("City", "Municipal") else "region"
            return PlaceQuery((m.group("place"),), wants), f"place of the {entity.canonical}"
    return None


def place_model(entity: R.Entity, resolution: Resolution, org_note: str | None) -> R.Place:
    p = resolution.place
    note = "; ".join(n for n in (org_note, resolution.note) if n) or None
    return R.Place(entity=entity.id, name=p.name, kind=p.kind, country=p.country or None, lat=p.lat,
                   lon=p.lon, geonames_id=p.geonames_id, note=note)


class PlaceAnalyzer:
    """Writes ``doc.places`` (one place per place entity the gazetteer knows)."""

    layer = "places"
    english_only = True

    def __call__(self, doc: Document) -> None:
        cased = doc.text != doc.text.lower()
        asked = [(e, *q) for e in doc.entities if (q := place_query(doc, e, cased)) is not None]
        resolutions = resolve([query for _, query, _ in asked])
        spans = [(m.start, m.end) for e, _, _ in asked for m in e.mentions]
        doc.places = [place_model(entity, res, note)
                      for (entity, _, note), res in zip(asked, resolutions, strict=True)
                      if res is not None and (not is_minor(res) or named_as_place(doc, entity, spans))]


def is_minor(resolution: Resolution) -> bool:
    return resolution.place.kind == "city" and resolution.place.population < MINOR_CITY


def named_as_place(doc: Document, entity: R.Entity, place_spans: list[tuple[int, int]]) -> bool:
    """Whether the wording marks one of the entity's mentions as a place (see ``locative_cue``)."""
    return any(locative_cue(doc.text, m.start, m.end, place_spans) for m in entity.mentions)

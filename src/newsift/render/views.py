"""What every renderer shows, computed once from a report: sourcing line, top claims, quotes, places."""

from __future__ import annotations

from dataclasses import dataclass

from newsift.report import Attribution, Claim, Place, Report

TOP_CLAIMS = 10


def sourcing_line(report: Report) -> str:
    """E.g. "12 check-worthy claims: 2 named sources, 7 anonymous, 3 no source"."""
    s = report.summary.sourcing
    n = report.summary.checkworthy_claims
    noun = "claim" if n == 1 else "claims"
    return f"{n} check-worthy {noun}: {s.named} named sources, {s.anonymous} anonymous, {s.unattributed} no source"


def source_label(report: Report, source_id: str | None) -> str:
    """A source's name, or its description when it has none."""
    for src in report.sources:
        if src.id == source_id:
            return src.name or src.description
    return "no source"


@dataclass
class ClaimRow:
    claim: Claim
    source: str


def top_claims(report: Report, n: int = TOP_CLAIMS) -> list[ClaimRow]:
    by_id = {a.id: a for a in report.attributions}
    rows = []
    for claim in sorted(report.claims, key=lambda c: -c.checkworthiness)[:n]:
        att = by_id.get(claim.attribution) if claim.attribution else None
        rows.append(ClaimRow(claim, source_label(report, att.source) if att else "no source"))
    return rows


QUOTE_MARKS = "\"“”‘’«»„"


@dataclass
class QuoteRow:
    attribution: Attribution
    speaker: str

    @property
    def shown(self) -> str:
        """The quotation in curly marks: its own outer marks (and the comma before a closing one) replaced,
        so that '"Where would we go?"' is not shown in two pairs; reported speech that quotes a phrase ('that
        the talks were "not dead"') as it stands."""
        text = " ".join(self.attribution.content.text.split())
        if len(text) > 1 and text[0] in QUOTE_MARKS and text[-1] in QUOTE_MARKS:
            return f"“{text[1:-1].rstrip(',')}”"
        return text if any(ch in QUOTE_MARKS for ch in text) else f"“{text}”"


def quotes(report: Report) -> list[QuoteRow]:
    """Direct quotations with their resolved speakers, in text order."""
    return [QuoteRow(a, source_label(report, a.source)) for a in report.attributions if a.direct]


def shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def place_label(place: Place) -> str:
    """A place's name, with its note when it has one ("Minnesota (place of the Minnesota State Fair)")."""
    return f"{place.name} ({place.note})" if place.note else place.name

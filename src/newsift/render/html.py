"""The self-contained HTML report: the article with toggled highlight layers and side panels.

Article text and metadata only ever reach the page through Jinja2's autoescaping or its ``tojson``
filter (which escapes ``<``, ``>``, ``&`` and ``'``), and the script writes them with ``textContent``:
no string from the article can become markup. The page loads nothing from the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, select_autoescape

from newsift.labels import SOURCING, TECHNIQUES
from newsift.render.views import quotes, shorten, sourcing_line, top_claims
from newsift.report import Report

LAYERS = {
    "claim": "Claims",
    "source": "Sources, cues & hedges",
    "quote": "Quotes & reported speech",
    "technique": "Techniques",
    "entity": "Entities",
    "date": "Dates",
}


@dataclass
class Mark:
    """One highlighted span and what a click on it shows."""

    layer: str
    start: int
    end: int
    title: str
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class Segment:
    """A stretch of text between two span boundaries and the marks that cover all of it."""

    text: str
    marks: list[int]


def collect_marks(report: Report) -> list[Mark]:
    """Every span of the highlight layers, with its details."""
    marks: list[Mark] = []
    names = {s.id: s.name or s.description for s in report.sources}
    by_att = {a.id: a for a in report.attributions}
    for c in report.claims:
        att = by_att.get(c.attribution) if c.attribution else None
        marks.append(Mark("claim", c.start, c.end, "Check-worthy claim", {
            "check-worthiness": f"{c.checkworthiness:.2f}",
            "sourcing": f"{c.sourcing}: {SOURCING[c.sourcing]}",
            "source": names.get(att.source, "no source") if att and att.source else "no source",
        }))
        for h in c.hedges:
            marks.append(Mark("source", h.start, h.end, "Hedge", {"weakens": shorten(c.text, 80)}))
    for s in report.sources:
        for m in s.mentions:
            marks.append(Mark("source", m.start, m.end, "Source", {
                "source": s.name or s.description, "kind": s.kind, "named": "yes" if s.named else "no"}))
    for a in report.attributions:
        speaker = names.get(a.source, "unknown") if a.source else "unknown"
        if a.cue:
            marks.append(Mark("source", a.cue.start, a.cue.end, "Attribution cue", {"source": speaker}))
        for h in a.hedges:
            marks.append(Mark("source", h.start, h.end, "Hedge", {"source": speaker}))
        marks.append(Mark("quote", a.content.start, a.content.end,
                          "Direct quotation" if a.direct else "Reported speech", {"source": speaker}))
    for t in report.techniques:
        marks.append(Mark("technique", t.start, t.end, t.technique.replace("_", " "), {
            "score": f"{t.score:.2f}", "definition": TECHNIQUES.get(t.technique, "")}))
    for e in report.entities:
        for m in e.mentions:
            marks.append(Mark("entity", m.start, m.end, e.label, {"entity": e.canonical}))
    for d in report.dates:
        marks.append(Mark("date", d.start, d.end, "Date", {
            "resolved": d.value or "unresolved", "relative": "yes" if d.relative else "no"}))
    return [m for m in marks if m.end > m.start]


def segment(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece lists the marks covering it (a sweep over
    the sorted boundaries, so O((n + m) log m) for m marks)."""
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[int]] = {}
    for i, m in enumerate(marks):
        starts.setdefault(m.start, []).append(i)
    active: set[int] = set()
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active.update(starts.get(a, ()))
        active = {i for i in active if marks[i].end > a}
        out.append(Segment(text[a:b], sorted(active)))
    return out


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("newsift.render", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def _asset(name: str) -> str:
    return files("newsift.render").joinpath("templates", name).read_text(encoding="utf-8")


def _percentages(report: Report) -> dict[str, float]:
    s = report.summary.sourcing
    total = s.named + s.anonymous + s.unattributed
    return {k: (100.0 * getattr(s, k) / total if total else 0.0) for k in ("named", "anonymous", "unattributed")}


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (so ``javascript:`` and the like never become links)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _map_svg(report: Report) -> str | None:
    if not report.places:
        return None
    from newsift.geo import svg_map

    return svg_map(report.places)


def render_html(report: Report) -> str:
    marks = collect_marks(report)
    text = report.article.text
    return _environment().get_template("report.html.j2").render(
        report=report,
        article=report.article,
        article_url=safe_url(report.article.url),
        segments=segment(text, marks),
        marks=[{"layer": m.layer, "title": m.title, "text": shorten(text[m.start:m.end], 300),
                 "details": m.details} for m in marks],
        layers=LAYERS,
        layer_counts={k: sum(m.layer == k for m in marks) for k in LAYERS},
        sourcing_line=sourcing_line(report),
        sourcing_pct=_percentages(report),
        claims=top_claims(report, n=len(report.claims)),
        quotes=quotes(report),
        techniques=TECHNIQUES,
        timeline=[(ev, shorten(text[ev.sentence.start:ev.sentence.end], 220)) for ev in report.timeline],
        map_svg=_map_svg(report),
        css=_asset("report.css"),
        js=_asset("report.js"),
    )

"""The terminal summary (rich): sourcing profile first, then claims, quotes, techniques, places, dates."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from newsift.render.views import place_label, quotes, shorten, sourcing_line, top_claims
from newsift.report import Report


def summary(report: Report) -> Group:
    """The summary as rich renderables."""
    a = report.article
    head = Text(a.title or "(untitled)", style="bold")
    meta = ", ".join(x for x in (a.site, a.published, a.language) if x)
    if meta:
        head.append(f"  ({meta})", style="dim")
    parts: list = [head, Text(sourcing_line(report), style="bold cyan")]

    rows = top_claims(report)
    if rows:
        t = Table(title="Top check-worthy claims", title_justify="left", show_lines=False, expand=True)
        t.add_column("score", justify="right", width=5)
        t.add_column("claim", ratio=4)
        t.add_column("source", ratio=1)
        t.add_column("sourcing")
        for r in rows:
            t.add_row(f"{r.claim.checkworthiness:.2f}", shorten(r.claim.text), r.source, r.claim.sourcing)
        parts.append(t)

    q = quotes(report)
    if q:
        t = Table(title="Quotes", title_justify="left", expand=True)
        t.add_column("speaker", ratio=1)
        t.add_column("quote", ratio=4)
        for r in q:
            t.add_row(r.speaker, shorten(r.shown))
        parts.append(t)

    if report.summary.techniques:
        t = Table(title="Persuasion techniques", title_justify="left")
        t.add_column("technique")
        t.add_column("spans", justify="right")
        for label, count in report.summary.techniques.items():
            t.add_row(label, str(count))
        parts.append(t)

    if report.places:
        t = Table(title="Places", title_justify="left")
        for col in ("place", "kind", "country", "lat, lon"):
            t.add_column(col)
        for p in report.places:
            t.add_row(place_label(p), p.kind, p.country or "", f"{p.lat:.2f}, {p.lon:.2f}")
        parts.append(t)

    if report.dates:
        t = Table(title="Dates", title_justify="left")
        t.add_column("text")
        t.add_column("resolved")
        for d in report.dates:
            t.add_row(d.text, (d.value or "unresolved") + (" (relative)" if d.relative else ""))
        parts.append(t)

    for s in report.skipped:
        parts.append(Text(f"skipped {s.layer}: {s.reason}", style="yellow"))
    return Group(*parts)


def print_summary(report: Report, console: Console | None = None) -> None:
    (console or Console()).print(summary(report))


def summary_text(report: Report, width: int = 120) -> str:
    """The summary as plain text (for files)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(summary(report))
    return console.export_text()

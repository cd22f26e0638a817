"""The report as Markdown: the same sections as the terminal summary, with every value escaped."""

from __future__ import annotations

import re

from newsift.render.views import place_label, quotes, shorten, sourcing_line, top_claims
from newsift.report import Report

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|])")


def md_escape(text: str) -> str:
    """Escape Markdown and inline-HTML syntax so article text renders as plain text."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(report: Report) -> str:
    a = report.article
    out = [f"# {md_escape(a.title or '(untitled)')}", ""]
    meta = [("site", a.site), ("published", a.published), ("language", a.language), ("url", a.url)]
    out += [f"- {k}: {md_escape(v)}" for k, v in meta if v] + ["", f"**{sourcing_line(report)}**", ""]
    rows = top_claims(report)
    if rows:
        out += ["## Check-worthy claims", ""]
        out += _table(["score", "claim", "source", "sourcing"],
                      [[f"{r.claim.checkworthiness:.2f}", shorten(r.claim.text, 300), r.source, r.claim.sourcing]
                       for r in rows])
    q = quotes(report)
    if q:
        out += ["## Quotes", ""] + _table(["speaker", "quote"],
                                           [[r.speaker, shorten(r.shown, 300)] for r in q])
    if report.summary.techniques:
        out += ["## Persuasion techniques", ""] + _table(
            ["technique", "spans"], [[k, str(v)] for k, v in report.summary.techniques.items()])
    if report.places:
        out += ["## Places", ""] + _table(
            ["place", "kind", "country", "lat", "lon"],
            [[place_label(p), p.kind, p.country or "", f"{p.lat:.3f}", f"{p.lon:.3f}"] for p in report.places])
    if report.dates:
        out += ["## Dates", ""] + _table(
            ["text", "resolved", "relative"],
            [[d.text, d.value or "unresolved", "yes" if d.relative else "no"] for d in report.dates])
    if report.timeline:
        text = report.article.text
        out += ["## Timeline", ""] + _table(
            ["date", "event"],
            [[ev.date, shorten(text[ev.sentence.start:ev.sentence.end], 200)] for ev in report.timeline])
    for s in report.skipped:
        out.append(f"- skipped {md_escape(s.layer)}: {md_escape(s.reason)}")
    return "\n".join(out).rstrip() + "\n"

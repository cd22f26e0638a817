"""Renderers: a report to text (terminal summary), JSON, HTML (self-contained) or Markdown."""

from __future__ import annotations

from newsift.report import Report


def render(report: Report, fmt: str) -> str:
    """``report`` as a string in ``fmt``: ``text``, ``json``, ``html`` or ``md``."""
    if fmt == "json":
        return report.model_dump_json(indent=2)
    if fmt == "html":
        from newsift.render.html import render_html

        return render_html(report)
    if fmt == "md":
        from newsift.render.markdown import render_markdown

        return render_markdown(report)
    if fmt == "text":
        from newsift.render.text import summary_text

        return summary_text(report)
    raise ValueError(f"unknown format {fmt!r}")

"""newsift: read a news article the way a fact-checker does, every finding anchored to the text."""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

# The analysers live in the subpackage ``newsift.analyze``; the public function ``newsift.analyze`` takes
# its attribute name. Importing the (light) subpackage first lets the function defined below win the name,
# and later imports of ``newsift.analyze.<layer>`` find the package in ``sys.modules``.
import newsift.analyze  # noqa: E402,F401

if TYPE_CHECKING:
    from datetime import date

    from newsift.report import Report

__all__ = ["__version__", "analyze", "render_html"]


def analyze(
    text: str,
    *,
    title: str | None = None,
    published: date | str | None = None,
    url: str | None = None,
) -> Report:
    """Analyse one article's text and return its :class:`~newsift.report.Report`."""
    from newsift.document import Article
    from newsift.ingest.text import parse_published
    from newsift.pipeline import default_pipeline

    if isinstance(published, str):
        published = parse_published(published)
    return default_pipeline()(Article(text=text, title=title, published=published, url=url))


def render_html(report: Report) -> str:
    """The self-contained HTML report for ``report``."""
    from newsift.render.html import render_html as _render

    return _render(report)

"""HTML pages to articles: main text and metadata with trafilatura, the date with htmldate."""

from __future__ import annotations

from datetime import date

from newsift.document import Article
from newsift.errors import InputError

MIN_WORDS = 4  # fewer extracted words than this is page furniture ("Home"), not an article


def article_from_html(html: str, *, url: str | None = None, origin: str = "input") -> Article:
    """The article in an HTML page: main text, title, authors, publication date, site and canonical URL."""
    import trafilatura

    if "<" not in html:
        raise InputError(f"{origin}: does not look like HTML (no markup)")
    try:
        extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises a variety of lxml errors on broken markup
        raise InputError(f"{origin}: could not parse the HTML ({type(exc).__name__})") from None
    if extracted is None or len((extracted.text or "").split()) < MIN_WORDS:
        raise InputError(f"{origin}: no article text found in the HTML")
    return Article(
        text=extracted.text,
        title=extracted.title or None,
        url=extracted.url or url,
        site=extracted.sitename or extracted.hostname or None,
        authors=split_authors(extracted.author),
        published=_published(html, extracted.date),
        origin=origin,
    )


def split_authors(value: str | None) -> list[str]:
    """trafilatura joins several authors with "; "."""
    return [a.strip() for a in (value or "").split(";") if a.strip()]


def _published(html: str, trafilatura_date: str | None) -> date | None:
    """The original publication date: htmldate's, else trafilatura's."""
    from htmldate import find_date

    try:
        found = find_date(html, original_date=True, extensive_search=False) or trafilatura_date
    except Exception:  # htmldate may choke on pathological markup; the date is optional
        found = trafilatura_date
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None

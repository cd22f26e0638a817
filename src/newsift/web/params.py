"""Query parameters shared by the pages and the API, validated once: malformed values are answered 400
(pages) or 422 (API) with what was wrong, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Annotated

from fastapi import Query
from starlette.exceptions import HTTPException

from newsift.corpus.search import SearchFilters
from newsift.labels import SOURCE_KINDS, TECHNIQUES
from newsift.web.queries import RELEVANCE, SORTS

MAX_PAGE = 10_000
MAX_PER_PAGE = 100
DATE = r"^(\d{4}-\d{2}-\d{2})?$"
SORT = "^(" + "|".join([RELEVANCE, *SORTS]) + ")?$"


def _date(name: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(400, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _choice(name: str, value: str | None, allowed: dict[str, str]) -> str | None:
    if value and value not in allowed:
        raise HTTPException(400, f"{name}: unknown value {value!r}; one of {', '.join(allowed)}")
    return value or None


@dataclass
class ArticleQuery:
    """The article list's search words, filters, order and page."""

    q: str
    filters: SearchFilters
    sort: str
    page: int
    per_page: int

    def params(self) -> dict[str, str | int]:
        """The query as URL parameters (for shareable links)."""
        out: dict[str, str | int] = {"q": self.q}
        out.update({f.name: getattr(self.filters, f.name) or "" for f in fields(self.filters)})
        out.update(sort=self.sort, per_page=self.per_page)
        return out


def article_query(
    q: Annotated[str, Query(max_length=500, description='Words, "phrases", OR, -exclude')] = "",
    site: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[str, Query(pattern=DATE, description="Published on or after (YYYY-MM-DD)")] = "",
    until: Annotated[str, Query(pattern=DATE, description="Published on or before (YYYY-MM-DD)")] = "",
    language: Annotated[str, Query(max_length=20)] = "",
    technique: Annotated[str, Query(max_length=100)] = "",
    source_kind: Annotated[str, Query(max_length=40)] = "",
    entity: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(pattern=SORT, description="relevance (with q), newest, oldest, title, site")] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 25,
) -> ArticleQuery:
    filters = SearchFilters(
        site=site or None,
        since=_date("since", since),
        until=_date("until", until),
        language=language or None,
        technique=_choice("technique", technique, TECHNIQUES),
        source_kind=_choice("source_kind", source_kind, SOURCE_KINDS),
        entity=entity or None,
    )
    return ArticleQuery(q.strip(), filters, sort or (RELEVANCE if q.strip() else "newest"), page, per_page)

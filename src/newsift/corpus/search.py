"""Full-text search over the store (SQLite FTS5 with BM25 ranking, PostgreSQL ``websearch_to_tsquery`` with
``ts_rank``), filtered by site, publication date range, language, technique, source kind and entity.

The query syntax is the same on both: words (all must occur), ``"quoted phrases"``, ``OR`` between words,
and ``-word`` to exclude a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsift.corpus.store import Store
from newsift.errors import InputError

_TOKEN = re.compile(r'-?"[^"]*"|\S+')


@dataclass
class SearchFilters:
    """Conditions every hit meets (``None`` means any)."""

    site: str | None = None
    since: str | None = None
    until: str | None = None
    language: str | None = None
    technique: str | None = None
    source_kind: str | None = None
    entity: str | None = None


@dataclass
class Hit:
    id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    snippet: str


def fts5_query(query: str) -> str:
    """The FTS5 MATCH expression for a query in the syntax above (every term quoted, so no FTS5 operator
    characters leak through)."""
    parts: list[str] = []
    for token in _TOKEN.findall(query):
        if token == "OR":
            if parts and parts[-1] not in ("OR", "NOT"):
                parts.append("OR")
            continue
        negate = token.startswith("-") and len(token) > 1
        words = token[1:] if negate else token
        phrase = words.strip('"').replace('"', "")
        if not re.search(r"\w", phrase):
            continue
        if negate and parts:
            parts.append("NOT")
        elif negate:
            continue  # FTS5 NOT needs a left operand; a leading exclusion alone matches nothing useful
        parts.append(f'"{phrase}"')
    while parts and parts[-1] in ("OR", "NOT"):
        parts.pop()
    return " ".join(parts)


def _filter_sql(filters: SearchFilters) -> tuple[list[str], list[str]]:
    clauses, params = [], []
    simple = {
        "site": "a.site = ?",
        "since": "a.published >= ?",
        "until": "a.published <= ?",
        "language": "a.language = ?",
    }
    for name, clause in simple.items():
        value = getattr(filters, name)
        if value:
            clauses.append(clause)
            params.append(value)
    exists = {
        "technique": "EXISTS (SELECT 1 FROM techniques t WHERE t.article_id = a.id AND t.technique = ?)",
        "source_kind": "EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id AND s.kind = ?)",
        "entity": "EXISTS (SELECT 1 FROM entities e WHERE e.article_id = a.id"
        " AND LOWER(e.canonical) = LOWER(?))",
    }
    for name, clause in exists.items():
        value = getattr(filters, name)
        if value:
            clauses.append(clause)
            params.append(value)
    return clauses, params


def search(store: Store, query: str, filters: SearchFilters, limit: int = 20) -> list[Hit]:
    """The best ``limit`` articles for ``query`` (all articles meeting the filters, newest first, if the
    query is empty)."""
    clauses, params = _filter_sql(filters)
    db = store.db
    if not query.strip():
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = db.execute(
            f"SELECT a.id, a.title, a.url, a.site, a.published, SUBSTR(a.text, 1, 160) "
            f"FROM articles a {where} ORDER BY a.published DESC, a.id LIMIT ?",
            [*params, limit],
        )
    elif db.dialect == "sqlite":
        match = fts5_query(query)
        if not match:
            raise InputError(f"the query {query!r} has no words to search for")
        where = " AND ".join(["articles_fts MATCH ?", *clauses])
        rows = db.execute(
            "SELECT a.id, a.title, a.url, a.site, a.published, snippet(articles_fts, 1, '[', ']', '…', 16) "
            f"FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE {where} "
            "ORDER BY bm25(articles_fts) LIMIT ?",
            [match, *params, limit],
        )
    else:
        where = " AND ".join(["a.fts @@ q", *clauses])
        rows = db.execute(
            "SELECT a.id, a.title, a.url, a.site, a.published, "
            "ts_headline('english', a.text, q, 'StartSel=[, StopSel=], MaxWords=30, MinWords=10') "
            f"FROM articles a, websearch_to_tsquery('english', ?) q WHERE {where} "
            "ORDER BY ts_rank(a.fts, q) DESC, a.id LIMIT ?",
            [query, *params, limit],
        )
    return [Hit(*row) for row in rows]

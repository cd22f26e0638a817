"""The corpus store: articles keyed by canonical URL (else normalised-content hash), their analysis reports
and the layer rows taken from them, with full-text search (SQLite FTS5 or PostgreSQL tsvector).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from newsift.corpus.sql import Database
from newsift.document import Article
from newsift.errors import InputError
from newsift.report import Report

SCHEMA_VERSION = 1

# Each list order of the web workbench is an index scan (deep pages walk an index instead of sorting the
# table; `newsift.web.queries.SORT_INDEXES` names them), and entity names are looked up case-insensitively.
_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, key_kind TEXT NOT NULL, url TEXT, site TEXT, title TEXT, text TEXT NOT NULL,
    content_hash TEXT NOT NULL, published TEXT, authors TEXT NOT NULL, source_kind TEXT NOT NULL,
    origin TEXT NOT NULL, ingested_at TEXT NOT NULL, language TEXT, analyzed_version TEXT, report TEXT,
    analysis_error TEXT
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash);
CREATE INDEX IF NOT EXISTS articles_by_published ON articles (published, id);
CREATE INDEX IF NOT EXISTS articles_by_title ON articles (title, id);
CREATE INDEX IF NOT EXISTS articles_by_site ON articles (site, published DESC, id DESC);
CREATE TABLE IF NOT EXISTS claims (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, claim_id TEXT NOT NULL,
    start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, text TEXT NOT NULL, checkworthiness REAL NOT NULL,
    sourcing TEXT NOT NULL, source_name TEXT, source_kind TEXT, PRIMARY KEY (article_id, claim_id)
);
CREATE TABLE IF NOT EXISTS attributions (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, attribution_id TEXT NOT NULL,
    source_name TEXT, source_kind TEXT, cue TEXT, content TEXT NOT NULL, start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL, direct INTEGER NOT NULL, PRIMARY KEY (article_id, attribution_id)
);
CREATE TABLE IF NOT EXISTS techniques (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, n INTEGER NOT NULL,
    technique TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, text TEXT NOT NULL,
    score REAL NOT NULL, PRIMARY KEY (article_id, n)
);
CREATE INDEX IF NOT EXISTS techniques_name ON techniques (technique);
CREATE TABLE IF NOT EXISTS entities (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, entity_id TEXT NOT NULL,
    label TEXT NOT NULL, canonical TEXT NOT NULL, mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX IF NOT EXISTS entities_canonical ON entities (canonical);
CREATE INDEX IF NOT EXISTS entities_canonical_lower ON entities (LOWER(canonical), article_id);
CREATE TABLE IF NOT EXISTS sources (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, source_id TEXT NOT NULL,
    kind TEXT NOT NULL, named INTEGER NOT NULL, name TEXT, PRIMARY KEY (article_id, source_id)
);
CREATE INDEX IF NOT EXISTS sources_kind ON sources (kind);
CREATE TABLE IF NOT EXISTS fact_checks (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE, claim_id TEXT NOT NULL,
    n INTEGER NOT NULL, checked_claim TEXT NOT NULL, rating TEXT, url TEXT, score REAL NOT NULL,
    PRIMARY KEY (article_id, claim_id, n)
);
CREATE TABLE IF NOT EXISTS claim_clusters (
    cluster_id TEXT NOT NULL, article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (cluster_id, article_id, claim_id)
);
CREATE TABLE IF NOT EXISTS clusters (
    cluster_id TEXT NOT NULL, article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    is_origin INTEGER NOT NULL, similarity REAL NOT NULL, alignment TEXT, method TEXT,
    PRIMARY KEY (cluster_id, article_id)
);
CREATE TABLE IF NOT EXISTS claim_vectors (
    text_hash TEXT NOT NULL, model TEXT NOT NULL, vector TEXT NOT NULL, PRIMARY KEY (text_hash, model)
);
CREATE TABLE IF NOT EXISTS sentence_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, model TEXT NOT NULL,
    spans TEXT NOT NULL, vectors TEXT NOT NULL
);
"""

_SQLITE_FTS = """
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
END;
"""

_POSTGRES_FTS = """
ALTER TABLE articles ADD COLUMN IF NOT EXISTS fts tsvector GENERATED ALWAYS AS
    (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED;
CREATE INDEX IF NOT EXISTS articles_fts ON articles USING GIN (fts);
"""

# columns added after their table was first released: (table, column, type)
NEW_COLUMNS = (("articles", "analysis_error", "TEXT"), ("clusters", "method", "TEXT"))
ARTICLE_COLUMNS = (
    "id",
    "key_kind",
    "url",
    "site",
    "title",
    "text",
    "content_hash",
    "published",
    "authors",
    "source_kind",
    "origin",
    "ingested_at",
)
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|ref|ref_src|cmpid)$", re.I)


def canonical_url(url: str) -> str:
    """The URL with scheme and host lower-cased, without ``www.``, default port, fragment, tracking parameters
    and trailing slash; remaining query parameters sorted."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(
        sorted(
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)
        )
    )
    return urlunsplit((parts.scheme.lower() or "http", host, parts.path.rstrip("/") or "/", query, ""))


def content_hash(text: str) -> str:
    """SHA-256 of the text after NFKC normalisation, case folding and collapsing whitespace."""
    norm = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def pack_vectors(vectors: np.ndarray) -> str:
    """Embeddings as the store keeps them (``sentence_vectors``, ``claim_vectors``): float16, base64."""
    return base64.b64encode(vectors.astype(np.float16).tobytes()).decode()


def unpack_vectors(text: str) -> np.ndarray:
    """The float16 values :func:`pack_vectors` kept, flat."""
    return np.frombuffer(base64.b64decode(text), np.float16)


def site_of(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.lower().removeprefix("www.") if host else None


@dataclass
class StoredArticle:
    """An article row ready to insert: its key and the article."""

    id: str
    key_kind: str
    hash: str
    article: Article
    source_kind: str

    @classmethod
    def of(cls, article: Article, source_kind: str) -> StoredArticle:
        digest = content_hash(article.text)
        if article.url:
            return cls("url:" + canonical_url(article.url), "url", digest, article, source_kind)
        return cls("sha:" + digest[:32], "hash", digest, article, source_kind)

    def row(self, now: str) -> tuple:
        a = self.article
        return (
            self.id,
            self.key_kind,
            a.url,
            a.site or site_of(a.url),
            a.title,
            a.text,
            self.hash,
            a.published.isoformat() if a.published else None,
            json.dumps(a.authors, ensure_ascii=False),
            self.source_kind,
            a.origin,
            now,
        )


@dataclass
class InsertResult:
    """What an insert did: rows added, rows already stored as they are, keys stored with other text."""

    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


class Store:
    """The corpus store over a :class:`Database`."""

    def __init__(self, url: str, *, timeout: float | None = None) -> None:
        self.db = Database(url) if timeout is None else Database(url, timeout=timeout)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def require(self) -> None:
        """Raise :class:`InputError` unless the database holds a newsift corpus (read-only check)."""
        try:
            self.db.execute("SELECT value FROM meta WHERE name = 'schema_version'")
        except InputError as exc:
            raise InputError(f"not a newsift corpus; add articles with `newsift corpus ingest` first ({exc})") from None

    def create(self) -> None:
        """Create the tables (idempotent)."""
        fts = _SQLITE_FTS if self.db.dialect == "sqlite" else _POSTGRES_FTS
        with self.db.transaction():
            for statement in _statements(_TABLES + fts):
                self.db.execute(statement)
            self._add_new_columns()
            self.db.execute(
                "INSERT INTO meta (name, value) VALUES ('schema_version', ?) ON CONFLICT (name) DO NOTHING",
                (str(SCHEMA_VERSION),),
            )

    def _add_new_columns(self) -> None:
        """Add to tables made by an older newsift the columns added since (:data:`NEW_COLUMNS`)."""
        for table, column, kind in NEW_COLUMNS:
            if self.db.dialect == "postgres":
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")
            elif column not in {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}:
                self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    def insert_articles(self, items: list[StoredArticle]) -> InsertResult:
        """Insert a batch in one transaction. A key already stored (or earlier in the batch) is left as it
        is: with the same content it counts as unchanged, with other content as a conflict."""
        result = InsertResult()
        if not items:
            return result
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.db.transaction():
            known = self._stored_hashes(list({s.id for s in items}))
            fresh = []
            for item in items:
                if item.id not in known:
                    known[item.id] = item.hash
                    fresh.append(item.row(now))
                elif known[item.id] == item.hash:
                    result.unchanged += 1
                else:
                    result.conflicts.append(item.article.url or item.id)
            placeholders = ", ".join("?" * len(ARTICLE_COLUMNS))
            self.db.executemany(
                f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({placeholders}) "
                "ON CONFLICT (id) DO NOTHING",
                fresh,
            )
        result.added = len(fresh)
        return result

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Those of ``ids`` that are stored."""
        return set(self._stored_hashes(ids))

    def _stored_hashes(self, ids: list[str]) -> dict[str, str]:
        """The content hash of each of ``ids`` that is stored."""
        return dict(self.db.select_in("SELECT id, content_hash FROM articles WHERE id IN ({})", ids))

    def count(self, where: str = "", params: tuple = ()) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM articles {where}", params)[0][0])

    def pending_analysis(
        self, version: str, limit: int
    ) -> list[tuple[str, str, str | None, str | None, str | None, str | None, str]]:
        """Up to ``limit`` articles not analysed by ``version``:
        (id, text, title, url, site, published, authors)."""
        return self.db.execute(
            "SELECT id, text, title, url, site, published, authors FROM articles "
            "WHERE analyzed_version IS NULL OR analyzed_version <> ? ORDER BY id LIMIT ?",
            (version, limit),
        )

    def save_report(self, article_id: str, report: Report, version: str) -> None:
        """Store a report made by newsift ``version`` and replace the article's layer rows, in one
        transaction."""
        with self.db.transaction():
            for table in ("claims", "attributions", "techniques", "entities", "sources", "fact_checks"):
                self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
            for statement, rows in layer_rows(article_id, report):
                if rows:
                    self.db.executemany(statement, rows)
            self.db.execute(
                "UPDATE articles SET report = ?, analyzed_version = ?, language = ?, analysis_error = NULL "
                "WHERE id = ?",
                (report.model_dump_json(), version, report.article.language, article_id),
            )


    def save_failure(self, article_id: str, error: str, version: str) -> None:
        """Record that newsift ``version`` could not analyse an article (it is not retried by that version)."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE articles SET analyzed_version = ?, analysis_error = ? WHERE id = ?",
                (version, error, article_id),
            )


def layer_rows(article_id: str, report: Report) -> list[tuple[str, list[tuple]]]:
    """INSERT statements and their rows for the layer tables of one report."""
    sources = {s.id: s for s in report.sources}

    def source_fields(source_id: str | None) -> tuple[str | None, str | None]:
        s = sources.get(source_id) if source_id else None
        return (s.name or s.description, s.kind) if s else (None, None)

    attributions = {a.id: a for a in report.attributions}
    claims = []
    for c in report.claims:
        source_id = attributions[c.attribution].source if c.attribution in attributions else None
        claims.append(
            (
                article_id,
                c.id,
                c.start,
                c.end,
                c.text,
                c.checkworthiness,
                c.sourcing,
                *source_fields(source_id),
            )
        )
    return [
        ("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", claims),
        (
            "INSERT INTO attributions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    article_id,
                    a.id,
                    *source_fields(a.source),
                    a.cue.text if a.cue else None,
                    a.content.text,
                    a.content.start,
                    a.content.end,
                    int(a.direct),
                )
                for a in report.attributions
            ],
        ),
        (
            "INSERT INTO techniques VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (article_id, n, t.technique, t.start, t.end, t.text, t.score)
                for n, t in enumerate(report.techniques)
            ],
        ),
        (
            "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
            [(article_id, e.id, e.label, e.canonical, len(e.mentions)) for e in report.entities],
        ),
        (
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?)",
            [(article_id, s.id, s.kind, int(s.named), s.name) for s in report.sources],
        ),
    ]


def _statements(script: str) -> list[str]:
    """Split a schema script on the semicolons that end statements (trigger bodies kept whole)."""
    out, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        stripped = line.strip()
        if stripped.endswith(";") and (stripped == "END;" or not any("BEGIN" in x for x in current)):
            out.append("\n".join(current).strip().rstrip(";"))
            current = []
    return [s for s in out if s]

"""Corpus ingest: folders, article files (.txt/.html/.json/.jsonl via :mod:`newsift.ingest`), CSV with a
column mapping, RSS/Atom feeds, WARC files and URL lists, into the store in committed batches.

Ingest is idempotent (keys: :class:`~newsift.corpus.store.StoredArticle`) and resumable: each batch commits
in one transaction, so a killed run leaves whole batches only, and running it again adds what is missing.
A source that cannot be read stops the run with one :class:`InputError` before any of its articles is written
(each source is parsed completely before its first batch), except URL lists, which write as they fetch.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsift import ingest as single
from newsift.corpus.records import read_csv_dicts
from newsift.corpus.store import InsertResult, Store, StoredArticle, canonical_url
from newsift.document import Article
from newsift.errors import InputError
from newsift.ingest.records import article_from_record
from newsift.ingest.text import DEFAULT_MAX_BYTES, decode_bytes

BATCH_SIZE = 200
FEED_SUFFIXES = (".rss", ".atom", ".xml", ".feed")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
URL_LIST_SUFFIXES = (".urls",)
CSV_FIELDS = ("text", "title", "url", "site", "authors", "published")
_URL_LINE = re.compile(r"^https?://\S+$")


@dataclass
class IngestReport:
    """Counts of one ingest run, and the notes worth telling the user."""

    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # sources refused whole, of several

    def merge(self, result: InsertResult) -> None:
        self.added += result.added
        self.unchanged += result.unchanged
        self.conflicts.extend(result.conflicts)


@dataclass
class IngestOptions:
    """How sources are read: the CSV column mapping, the fetch cap, whether private hosts may be fetched."""

    csv_map: dict[str, str] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False


def parse_map(spec: str | None) -> dict[str, str]:
    """``text=body,title=headline`` as {article field: CSV column}."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        if not sep or name.strip() not in CSV_FIELDS or not column.strip():
            raise InputError(
                f"--map: {part.strip()!r} is not FIELD=COLUMN with FIELD one of {', '.join(CSV_FIELDS)}"
            )
        mapping[name.strip()] = column.strip()
    return mapping


def expand_sources(sources: Iterable[str]) -> list[str]:
    """Sources with folders replaced by the files under them (recursively, sorted, hidden files left out)."""
    out = []
    for src in sources:
        path = Path(src)
        if not single.is_url(src) and path.is_dir():
            out.extend(
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif single.is_url(src) or path.exists():
            out.append(src)
        else:
            raise InputError(f"{src}: no such file or folder")
    return out


def source_kind(src: str) -> str:
    """What a source is: url, feed, warc, csv, urls or file (an article file :mod:`newsift.ingest` reads)."""
    name = src.lower()
    if single.is_url(src):
        return "url"
    if name.endswith(FEED_SUFFIXES):
        return "feed"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(URL_LIST_SUFFIXES) or (name.endswith(".txt") and _is_url_list(Path(src))):
        return "urls"
    return "file"


def _is_url_list(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4096).decode("utf-8", "replace").splitlines()[:20]
    lines = [line.strip() for line in head if line.strip()]
    return bool(lines) and all(_URL_LINE.match(line) for line in lines)


def ingest(
    store: Store,
    sources: Iterable[str],
    options: IngestOptions,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read every source into ``store``; ``on_batch`` is told after each committed batch. A source that is
    refused (:class:`InputError`) stops the run when it is the only one; of several (a folder's files), it
    is noted in ``failed`` and the others are read."""
    report = IngestReport()
    store.create()
    expanded = expand_sources(sources)
    for src in expanded:
        try:
            _ingest_source(store, src, options, report, on_batch)
        except InputError as exc:
            if len(expanded) == 1:
                raise
            report.failed.append(str(exc))
    return report


def _ingest_source(store: Store, src: str, options: IngestOptions, report: IngestReport,
                   on_batch: Callable[[IngestReport], None] | None) -> None:
    kind = source_kind(src)
    if kind == "urls":
        articles: Iterable[Article] = _articles_from_url_list(store, Path(src), options, report)
    else:
        articles = read_source(src, kind, options, report)
    for batch in _batches(articles, BATCH_SIZE):
        report.merge(store.insert_articles([StoredArticle.of(a, kind) for a in batch]))
        if on_batch:
            on_batch(report)


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def read_source(src: str, kind: str, options: IngestOptions, report: IngestReport) -> list[Article]:
    """All the articles of one source (a file, feed, WARC, CSV or URL), or :class:`InputError`."""
    if kind == "url":
        return _articles_from_url(src, options)
    data = _read_bytes(Path(src), options.max_bytes) if kind in ("feed", "file") else b""
    if kind == "feed":
        return articles_from_feed(data, src)
    if kind == "warc":
        return articles_from_warc(Path(src), report)
    if kind == "csv":
        return articles_from_csv(Path(src), options.csv_map, report)
    suffix = Path(src).suffix.lower()
    if suffix not in single.SUFFIXES:
        report.skipped.append(f"{src}: not a supported file type")
        return []
    return single.parse_bytes(data, single.SUFFIXES[suffix], src)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        if path.stat().st_size > max_bytes:
            raise InputError(f"{path}: larger than the cap of {max_bytes:,} bytes (--max-bytes)")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def articles_from_csv(path: Path, mapping: dict[str, str], report: IngestReport) -> list[Article]:
    """One article per CSV row; columns named by ``mapping`` (article field -> column), else by field name."""
    columns = {name: mapping.get(name, name) for name in CSV_FIELDS}
    rows = read_csv_dicts(path, required=[columns["text"]])
    header = set(rows[0]) if rows else set()
    missing = [f"{name}={col}" for name, col in mapping.items() if col not in header]
    if missing:
        raise InputError(f"{path}: --map names column(s) not in the file: {', '.join(missing)}")
    out = []
    for lineno, row in enumerate(rows, start=2):
        record = {name: row[col] for name, col in columns.items() if row.get(col)}
        if not record.get("text", "").strip():
            report.skipped.append(f"{path}: row {lineno} has no text")
            continue
        if "authors" in record:
            record["authors"] = [a.strip() for a in re.split(r"[;|]", record["authors"]) if a.strip()]
        out.append(article_from_record(record, f"{path}:{lineno}"))
    return out


def articles_from_feed(data: bytes, origin: str) -> list[Article]:
    """The entries of an RSS or Atom feed with text (content, else summary) as articles."""
    import feedparser

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        reason = getattr(feed, "bozo_exception", None) or "unreadable"
        raise InputError(f"{origin}: not a well-formed RSS/Atom feed ({reason})")
    if feed.bozo:
        raise InputError(f"{origin}: the feed's XML is broken ({feed.bozo_exception}); nothing was stored")
    out = []
    for i, entry in enumerate(feed.entries, start=1):
        html = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        text = fragment_text(html) if "<" in html else html.strip()
        if not text:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        out.append(
            article_from_record(
                {
                    "text": text,
                    "title": entry.get("title") or None,
                    "url": entry.get("link") or None,
                    "site": feed.feed.get("title") or None,
                    "authors": [a.get("name") for a in entry.get("authors", []) if a.get("name")],
                    "published": f"{published.tm_year:04d}-{published.tm_mon:02d}-{published.tm_mday:02d}"
                    if published
                    else None,
                },
                f"{origin}#{i}",
            )
        )
    return out


_BLOCKS = (
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
)


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's content), blocks separated by blank lines."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    paragraphs = (" ".join(p.split()) for p in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def articles_from_warc(path: Path, report: IngestReport) -> list[Article]:
    """HTML responses in a WARC file as articles; other records (requests, metadata, images) are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not _looks_like_warc(path):
        raise InputError(f"{path}: not a readable WARC file (it does not start with a WARC or ARC header)")
    out, skipped = [], 0
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh, arc2warc=True):
                url = record.rec_headers.get_header("WARC-Target-URI")
                content_type = (
                    record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
                )
                if record.rec_type != "response" or "html" not in content_type.lower():
                    skipped += 1
                    continue
                origin = f"{path}#{url}"
                try:
                    html = decode_bytes(record.content_stream().read(), origin)
                    out.append(single.parse_text(html, "html", origin, url=url)[0])
                except InputError as exc:
                    report.skipped.append(str(exc))
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable WARC file ({exc})") from None
    if skipped:
        report.skipped.append(f"{path}: {skipped} record(s) that are not HTML responses")
    return out


def _looks_like_warc(path: Path) -> bool:
    """Whether the file (or its first gzip member) starts with ``WARC/`` or ARC's ``filedesc://``."""
    import gzip
    import zlib

    try:
        with path.open("rb") as fh:
            head = fh.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(path, "rb") as fh:
            return fh.read(11).startswith((b"WARC/", b"filedesc://"))
    except (OSError, EOFError, zlib.error):
        return False


def _articles_from_url(url: str, options: IngestOptions) -> list[Article]:
    """An article page or a feed at ``url``."""
    from newsift.ingest.fetch import fetch_url

    fetched = fetch_url(url, max_bytes=options.max_bytes, allow_private=options.allow_private)
    if "xml" in fetched.content_type or "rss" in fetched.content_type or "atom" in fetched.content_type:
        return articles_from_feed(fetched.body, url)
    kind = "html" if "html" in fetched.content_type else "text"
    return single.parse_bytes(fetched.body, kind, url, url=fetched.url)


def _articles_from_url_list(
    store: Store, path: Path, options: IngestOptions, report: IngestReport
) -> Iterator[Article]:
    """The articles at the URLs listed in a file, fetching only URLs not stored yet; unreachable URLs are
    noted and skipped."""
    text = decode_bytes(_read_bytes(path, options.max_bytes), str(path))
    urls = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    stored = store.existing_ids(["url:" + canonical_url(u) for u in urls])
    for url in urls:
        if "url:" + canonical_url(url) in stored:
            report.unchanged += 1
            continue
        try:
            yield from _articles_from_url(url, options)
        except InputError as exc:
            report.skipped.append(str(exc))

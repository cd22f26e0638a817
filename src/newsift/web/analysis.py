"""Turn what a person hands the web app (pasted text or HTML, an uploaded file, a URL) into one article,
analyse it, and optionally keep it in the corpus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from newsift import __version__
from newsift.corpus.store import Store, StoredArticle
from newsift.document import Article
from newsift.errors import InputError
from newsift.ingest import SUFFIXES, is_url, load, parse_bytes, parse_text
from newsift.ingest.text import parse_published
from newsift.report import Report


@dataclass
class Submission:
    """One article to analyse: exactly one of ``text``, ``data`` (an uploaded file) or ``url``."""

    text: str = ""
    data: bytes = b""
    filename: str = ""
    url: str = ""
    title: str = ""
    published: str = ""


def _looks_like_html(head: str) -> bool:
    return head.lstrip()[:1] == "<"


def article_of(sub: Submission, max_bytes: int, allow_private: bool) -> Article:
    """The one article a submission holds; :class:`InputError` when it holds none, several, or bad input."""
    given = [
        name for name, value in (("text", sub.text.strip()), ("file", sub.data), ("url", sub.url.strip())) if value
    ]
    if len(given) != 1:
        raise InputError(
            "give exactly one of: pasted text, an uploaded file, a URL"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if sub.url.strip():
        url = sub.url.strip()
        if not is_url(url):
            raise InputError(f"{url!r} is not an http(s) URL")
        articles = load(url, max_bytes=max_bytes, allow_private=allow_private)
    elif sub.data:
        if len(sub.data) > max_bytes:
            raise InputError(f"the file is {len(sub.data):,} bytes; the cap is {max_bytes:,}")
        name = PurePath(sub.filename or "upload").name
        kind = SUFFIXES.get(PurePath(name).suffix.lower()) or (
            "html" if _looks_like_html(sub.data[:512].decode("latin-1")) else "text"
        )
        articles = parse_bytes(sub.data, kind, name)
    else:
        if len(sub.text.encode("utf-8")) > max_bytes:
            raise InputError(f"the text is larger than the cap of {max_bytes:,} bytes")
        articles = parse_text(sub.text, "html" if _looks_like_html(sub.text) else "text", "pasted text")
    if len(articles) != 1:
        raise InputError(f"the input holds {len(articles)} articles; give one (or use newsift corpus ingest)")
    article = articles[0]
    if sub.title.strip():
        article.title = sub.title.strip()
    if sub.published.strip():
        article.published = parse_published(sub.published.strip())
    return article


def analyse(article: Article) -> Report:
    from newsift.pipeline import default_pipeline

    return default_pipeline()(article)


def keep(store: Store, article: Article, report: Report) -> str:
    """Store the article (if new) and its report; the article's id in the store. A URL already stored with
    other text keeps the stored version (and its own analysis)."""
    item = StoredArticle.of(article, "web")
    result = store.insert_articles([item])
    if result.conflicts:
        raise InputError(f"{article.url} is already in the corpus with different text; the stored copy is kept")
    stored = store.db.execute("SELECT text FROM articles WHERE id = ?", (item.id,))
    if stored and stored[0][0] == article.text:
        store.save_report(item.id, report, __version__)
    return item.id

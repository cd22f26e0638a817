"""Ingest: paths, folders, URLs and stdin to :class:`~newsift.document.Article` objects.

``load(origin)`` reads one input (it may hold several articles: a JSON array, JSON Lines);
``expand(paths)`` turns folders into the supported files they hold.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from newsift.document import Article
from newsift.errors import InputError
from newsift.ingest.fetch import fetch_url
from newsift.ingest.html import article_from_html
from newsift.ingest.records import articles_from_json, articles_from_jsonl
from newsift.ingest.text import (
    DEFAULT_MAX_BYTES,
    check_size,
    decode_bytes,
    leading_byline,
    leading_title,
    require_text,
)

SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".json": "json",
            ".jsonl": "jsonl"}
_CONTENT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
                  "application/json": "json", "application/x-ndjson": "jsonl"}

__all__ = ["SUFFIXES", "expand", "is_url", "load", "parse_text"]


def is_url(origin: str) -> bool:
    return origin.startswith(("http://", "https://"))


def expand(paths: list[str] | tuple[str, ...]) -> list[str]:
    """The inputs a list of arguments names: a folder stands for the supported files in it (sorted)."""
    out: list[str] = []
    for p in paths:
        if p != "-" and not is_url(p) and os.path.isdir(p):
            out.extend(str(f) for f in sorted(Path(p).iterdir()) if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def load(origin: str, *, max_bytes: int = DEFAULT_MAX_BYTES, allow_private: bool = False) -> list[Article]:
    """The articles in one input: a file path, an http(s) URL, or ``-`` for stdin."""
    if origin == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        check_size(data, max_bytes, "stdin")
        return parse_bytes(data, _sniff(data), "stdin")
    if is_url(origin):
        fetched = fetch_url(origin, max_bytes=max_bytes, allow_private=allow_private)
        kind = _CONTENT_TYPES.get(fetched.content_type)
        if kind is None:
            raise InputError(f"{origin}: not an article (content type {fetched.content_type})")
        return parse_bytes(fetched.body, kind, origin, url=fetched.url)
    path = Path(origin)
    if not path.is_file():
        raise InputError(f"{origin}: no such file" if not path.exists() else f"{origin}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{origin}: {size:,} bytes is larger than the cap of {max_bytes:,} (--max-bytes)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{origin}: cannot read ({exc.strerror})") from None
    return parse_bytes(data, SUFFIXES.get(path.suffix.lower()) or _sniff(data), origin)


def parse_bytes(data: bytes, kind: str, origin: str, *, url: str | None = None) -> list[Article]:
    return parse_text(decode_bytes(data, origin), kind, origin, url=url)


def parse_text(text: str, kind: str, origin: str, *, url: str | None = None) -> list[Article]:
    """Articles from decoded text of a known kind: ``text``, ``html``, ``json`` or ``jsonl``."""
    require_text(text, origin)
    if kind == "html":
        return [article_from_html(text, url=url, origin=origin)]
    if kind == "json":
        return articles_from_json(text, origin)
    if kind == "jsonl":
        return articles_from_jsonl(text, origin)
    return [Article(text=text, title=leading_title(text), authors=leading_byline(text), url=url, origin=origin)]


def _sniff(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<?xml")):
        return "html"
    if head.startswith(b"{") and b"\n{" in data:
        return "jsonl"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"

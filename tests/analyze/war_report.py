"""The example article as a parsed document, for the where-and-when tests (ingest is tested elsewhere)."""

from __future__ import annotations

import html
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from newsift.document import Article, Document
from newsift.eval.english import english_document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "war-report.html"
PUBLISHED = date(2026, 5, 7)


def example_text() -> str:
    """Headline and paragraphs of the example article, one blank line apart."""
    raw = EXAMPLE.read_text(encoding="utf-8")
    body = raw[raw.index("<article>"):raw.index("</article>")]
    blocks = re.findall(r"<(?:h1|p)[^>]*>(.*?)</(?:h1|p)>", body, re.S)
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", b)).strip() for b in blocks)


@lru_cache(maxsize=8)
def _parsed(text: str) -> Document:
    return english_document(text)


def parsed(text: str, published: date | None = PUBLISHED) -> Document:
    """A fresh English document (layers empty) over a cached parse of ``text``."""
    cached = _parsed(text)
    return Document(article=Article(text=text, published=published), language="en", chunks=cached.chunks,
                    sentences=cached.sentences)

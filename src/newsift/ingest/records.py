"""JSON and JSON Lines records to articles: fields ``text``, ``title``, ``url``, ``published``, ``site``,
``authors``; or newsift reports, read as their articles."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from newsift.document import Article
from newsift.errors import InputError
from newsift.ingest.text import require_text


def articles_from_json(text: str, origin: str) -> list[Article]:
    """A JSON object or an array of objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{origin}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    records = data if isinstance(data, list) else [data]
    return [article_from_record(r, f"{origin}[{i}]" if len(records) > 1 else origin) for i, r in
            enumerate(records)]


def articles_from_jsonl(text: str, origin: str) -> list[Article]:
    """One JSON object per non-blank line."""
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{origin}:{lineno}: not valid JSON ({exc.msg})") from None
        out.append(article_from_record(record, f"{origin}:{lineno}"))
    if not out:
        raise InputError(f"{origin}: no records")
    return out


def article_from_record(record: Any, origin: str) -> Article:
    """One record; ``text`` is required, the other fields are optional. A newsift report (``newsift analyze
    --format json``) reads as the article it holds, to be analysed again."""
    if not isinstance(record, dict):
        raise InputError(f"{origin}: a record must be a JSON object")
    if "text" not in record and "schema_version" in record and isinstance(record.get("article"), dict):
        record = record["article"]
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{origin}: the record has no \"text\" string")
    authors = record.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    return Article(
        text=require_text(text, origin),
        title=_opt_str(record, "title", origin),
        url=_opt_str(record, "url", origin),
        site=_opt_str(record, "site", origin),
        authors=[str(a) for a in authors],
        published=_record_date(record.get("published"), origin),
        origin=origin,
    )


def _opt_str(record: dict, key: str, origin: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value or None
    raise InputError(f"{origin}: \"{key}\" must be a string")


def _record_date(value: Any, origin: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{origin}: \"published\" {value!r} is not a YYYY-MM-DD date") from None

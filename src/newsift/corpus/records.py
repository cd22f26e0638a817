"""Readers for record files shared by corpus ingest and fact-check import: CSV and JSON Lines.

Both refuse a whole file with one clear :class:`InputError` (a NUL byte, a line that is not JSON, a file
that is not UTF-8) rather than returning part of it.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsift.errors import InputError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _read_text(path: Path) -> str:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(f"{path}: line {line} contains a NUL byte; is it a binary file?")
    return text


def read_csv_dicts(path: str | Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """The rows of a CSV file with a header row; the delimiter is the one of , ; and tab most frequent
    in the header."""
    path = Path(path)
    text = _read_text(path)
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    try:
        rows = list(csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from exc
    columns = list(rows[0].keys()) if rows else []
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; it has {', '.join(map(str, columns))}"
        )
    return [{k: (v or "") for k, v in row.items() if k is not None} for row in rows]


def read_jsonl(path: str | Path) -> list[Any]:
    """The JSON values of a JSON Lines file (blank lines skipped)."""
    path = Path(path)
    out = []
    for lineno, line in enumerate(_read_text(path).splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {lineno} is not JSON: {exc.msg}") from exc
    return out


def read_json(path: str | Path) -> Any:
    """The JSON value of a file."""
    path = Path(path)
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg} at line {exc.lineno}") from exc

"""Bytes to text: encoding detection, sanity checks and option parsing shared by every input format."""

from __future__ import annotations

import codecs
import re
from datetime import date

from newsift.errors import InputError

DEFAULT_MAX_BYTES = 5_000_000
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters other than tab, newline, carriage return and form feed: a sign of binary data.
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


def check_size(data: bytes, max_bytes: int, origin: str) -> None:
    if len(data) > max_bytes:
        raise InputError(f"{origin}: {len(data):,} bytes is larger than the cap of {max_bytes:,} (--max-bytes)")


def decode_bytes(data: bytes, origin: str = "input") -> str:
    """Decode article bytes: a BOM decides (UTF-8, UTF-16, UTF-32); else strict UTF-8; else cp1251 when
    the high bytes read as Cyrillic words, else cp1252 (latin-1 for its five undefined bytes).

    Raises :class:`InputError` for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked_text(data[len(bom) :].decode(encoding), origin)
            except UnicodeDecodeError as exc:
                raise InputError(f"{origin}: not valid {encoding} after its byte-order mark ({exc.reason})") from exc
    if b"\x00" in data[:8192]:
        raise InputError(f"{origin}: looks like a binary file (NUL bytes), not text")
    try:
        return _checked_text(data.decode("utf-8"), origin)
    except UnicodeDecodeError:
        pass
    return _checked_text(_decode_legacy(data), origin)


def _decode_legacy(data: bytes) -> str:
    high = [b for b in data if b >= 0x80]
    # In cp1251 Cyrillic letters are 0xC0-0xFF; in Western text most high bytes are isolated accents.
    cyrillic = sum(1 for b in high if b >= 0xC0)
    if high and cyrillic / len(high) > 0.6 and _cyrillic_runs(data) > 0.5:
        return data.decode("cp1251", errors="replace")
    return data.decode("cp1252", errors="newsift-latin1")


def _cyrillic_runs(data: bytes) -> float:
    """Share of high bytes that sit next to another high byte (letters inside Cyrillic words)."""
    high = [i for i, b in enumerate(data) if b >= 0x80]
    if not high:
        return 0.0
    in_runs = sum(
        1 for i in high if (i > 0 and data[i - 1] >= 0x80) or (i + 1 < len(data) and data[i + 1] >= 0x80)
    )
    return in_runs / len(high)


def _latin1_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bytes cp1252 leaves undefined as latin-1 (C1 control characters)."""
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("newsift-latin1", _latin1_fallback)


def _checked_text(text: str, origin: str) -> str:
    sample = text[:8192]
    if sample and sum(ord(ch) in _CONTROL for ch in sample) / len(sample) > 0.01:
        raise InputError(f"{origin}: looks like a binary file (control characters), not text")
    return text


def require_text(text: str, origin: str) -> str:
    """The text itself, or :class:`InputError` when it is empty or only white space."""
    if not text.strip():
        raise InputError(f"{origin}: no text to analyse (empty or only white space)")
    return text


# a first line set apart by a blank line (``leading_title`` says which of them are headlines)
_HEADLINE = re.compile(r"\A[ \t]*(?P<title>[^\r\n]{1,300}?)[ \t]*\r?\n[ \t]*(?:\r?\n|\r)")
_NOT_A_HEADLINE = re.compile(r"[,;:…–—-]$|^By\s")


def leading_title(text: str) -> str | None:
    """The title of a plain-text article: its first line when that reads as a headline, of 3 to 30 words,
    set apart from the body by a blank line, neither ending like a clause ("," ";" ":"), nor with a full stop
    unless it is in title case (a sentence of body text), nor a byline ("By Jane Doe"); else None. The line
    stays in the text, so offsets are unchanged."""
    m = _HEADLINE.match(text)
    if m is None:
        return None
    title = m.group("title")
    if _NOT_A_HEADLINE.search(title) or not 3 <= len(title.split()) <= 30:
        return None
    if title.endswith(".") and not is_title_case(title):
        return None
    return title


_BYLINE = re.compile(r"^[ \t]*By[ \t]+(?P<names>[^\r\n]{2,120}?)[ \t]*$", re.MULTILINE)
_NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_NAME_PARTICLES = {"de", "da", "del", "der", "van", "von", "bin", "al", "la", "le", "du", "dos", "di"}
_ROLES = {"staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor",
          "contributor", "columnist", "senior", "chief", "political", "foreign", "special", "bureau",
          "contributing", "associate", "investigations", "science", "health", "business", "reporting"}
BYLINE_LINES = 3


def leading_byline(text: str) -> list[str]:
    """The authors of a plain-text article: the names of a byline ("By Jane Doe and John Roe", "By Ana
    Lima, Staff Writer" without the job title) among its first ``BYLINE_LINES`` non-empty lines, each of one
    to five capitalised words (particles such as "van" or "de" aside), so that a sentence ("By the end of the
    day, …") is no byline. None found: no author."""
    lines = [line for line in text.lstrip().splitlines()[: 2 * BYLINE_LINES] if line.strip()][:BYLINE_LINES]
    for line in lines:
        m = _BYLINE.match(line)
        if m is None:
            continue
        names = [n.strip(" .") for n in _NAME_SEPARATORS.split(m.group("names")) if n.strip(" .")]
        if names and all(_is_name(n) for n in names):
            return [n for n in names if not _is_role(n)] or names  # "By Staff Writer" is all it says
    return []


def _is_role(words: str) -> bool:
    """A job title after a name in a byline ("Staff Writer", "Senior Correspondent"), not an author."""
    return all(w.lower() in _ROLES for w in words.split())


def _is_name(words: str) -> bool:
    parts = words.split()
    return 1 <= len(parts) <= 5 and all(w[0].isupper() or w in _NAME_PARTICLES for w in parts)


def is_title_case(line: str) -> bool:
    """Whether most longer words of ``line`` (four letters or more, after the first word) are capitalised, as
    in a headline ("Small Steps Toward College Savings."), not in a sentence of body text."""
    words = [w for w in line.split()[1:] if sum(ch.isalpha() for ch in w) >= 4]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def parse_published(value: str) -> date:
    """A ``YYYY-MM-DD`` publication date, or :class:`InputError`."""
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--published {value!r} is not a date in the form YYYY-MM-DD") from None

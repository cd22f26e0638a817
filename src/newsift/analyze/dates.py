"""The dates layer: every date expression, resolved against the publication date.

A rule-based recogniser (regular expressions, no model): absolute dates ("March 18th", "7 May 2026",
"2026-05-07", "07.05.2026", "Christmas Eve"), partial dates ("April 2026", "in 2019", "since January"),
ranges ("March 3-5", "2019-2021", resolved to their start), and relative expressions ("yesterday", "last
Tuesday", "on Wednesday", "two weeks ago", "weeks earlier", "earlier this month"). ``relative`` is true when
the publication date (or a date before the expression) supplied part of the value; without a publication
date such expressions keep ``value = None``.

Resolution rules, with P the publication date:
* a day or month without a year is the most recent such day (month) not after P, or the first not before P
  when it points forward: "by", "until" or "before" just before it, or a schedule in the present tense
  ("takes effect on", "runs from", "ends in"), or "would" earlier in its clause ("said it would meet them on
  Thursday"), or a future marker in its sentence ("will", "scheduled", "expected to", ...), and neither
  "since" nor a verb in the past tense ("said on", "cleared by") just before it;
* a bare weekday is the most recent such day not after P (the next one on or after P when future);
  "last W" is the most recent W strictly before P, "next W" the first strictly after P, "this W" the W of P's
  Monday-to-Sunday week; "every W" (a habit) has no value;
* "N days ago" is P − N days; weeks count as 7 days (a day value when N is given, else the month of P − 21
  days for a vague "weeks earlier"); "N months ago" is a month, "N years ago" a year;
* "N days later" and "N days earlier" count the same way from the nearest date before them that has a value
  ("agreed on October 30, collapsed three days later"), no finer than that date ("in 2016 … three days
  later" is 2016), and from P when there is none; "two days before it failed" counts from an event: no date;
* a fixed holiday ("New Year's Eve", "Christmas Day", "on Christmas") is resolved as its day and month.
Numeric patterns are language-independent, so the layer also runs (numeric patterns only) on other languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from newsift import report as R
from newsift.document import Document

MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
        ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sept", "Sep"),
        ("October", "Oct"), ("November", "Nov"), ("December", "Dec"),
    ])
    for name in names
}
WEEKDAYS = {d: i for i, d in enumerate(
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))}
NUMBER_WORDS = {w: i + 1 for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split())} | {"a": 1, "an": 1}
HOLIDAYS = {"new year's eve": (12, 31), "new year's day": (1, 1), "christmas eve": (12, 24),
            "christmas day": (12, 25), "christmas": (12, 25), "boxing day": (12, 26), "halloween": (10, 31),
            "valentine's day": (2, 14), "bastille day": (7, 14), "armistice day": (11, 11)}
MIN_YEAR, MAX_YEAR = 1000, 2999
CUE_YEARS = (1800, 2199)

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH2 = _MONTH.replace("month", "month2")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DAY2 = r"(?P<day2>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})(?!\d)"
_DASH = r"\s*(?:-|–|—|to|through|until)\s*"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(NUMBER_WORDS) + r"|a few|several|a couple of)"
_FUTURE = re.compile(
    r"(?:\b(?:will|shall|going to|plans? to|planned|scheduled|expected|due|set to|upcoming|deadline)|'ll)\b",
    re.IGNORECASE)
_FUTURE_BEFORE = re.compile(r"\b(?:by|until|till|before|next|due)\s+$", re.IGNORECASE)
# a schedule in the present tense right before the date: "takes effect on", "comes into force", "runs from"
_SCHEDULE_BEFORE = re.compile(r"\b(?:(?:takes|goes|comes|enters)\s+(?:into\s+)?(?:effect|force)|runs|starts|begins|"
                              r"opens|closes|ends|expires|applies|apply|lasts|kicks off)\s+(?:on|from|in)?\s*$",
                              re.IGNORECASE)
_PAST_BEFORE = re.compile(r"\b(?:since|last|ago|earlier)\s+$", re.IGNORECASE)
# a verb in the past tense right before the date or its "on" ("said on October 8th that … will …"), not a
# passive that may be future ("will be released on June 2")
_PAST_VERB_BEFORE = re.compile(r"(?<!\bbe )(?<!\bbeen )\b(?!(?:scheduled|planned|expected|postponed|delayed|"
                               r"moved|set)\b)(?:said|told|wrote|met|held|\w+ed)\s+(?:on\s+|by\s+)?$", re.IGNORECASE)
# the future of a past statement, in the same clause before the date: "said it would meet both sides on Thursday"
# (not "would have", a past that did not happen)
_WOULD_BEFORE = re.compile(r"\bwould\b(?!\s+(?:not\s+|never\s+)?have\b)[^.!?;:,\n]{0,60}$", re.IGNORECASE)
_SENTENCE_EDGE = re.compile(r"[.!?]\s|\n")


@dataclass(frozen=True)
class DateHit:
    """A recognised date expression: ``text[start:end]``, its value and whether P supplied part of it."""

    start: int
    end: int
    value: str | None
    relative: bool


@dataclass(frozen=True)
class Context:
    """What resolution may look at: the publication date and whether the sentence speaks of the future."""

    published: date | None
    future: bool


Resolved = tuple[str | None, bool] | None  # (value, relative); None: not a date after all
Resolver = Callable[[re.Match[str], Context], Resolved]


def _day(year: int, month: int, day: int) -> str | None:
    """ISO day, or None when there is no such day (February 30)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 else None


def _year(year: int) -> str | None:
    return f"{year:04d}" if MIN_YEAR <= year <= MAX_YEAR else None


def _month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_no(m: re.Match[str], group: str = "month") -> int:
    return MONTHS[m.group(group).rstrip(".")]


def _infer_year(month: int, day: int, ctx: Context) -> int:
    """The year putting month/day on the right side of P (see the module docstring)."""
    p = ctx.published
    assert p is not None
    candidate = (month, day)
    if ctx.future:
        return p.year if candidate >= (p.month, p.day) else p.year + 1
    return p.year if candidate <= (p.month, p.day) else p.year - 1


def day_month(m: re.Match[str], ctx: Context) -> Resolved:
    """"March 18th", "May 3, 2026", "18 March 2026", "March 3-5" (the start)."""
    month, day = _month_no(m), int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    if m.group("year"):
        return _day(int(m.group("year")), month, day), False
    if ctx.published is None:
        return None, True
    return _day(_infer_year(month, day, ctx), month, day), True


def holiday(m: re.Match[str], ctx: Context) -> Resolved:
    """"New Year's Eve", "Christmas Day", "on Christmas": that day of the year around P, like "December 31"."""
    if ctx.published is None:
        return None, True
    month, day = HOLIDAYS[re.sub(r"\s+", " ", m.group("holiday").replace("’", "'")).lower()]
    return _day(_infer_year(month, day, ctx), month, day), True


def month_year(m: re.Match[str], ctx: Context) -> Resolved:
    return _month(int(m.group("year")), _month_no(m)), False


def cue_month(m: re.Match[str], ctx: Context) -> Resolved:
    """"since January", "in March", "last March", "early May": a month of the year around P."""
    if ctx.published is None:
        return None, True
    month, p = _month_no(m), ctx.published
    modifier = (m.groupdict().get("mod") or "").lower()
    if modifier == "next" or (ctx.future and modifier != "last"):
        year = p.year if month >= p.month else p.year + 1
    elif modifier == "last":
        year = p.year if month < p.month else p.year - 1
    else:
        year = p.year if month <= p.month else p.year - 1
    return _month(year, month), True


def cue_year(m: re.Match[str], ctx: Context) -> Resolved:
    year = int(m.group("year"))
    return (_year(year), False) if CUE_YEARS[0] <= year <= CUE_YEARS[1] else None


def year_range(m: re.Match[str], ctx: Context) -> Resolved:
    start, end_text = int(m.group("year")), m.group("year2")
    end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
    if not (CUE_YEARS[0] <= start <= CUE_YEARS[1] and start < end <= CUE_YEARS[1]):
        return None
    return _year(start), False


def iso_date(m: re.Match[str], ctx: Context) -> Resolved:
    return _day(int(m.group("year")), int(m.group("a")), int(m.group("b"))), False


def numeric_date(m: re.Match[str], ctx: Context) -> Resolved:
    """"07.05.2026" (day first) or "7/5/2026" (day first unless the first number cannot be a day... or
    the second cannot be a month; when both readings hold the value stays None)."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
    if m.group("sep") == "." or a > 12:
        return _day(year, b, a), False
    if b > 12:
        return _day(year, a, b), False
    return (_day(year, a, b) if a == b else None), False


def day_word(m: re.Match[str], ctx: Context) -> Resolved:
    offsets = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
               "yesterday": -1, "last night": -1, "tomorrow": 1}
    if ctx.published is None:
        return None, True
    return (ctx.published + timedelta(days=offsets[m.group(0).lower()])).isoformat(), True


def weekday(m: re.Match[str], ctx: Context) -> Resolved:
    if ctx.published is None:
        return None, True
    p, wanted = ctx.published, WEEKDAYS[m.group("weekday")]
    back = (p.weekday() - wanted) % 7  # days since the most recent such weekday, 0 if P is one
    modifier = (m.groupdict().get("mod") or "").lower()
    if modifier in ("every", "each"):
        return None, True
    if modifier in ("last", "past"):
        day = p - timedelta(days=back or 7)
    elif modifier == "next":
        day = p + timedelta(days=(wanted - p.weekday()) % 7 or 7)
    elif modifier == "this":
        day = p - timedelta(days=p.weekday()) + timedelta(days=wanted)
    elif ctx.future:
        day = p + timedelta(days=(wanted - p.weekday()) % 7)
    else:
        day = p - timedelta(days=back)
    return day.isoformat(), True


def _count(text: str | None) -> int | None:
    """A small count written in digits or words; None for vague ones ("a few", "several")."""
    if text is None:
        return None
    text = text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text)


def offset_span(m: re.Match[str], ctx: Context) -> Resolved:
    """"three days ago", "two weeks earlier", "weeks earlier", "a month ago", "five years later", from P
    (:func:`find_dates` moves "later" and "earlier" to the date before them); "two days before it failed" is
    counted from an event, not a date: no date expression."""
    if m.group("dir").lower() == "before":
        return None
    if ctx.published is None:
        return None, True
    return shifted(ctx.published.isoformat(), m), True


def shifted(value: str, m: re.Match[str]) -> str | None:
    """The date ``value`` (a day, month or year) moved by the offset ``m`` matched, no finer than ``value``:
    a day moves by days ("three days later"), a month or a year keeps its own precision."""
    parts = [int(x) for x in value.split("-")]
    unit, n = m.group("unit").lower().rstrip("s"), _count(m.group("count"))
    sign = 1 if m.group("dir").lower() in ("later", "from now") else -1
    if unit == "day" and n is None:
        return None  # "several days later": too vague for a day
    if unit in ("day", "week") and len(parts) == 3:
        day = date(*parts) + timedelta(days=sign * (n if n is not None else 3) * (7 if unit == "week" else 1))
        return day.isoformat() if n is not None else _month_of(day)
    if unit != "year" and len(parts) >= 2:
        months = parts[0] * 12 + parts[1] - 1 + (sign * (n if n is not None else 2) if unit == "month" else 0)
        return _month(months // 12, months % 12 + 1)
    return _year(parts[0] + (sign * (n if n is not None else 2) if unit == "year" else 0))


def this_period(m: re.Match[str], ctx: Context) -> Resolved:
    """"last week", "this month", "earlier this year", "next year": the month or year of that period."""
    if ctx.published is None:
        return None, True
    p, unit = ctx.published, m.group("unit").lower()
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(m.group("mod").lower(), 0)
    if unit == "week":
        return _month_of(p + timedelta(days=7 * step)), True
    if unit == "month":
        months = p.year * 12 + p.month - 1 + step
        return _month(months // 12, months % 12 + 1), True
    return _year(p.year + step), True


# "a crowd of 2000 people", "from 1500 homes": a number of things, not a year
_NOT_A_COUNT = (r"(?!\s+(?:people|persons|men|women|children|troops|soldiers|fighters|residents|families|homes|"
                r"houses|buildings|cases|deaths|dead|votes|jobs|members|workers|refugees|migrants|protesters|"
                r"students|visitors|pages|words|miles|kilometres|kilometers|metres|meters|feet|tons|tonnes)\b)")
_NARRATIVE_OFFSETS = (
    re.compile(r"\b" + _COUNT + r"\s(?P<unit>days?|weeks?|months?|years?)\s(?P<dir>ago|earlier|later|before"
               r"|from now)\b", re.IGNORECASE),
    re.compile(r"\b(?P<count>)(?P<unit>[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears)\s(?P<dir>earlier|later|ago)\b"),
)
_PATTERNS: list[tuple[re.Pattern[str], Resolver, bool]] = [
    # (pattern, resolver, language-independent)
    (re.compile(r"(?<![\d-])" + _YEAR + r"-(?P<a>\d{2})-(?P<b>\d{2})(?![\d-])"), iso_date, True),
    (re.compile(r"(?<![\d./])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)" + _YEAR + r"(?!\d|[./]\d)"),
     numeric_date, True),
    (re.compile(r"\b" + _MONTH + r"\s" + _DAY + r"(?:" + _DASH + r"(?:" + _MONTH2 + r"\s)?" + _DAY2 + r")?"
                + r"(?:,?\s" + _YEAR + r")?\b"), day_month, False),
    (re.compile(r"\b" + _DAY + r"(?:" + _DASH + _DAY2 + r")?\s(?:of\s)?" + _MONTH
                + r"(?:,?\s" + _YEAR + r")?\b"), day_month, False),
    (re.compile(r"\b(?P<holiday>New Year['’]s (?:Eve|Day)|Christmas (?:Eve|Day)|Boxing Day|Halloween|"
                r"Valentine['’]s Day|Bastille Day|Armistice Day)\b"), holiday, False),
    (re.compile(r"\b(?:on|at|by|before|after|since|until|over)\s(?P<core>(?P<holiday>Christmas))\b"), holiday,
     False),
    (re.compile(r"\b" + _MONTH + r",?\s" + _YEAR), month_year, False),
    (re.compile(r"\b(?i:in|since|by|until|from|before|after|during|of|through|for)\s(?P<core>" + _MONTH
                + r")\b"), cue_month, False),
    (re.compile(r"\b(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate|[Mm]id-|[Mm]id|[Ee]arlier in|"
                r"[Ll]ater in)\s?" + _MONTH + r"\b"), cue_month, False),
    # "2019-21", "2019 to 2021"; not "from 93 percent in 2019 to 79 percent"
    (re.compile(r"(?<!\d)" + _YEAR + _DASH.replace("to|through|until", "to")
                + r"(?P<year2>\d{4}|(?:(?<=[-–—])|(?<=[-–—]\s))\d{2})\b"),
     year_range, True),
    (re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Bb]efore|[Aa]fter|[Dd]uring|[Bb]etween|of|early|late|"
                r"mid-)\s"
                r"(?P<core>" + _YEAR + r")\b" + _NOT_A_COUNT), cue_year, False),
    # "between 2010 and 2015"
    (re.compile(r"(?<=[Bb]etween \d{4} and )" + _YEAR + r"\b" + _NOT_A_COUNT), cue_year, False),
    (re.compile(r"\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening)|last night)\b",
                re.IGNORECASE), day_word, False),
    (re.compile(r"(?:\b(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|every|each)\s)?\b" + _WEEKDAY + r"\b"),
     weekday, False),
    (_NARRATIVE_OFFSETS[0], offset_span, False),
    (_NARRATIVE_OFFSETS[1], offset_span, False),
    (re.compile(r"\b(?:(?:earlier|later)\s)?(?P<mod>last|this|next|past|previous|coming)\s"
                r"(?P<unit>week|month|year)\b", re.IGNORECASE), this_period, False),
]


def _future(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` points forward: the words before it say so ("by", "until", a schedule in the
    present tense: "takes effect on", "runs from"; a verb in the past tense, "said on", "cleared by", or
    "since" say the opposite; "would" earlier in its clause, the future of a past statement, says so too), else
    its sentence has a future marker ("will", "scheduled", "expected to", ...)."""
    before = text[max(0, start - 12):start]
    if _PAST_VERB_BEFORE.search(text, max(0, start - 24), start):  # "said on", "cleared by Saturday"
        return False
    if _FUTURE_BEFORE.search(before) or _SCHEDULE_BEFORE.search(text, max(0, start - 30), start):
        return True
    if _PAST_BEFORE.search(before):
        return False
    if _WOULD_BEFORE.search(text, max(0, start - 70), start):
        return True
    left = max((m.end() for m in _SENTENCE_EDGE.finditer(text, max(0, start - 300), start)), default=0)
    right_match = _SENTENCE_EDGE.search(text, end)
    right = right_match.start() if right_match else len(text)
    return bool(_FUTURE.search(text, left, right))


def find_dates(text: str, published: date | None, english: bool = True) -> list[DateHit]:
    """Every date expression of ``text``, longest first where two overlap, in text order. "N days later"
    and "weeks earlier" count from the nearest date before them that has a value ("agreed on October 30,
    collapsed three days later"), from P when there is none."""
    found: list[tuple[DateHit, re.Match[str]]] = []
    for m, resolver in _matches(text, english):
        start, end = m.span("core") if m.groupdict().get("core") else m.span()
        resolved = resolver(m, Context(published, _future(text, start, end)))
        if resolved is not None:
            found.append((DateHit(start, end, *resolved), m))
    out: list[DateHit] = []
    anchor: str | None = None  # the value of the nearest date so far that has one
    for hit, m in _without_overlaps(found):
        if anchor is not None and m.re in _NARRATIVE_OFFSETS and m.group("dir").lower() in ("later", "earlier"):
            hit = DateHit(hit.start, hit.end, shifted(anchor, m), True)
        out.append(hit)
        anchor = hit.value or anchor
    return out


def _matches(text: str, english: bool) -> Iterator[tuple[re.Match[str], Resolver]]:
    for pattern, resolver, independent in _PATTERNS:
        if english or independent:
            for m in pattern.finditer(text):
                yield m, resolver


def _without_overlaps(hits: list[tuple[DateHit, re.Match[str]]]) -> list[tuple[DateHit, re.Match[str]]]:
    kept: list[tuple[DateHit, re.Match[str]]] = []
    for hit, m in sorted(hits, key=lambda hm: (hm[0].start - hm[0].end, hm[0].start)):
        if all(hit.end <= k.start or hit.start >= k.end for k, _ in kept):
            kept.append((hit, m))
    return sorted(kept, key=lambda hm: hm[0].start)


class DateAnalyzer:
    """Writes ``doc.dates``."""

    layer = "dates"
    english_only = False

    def __call__(self, doc: Document) -> None:
        hits = find_dates(doc.text, doc.article.published, english=doc.language == "en")
        doc.dates = [R.DateMention(start=h.start, end=h.end, text=doc.text[h.start:h.end], value=h.value,
                                   relative=h.relative) for h in hits]

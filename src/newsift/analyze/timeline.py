"""The timeline layer: the article's dated events in date order.

An event is a resolved date mention with the sentence it sits in, without a list item's bullet; the date of a
dateline the parser split off as a sentence ("MILAN, Oct. 14 —") goes with the sentence after it. Events sort
by value as ISO text, so a partial date ("2026-04") comes before the days of its month and a year before its
months; mentions with the same value keep text order. Unresolved mentions (``value`` None) are left out.
"""

from __future__ import annotations

from bisect import bisect_left

from newsift import report as R
from newsift.analyze.claims import statement
from newsift.document import Document


class TimelineAnalyzer:
    """Writes ``doc.timeline`` from ``doc.dates``."""

    layer = "timeline"
    english_only = False

    def __call__(self, doc: Document) -> None:
        events = []
        for mention in doc.dates:
            if mention.value is None:
                continue
            start, end = _event_sentence(doc, mention)
            events.append(R.TimelineEvent(
                date=mention.value,
                date_span=doc.span(mention.start, mention.end),
                sentence=R.SentenceRef(start=start, end=end),
            ))
        doc.timeline = sorted(events, key=lambda e: (e.date, e.date_span.start))


def _event_sentence(doc: Document, mention: R.DateMention) -> tuple[int, int]:
    start, end = doc.sentence_at(mention.start) or (mention.start, mention.end)
    s, e = statement(doc.text, start, end)
    if s >= e:  # a dateline alone: with the sentence after it
        k = bisect_left(doc.sentences, (end, end))
        return (start, doc.sentences[k][1]) if k < len(doc.sentences) else (start, end)
    return (s, e) if s <= mention.start else (start, end)

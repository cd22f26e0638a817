"""The timeline layer: the article's dated events in date order.

An event is a resolved date mention with the sentence it sits in. Events sort by value as ISO text, so a
partial date ("2026-04") comes before the days of its month and a year before its months; mentions with the
same value keep text order. Unresolved mentions (``value`` None) are left out.
"""

from __future__ import annotations

from newsift import report as R
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
            start, end = doc.sentence_at(mention.start) or (mention.start, mention.end)
            events.append(R.TimelineEvent(
                date=mention.value,
                date_span=doc.span(mention.start, mention.end),
                sentence=R.SentenceRef(start=start, end=end),
            ))
        doc.timeline = sorted(events, key=lambda e: (e.date, e.date_span.start))

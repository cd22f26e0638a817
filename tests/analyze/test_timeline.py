from newsift.analyze.dates import DateAnalyzer
from newsift.analyze.timeline import TimelineAnalyzer
from tests.analyze.war_report import PUBLISHED, example_text, parsed


def test_timeline_is_ordered_and_anchored():
    doc = parsed(example_text())
    DateAnalyzer()(doc)
    TimelineAnalyzer()(doc)
    dates = [e.date for e in doc.timeline]
    assert dates == sorted(dates)
    assert dates[0] == "2026-01" and "2026-03-18" in dates and dates[-1] == "2026-05-15"
    for event in doc.timeline:
        assert doc.text[event.date_span.start:event.date_span.end] == event.date_span.text
        assert event.sentence.start <= event.date_span.start < event.date_span.end <= event.sentence.end


def test_unresolved_dates_are_left_out():
    doc = parsed("The minister resigned on Tuesday, and the law of 2019 stands.", None)
    DateAnalyzer()(doc)
    TimelineAnalyzer()(doc)
    assert [e.date for e in doc.timeline] == ["2019"]


def test_a_lone_dateline_goes_with_the_next_sentence_and_a_bullet_is_cut():
    from newsift.document import Article, Document

    text = "MILAN, Oct. 14 — At least 12 people died.\nKey facts:\n- The river rose 4 metres, the most since 1994."
    cut = text.index("At")
    sentences = [(0, cut - 1), (cut, text.index("\nKey")), (text.index("Key"), text.index("\n-")),
                 (text.index("- The"), len(text))]
    doc = Document(article=Article(text=text, published=PUBLISHED), language="en", sentences=sentences)
    DateAnalyzer()(doc)
    TimelineAnalyzer()(doc)
    got = {e.date: text[e.sentence.start:e.sentence.end] for e in doc.timeline}
    assert got == {"1994": "The river rose 4 metres, the most since 1994.",
                   "2025-10-14": "MILAN, Oct. 14 — At least 12 people died."}

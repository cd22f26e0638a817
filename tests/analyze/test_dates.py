from datetime import date

import pytest

from newsift.analyze.dates import DateAnalyzer, find_dates
from newsift.document import Article, Document
from tests.analyze.war_report import PUBLISHED, example_text, parsed


def values(text: str, published: date | None = PUBLISHED) -> dict[str, str | None]:
    return {text[h.start:h.end]: h.value for h in find_dates(text, published)}


def test_example_article_dates_resolve_against_publication():
    doc = parsed(example_text())
    DateAnalyzer()(doc)
    got = {(d.text, d.value, d.relative) for d in doc.dates}
    assert {
        ("May 7, 2026", "2026-05-07", False),
        ("Thursday", "2026-05-07", True),
        ("last Tuesday", "2026-05-05", True),
        ("May 15", "2026-05-15", True),
        ("Wednesday", "2026-05-06", True),
        ("March 18th", "2026-03-18", True),
        ("yesterday", "2026-05-06", True),
        ("Weeks earlier", "2026-04", True),
        ("April 2026", "2026-04", False),
        ("January", "2026-01", True),
    } <= got
    for d in doc.dates:
        assert doc.text[d.start:d.end] == d.text


def test_without_publication_date_relative_dates_stay_unresolved():
    text = "On Thursday, a week after March 18th and yesterday's strike, the April 2026 figures came out."
    got = values(text, None)
    assert got["Thursday"] is None and got["March 18th"] is None and got["yesterday"] is None
    assert got["April 2026"] == "2026-04"


@pytest.mark.parametrize("text, expression, value", [
    ("The memo of February 30 was fake.", "February 30", None),
    ("The order dated 31 April 2026 was forged.", "31 April 2026", None),
    ("It was signed on 3 March 9999.", "3 March 9999", None),
    ("The target is to be met by 2150.", "2150", "2150"),
    ("The leaflet was dated 5/7/2026.", "5/7/2026", None),
    ("The memo of 13/04/2026 leaked.", "13/04/2026", "2026-04-13"),
    ("Officials met on 06.05.2026.", "06.05.2026", "2026-05-06"),
    ("The document is dated 2024-02-20.", "2024-02-20", "2024-02-20"),
    ("The hearings ran March 3-5.", "March 3-5", "2026-03-03"),
    ("The 2014–2022 period was violent.", "2014–2022", "2014"),
    ("The 2019-21 plan failed.", "2019-21", "2019"),
    ("Turnout fell from 93 percent in 2019 to 79 percent.", "2019", "2019"),
    ("Talks are scheduled for December 3.", "December 3", "2026-12-03"),
    ("The court adjourned until next Thursday.", "next Thursday", "2026-05-14"),
    ("Two weeks ago the governor resigned.", "Two weeks ago", "2026-04-23"),
    ("Earlier this month prices rose.", "Earlier this month", "2026-05"),
    ("The cabinet meets every Monday.", "every Monday", None),
    ("Several days later the statement was withdrawn.", "Several days later", None),
    ("The strike began on New Year's Eve.", "New Year's Eve", "2025-12-31"),
    ("Nobody slept on Christmas.", "Christmas", "2025-12-25"),
    ("The minister said on June 2 that prices will rise.", "June 2", "2025-06-02"),
    ("The figures will be released on June 2.", "June 2", "2026-06-02"),
    ("The new tariff takes effect on January 1.", "January 1", "2027-01-01"),
    ("The court's term ends in April.", "April", "2027-04"),
    ("The snow had cleared by March 9.", "March 9", "2026-03-09"),
    ("The ministry said it would meet both sides on Saturday.", "Saturday", "2026-05-09"),
    ("He said the bill would have passed on Monday.", "Monday", "2026-05-04"),
])
def test_resolution_and_bad_dates(text, expression, value):
    assert values(text) == {expression: value}


@pytest.mark.parametrize("text", [
    "He was the 45th person to sign.",
    "A plan for the year 3024 was described as fantasy.",
    "May I ask why, she said.",
    "Thousands joined the march.",
    "Thousands set off in march order for the capital.",
    "The code 12/14/16 was printed on the crate.",
    "A crowd of 2000 people waited outside.",
])
def test_no_date_in_ordinals_words_and_far_years(text):
    assert find_dates(text, PUBLISHED) == []


def test_other_languages_get_numeric_dates_only():
    doc = Document(article=Article(text="Am 7. Mai, also am 07.05.2026, tagte der Rat.", published=PUBLISHED),
                   language="de")
    DateAnalyzer()(doc)
    assert [(d.text, d.value) for d in doc.dates] == [("07.05.2026", "2026-05-07")]


def test_later_and_earlier_count_from_the_date_before_them():
    got = find_dates("The ceasefire, agreed on October 30, collapsed three days later. The permit came in 2016; "
                     "three days later it was revoked. Police had said four days earlier that it was over.",
                     PUBLISHED)
    assert [(h.value, h.relative) for h in got] == [
        ("2025-10-30", True), ("2025-11-02", True), ("2016", False), ("2016", True), ("2016", True)]
    assert [h.value for h in find_dates("The agency said a day earlier that the levees held.", PUBLISHED)] == [
        "2026-05-06"]  # no date before it: from the publication date


def test_a_count_before_an_event_is_no_date():
    text = "The dam was inspected on June 6, two days before it failed. Between 2010 and 2015 it was rebuilt."
    assert [text[h.start:h.end] for h in find_dates(text, PUBLISHED)] == ["June 6", "2010", "2015"]

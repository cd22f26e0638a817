import bisect

import pytest

from newsift import analyze
from newsift.pipeline import chunk_bounds, load_spacy, rule_sentences
from tests.analyze.war_report import PUBLISHED, example_text


def test_chunks_cover_the_text_and_prefer_breaks():
    text = ("para one sentence. " * 40 + "\n\n") * 30
    bounds = chunk_bounds(text, size=2000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(e - s <= 2000 for s, e in bounds)
    assert all(text[e - 2:e] == "\n\n" for _, e in bounds[:-1])


def test_chunks_of_an_unbroken_line():
    text = "x" * 10_500
    assert chunk_bounds(text, size=1000)[-1] == (10_000, 10_500)


def test_rule_sentences():
    text = "Один. Два три!  «Чотири?» П'ять\n\nШість"
    assert [text[s:e] for s, e in rule_sentences(text)] == ["Один.", "Два три!", "«Чотири?»", "П'ять", "Шість"]


def test_a_closing_quotation_mark_ends_its_sentence():
    report = analyze('The union called the claim "a lie designed to divide workers."\n\nThe strike is spreading.')
    assert [report.article.text[s.start:s.end] for s in report.sentences] == [
        'The union called the claim "a lie designed to divide workers."', "The strike is spreading."]


def test_non_english_skips_english_layers():
    report = analyze("Міністерство закордонних справ заявило 7 травня 2026 року, що переговори в Стамбулі "
                     "тривають, але делегації не зустрічалися з минулого вівторка.", published="2026-05-07")
    assert report.article.language == "uk"
    skipped = {s.layer for s in report.skipped}
    assert {"entities", "attributions", "claims", "techniques"} <= skipped
    assert report.sentences and report.offset_errors() == []


def test_long_unpunctuated_text_is_chunked():
    text = "word " * 30_000
    report = analyze(text)
    assert report.offset_errors() == []
    assert report.sentences


def lf_view(value, crlf: str, key: str | None = None):
    """A report's dump with every offset into ``crlf`` moved to the same place in its ``\\n`` form, and the
    carriage returns dropped from its texts."""
    returns = [i for i, c in enumerate(crlf) if c == "\r"]
    if isinstance(value, dict):
        return {k: lf_view(v, crlf, k) for k, v in value.items()}
    if isinstance(value, list):
        return [lf_view(v, crlf, key) for v in value]
    if key in ("start", "end") and isinstance(value, int):
        return value - bisect.bisect_left(returns, value)
    return value.replace("\r", "") if isinstance(value, str) else value


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_windows_line_endings_parse_as_line_feeds(ending):
    text = "Betrayal in Washington\n\nThe senator said on Monday that the corrupt elites had lied.\nThey will pay."
    nlp = load_spacy()
    lf, crlf = nlp(text), nlp(text.replace("\n", ending))
    assert crlf.text == text.replace("\n", ending)
    read = [[(t.tag_, t.dep_, t.head.i, t.is_sent_start, t.ent_type_) for t in d] for d in (lf, crlf)]
    assert read[0] == read[1]
    assert (lf.tensor == crlf.tensor).all()


def test_windows_line_endings_give_the_same_analysis():
    lf = example_text()
    crlf = lf.replace("\n", "\r\n")
    ours, theirs = analyze(crlf, published=PUBLISHED), analyze(lf, published=PUBLISHED)
    assert ours.offset_errors() == []
    assert theirs.sources and theirs.claims and theirs.techniques and theirs.dates
    mapped, expected = lf_view(ours.model_dump(), crlf), theirs.model_dump()
    for dump in (mapped, expected):
        del dump["article"]["id"]  # a hash of the text
    assert mapped == expected

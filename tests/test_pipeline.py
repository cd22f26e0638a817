from newsift import analyze
from newsift.pipeline import chunk_bounds, rule_sentences


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

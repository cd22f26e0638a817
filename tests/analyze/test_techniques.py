import pytest

from newsift.analyze.techniques import TechniqueAnalyzer
from newsift.document import Article
from newsift.labels import TECHNIQUES
from newsift.pipeline import Pipeline, build_report

LOADED = (
    "The corrupt, treasonous elites have once again betrayed the American people. These radical "
    "globalist thugs will stop at nothing to destroy our great nation. Everyone knows the truth: the "
    "mainstream media lies, lies and lies again. Either you stand with the patriots or you stand with "
    "the terrorists."
)


def analysed(text: str):
    pipeline = Pipeline(analyzers=[TechniqueAnalyzer()])
    return pipeline.analyze(pipeline.document(Article(text=text)))


def assert_exact(doc) -> None:
    for t in doc.techniques:
        assert doc.text[t.start : t.end] == t.text
        assert t.technique in TECHNIQUES
        assert 0.0 <= t.score <= 1.0
    assert build_report(doc).offset_errors() == []


def test_loaded_text_gets_labelled_spans_with_exact_offsets():
    doc = analysed("Betrayal in Washington\n\n" + LOADED)
    assert doc.techniques, "a text full of loaded language should yield spans"
    assert_exact(doc)
    covered = " ".join(t.text for t in doc.techniques)
    assert sum(word in covered for word in ("corrupt", "treasonous", "thugs", "radical", "terrorists")) >= 3


def test_plain_report_gets_few_or_no_spans():
    plain = ("The city council met on Tuesday to discuss the budget for next year. The meeting lasted two "
             "hours. Members approved a plan to repair three bridges and hire four librarians.")
    doc = analysed(plain)
    assert_exact(doc)
    assert len(doc.techniques) <= 1


def test_text_without_sentence_breaks():
    text = " ".join(LOADED.replace(".", "").replace(":", "").split()) * 3
    doc = analysed(text)
    assert_exact(doc)


def test_single_line_of_100k_characters():
    words = LOADED.replace("\n", " ")
    text = (words + " ") * (100_000 // (len(words) + 1) + 1)
    text = text[:100_000]
    doc = analysed(text)
    assert len(doc.text) == 100_000 and "\n" not in doc.text
    assert_exact(doc)
    assert doc.techniques


def test_windows_line_endings_keep_offsets_exact():
    lf = "Betrayal in Washington\n\n" + LOADED.replace(". ", ".\n")
    crlf = lf.replace("\n", "\r\n")
    doc_lf, doc_crlf = analysed(lf), analysed(crlf)
    assert_exact(doc_crlf)
    assert doc_crlf.techniques and doc_lf.techniques
    # the parse reads "\r\n" as "\n" (tests/test_pipeline.py), so the spans are the same, at offsets that map
    # to the LF ones by dropping the carriage returns before them
    mapped = [(t.start - crlf[: t.start].count("\r"), t.end - crlf[: t.end].count("\r"), t.technique, t.score)
              for t in doc_crlf.techniques]
    assert mapped == [(t.start, t.end, t.technique, t.score) for t in doc_lf.techniques]


def test_non_english_text_is_skipped_with_a_note():
    doc = analysed("Die korrupten Eliten haben das Volk wieder einmal verraten. Diese radikalen Verbrecher "
                   "werden vor nichts zurückschrecken, um unser großes Land zu zerstören.")
    assert doc.techniques == []
    assert [s.layer for s in doc.skipped] == ["techniques"]
    assert "English" in doc.skipped[0].reason


@pytest.mark.parametrize("text", ["", "   \n\n  ", "!!!"])
def test_empty_or_punctuation_only_text(text):
    doc = analysed(text)
    assert doc.techniques == []

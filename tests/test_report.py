"""The report contract: schema validity and the offset invariant on every layer."""

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsift import analyze
from newsift.report import Entity, Span, json_schema

LAYERS = ("sentences", "entities", "places", "dates", "sources", "attributions", "claims", "techniques",
          "timeline")


def test_example_validates_and_offsets_hold(example_report):
    jsonschema.validate(example_report.model_dump(mode="json"), json_schema())
    assert example_report.offset_errors() == []


def test_example_has_output_in_every_layer(example_report):
    for layer in LAYERS:
        assert getattr(example_report, layer), f"layer {layer} is empty on the example article"
    assert example_report.summary.checkworthy_claims == len(example_report.claims)


def test_offset_errors_detects_broken_spans(example_report):
    broken = example_report.model_copy(deep=True)
    text = broken.article.text
    broken.entities.append(Entity(id="E999", label="PERSON", canonical="x",
                                  mentions=[Span(start=0, end=5, text=text[1:6])]))
    broken.sentences[0].end = len(text) + 1
    errors = broken.offset_errors()
    assert len(errors) == 2 and "outside the text" in errors[0]


WORDS = st.sampled_from([
    "Kyiv", "Kharkiv", "said", "\"", "“", "”", "'", "according", "to", "officials", "on", "May", "3", "2026",
    "yesterday", "the", "Ministry", "of", "Foreign", "Affairs", "(SES)", "reportedly", "Petrenko", ".", ",",
    "\n", "\r\n", "\n\n", "  ", "—", "€", "😀", "é", "Olena", "he", "claimed", "that", "cowardly", "attack",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, min_size=1, max_size=80).map(" ".join), st.text(max_size=30))
def test_offsets_hold_on_generated_text(words, noise):
    text = words + noise
    if not text.strip():
        return
    report = analyze(text, published="2026-05-07")
    assert report.offset_errors() == []
    jsonschema.validate(report.model_dump(mode="json"), json_schema())


@pytest.mark.shared
def test_offsets_hold_on_ptc_articles(shared_data):
    articles = sorted((shared_data / "ptc-semeval2020" / "train-articles").glob("article*.txt"))[:20]
    assert len(articles) == 20
    for path in articles:
        with open(path, encoding="utf-8", newline="") as fh:
            report = analyze(fh.read())
        assert report.offset_errors() == [], path.name
        assert report.sentences

import json

import pytest

from newsift.errors import InputError
from newsift.ingest import parse_text


def test_json_object_and_array():
    rec = {"text": "Body.", "title": "T", "url": "https://x.example/a", "published": "2026-05-01",
           "site": "X", "authors": ["A", "B"]}
    (a,) = parse_text(json.dumps(rec), "json", "r.json")
    assert (a.text, a.title, a.url, a.site, a.authors, a.published.isoformat()) == (
        "Body.", "T", "https://x.example/a", "X", ["A", "B"], "2026-05-01")
    assert len(parse_text(json.dumps([rec, rec]), "json", "r.json")) == 2


def test_jsonl():
    lines = "\n".join(json.dumps({"text": f"Article {i}."}) for i in range(3)) + "\n\n"
    assert [a.text for a in parse_text(lines, "jsonl", "r.jsonl")] == ["Article 0.", "Article 1.", "Article 2."]


@pytest.mark.parametrize("payload, message", [
    ("{not json", "not valid JSON"),
    ('{"title": "no text"}', "no \"text\""),
    ('{"text": "  "}', "no text"),
    ('{"text": "x", "published": "May 3"}', "YYYY-MM-DD"),
    ('[1, 2]', "JSON object"),
])
def test_bad_records(payload, message):
    with pytest.raises(InputError, match=message):
        parse_text(payload, "json", "r.json")


def test_a_newsift_report_reads_as_its_article():
    from newsift.pipeline import Pipeline

    rec = {"text": "The ministry said on Monday that the dam had held.", "title": "Dam holds",
           "published": "2026-05-07", "authors": ["A. Writer"]}
    (article,) = parse_text(json.dumps(rec), "json", "r.json")
    report = Pipeline([])(article)
    (again,) = parse_text(report.model_dump_json(), "json", "report.json")
    assert (again.text, again.title, again.authors, again.published) == (
        article.text, article.title, article.authors, article.published)
    with pytest.raises(InputError, match="no \"text\""):
        parse_text(json.dumps({"article": {"text": "x"}}), "json", "r.json")  # not a report

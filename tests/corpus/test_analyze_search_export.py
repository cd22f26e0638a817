"""Analyse, search and export, on SQLite and (when a server is given) PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newsift import report as R
from newsift.corpus import analyze as corpus_analyze
from newsift.corpus.export import EXPORTS, rows, write_csv, write_jsonl, write_parquet
from newsift.corpus.ingest import IngestOptions, ingest
from newsift.corpus.search import SearchFilters, fts5_query, search
from newsift.corpus.store import Store
from newsift.document import Document
from newsift.pipeline import Pipeline

ARTICLES = [
    {
        "text": "Officials in Kyiv said the dam was breached. Everyone knows the enemy always lies.",
        "url": "https://one.example/dam",
        "site": "one.example",
        "published": "2026-05-01",
        "title": "Dam",
    },
    {
        "text": "The dam in Kherson region was breached, a source said.",
        "url": "https://two.example/dam",
        "site": "two.example",
        "published": "2026-05-03",
        "title": "Dam 2",
    },
    {
        "text": "Bread prices rose in Lviv this spring.",
        "url": "https://two.example/bread",
        "site": "two.example",
        "published": "2026-04-20",
        "title": "Bread",
    },
]


class MarkerAnalyzer:
    """A stand-in analyser: every capitalised city name is an entity, 'always' is a loaded-language technique,
    'a source' is an anonymous source."""

    layer = "entities"
    english_only = False

    def __call__(self, doc: Document) -> None:
        for n, city in enumerate(c for c in ("Kyiv", "Kherson", "Lviv") if c in doc.text):
            start = doc.text.index(city)
            doc.entities.append(
                R.Entity(
                    id=f"E{n}", label="GPE", canonical=city, mentions=[doc.span(start, start + len(city))]
                )
            )
        if "always" in doc.text:
            s = doc.text.index("always")
            doc.techniques.append(
                R.Technique(start=s, end=s + 6, text="always", technique="Loaded_Language", score=0.9)
            )
        if "a source" in doc.text:
            s = doc.text.index("a source")
            doc.sources.append(
                R.Source(
                    id="S1",
                    kind="anonymous",
                    named=False,
                    description="a source",
                    mentions=[doc.span(s, s + 8)],
                )
            )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def loaded(request, tmp_path: Path, write_jsonl):
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = str(tmp_path / "c.db")
    with Store(url) as store:
        ingest(store, [str(write_jsonl("a.jsonl", ARTICLES))], IngestOptions())
        assert corpus_analyze.analyze_pending(store, Pipeline([MarkerAnalyzer()])) == 3
        yield store


def titles(hits) -> list[str]:
    return sorted(h.title for h in hits)


def test_analysis_is_stored_and_not_repeated(loaded: Store):
    assert corpus_analyze.pending_count(loaded) == 0
    assert corpus_analyze.analyze_pending(loaded, Pipeline([MarkerAnalyzer()])) == 0
    (report_json,) = loaded.db.execute("SELECT report FROM articles WHERE url = ?", (ARTICLES[0]["url"],))[0]
    assert R.Report.model_validate_json(report_json).techniques[0].text == "always"
    assert corpus_analyze.pending_count(loaded, "9.9.9") == 3
    assert corpus_analyze.analyze_pending(loaded, Pipeline([MarkerAnalyzer()]), limit=2, version="9.9.9") == 2
    assert loaded.count("WHERE analyzed_version = ?", ("9.9.9",)) == 2
    assert loaded.db.execute("SELECT COUNT(*) FROM techniques")[0][0] == 1  # replaced, not doubled


def test_search_words_and_filters(loaded: Store):
    assert titles(search(loaded, "dam breached", SearchFilters())) == ["Dam", "Dam 2"]
    assert titles(search(loaded, "dam", SearchFilters(site="two.example"))) == ["Dam 2"]
    assert titles(search(loaded, "dam", SearchFilters(since="2026-05-02"))) == ["Dam 2"]
    assert titles(search(loaded, "", SearchFilters(until="2026-05-01"))) == ["Bread", "Dam"]
    assert titles(search(loaded, "dam", SearchFilters(technique="Loaded_Language"))) == ["Dam"]
    assert titles(search(loaded, "breached", SearchFilters(source_kind="anonymous"))) == ["Dam 2"]
    assert titles(search(loaded, "prices", SearchFilters(entity="lviv"))) == ["Bread"]
    assert titles(search(loaded, "dam", SearchFilters(language="en"))) == ["Dam", "Dam 2"]
    assert titles(search(loaded, "dam -kherson", SearchFilters())) == ["Dam"]
    assert titles(search(loaded, "bread OR kyiv", SearchFilters())) == ["Bread", "Dam"]
    assert titles(search(loaded, '"prices rose"', SearchFilters())) == ["Bread"]


def test_search_query_with_operator_characters_is_safe(loaded: Store):
    assert titles(search(loaded, "dam* ^ ( :", SearchFilters())) == ["Dam", "Dam 2"]


def test_fts5_query_quotes_every_term():
    assert fts5_query('dam -kherson "prices rose" OR x') == '"dam" NOT "kherson" "prices rose" OR "x"'
    assert fts5_query("-only") == ""


@pytest.mark.parametrize("what", list(EXPORTS))
def test_export_every_table_in_every_format(loaded: Store, what: str, tmp_path: Path):
    import pyarrow.parquet as pq

    out = io.StringIO()
    n_csv = write_csv(rows(loaded, what), EXPORTS[what], out)
    assert list(csv.DictReader(io.StringIO(out.getvalue())).fieldnames or []) == list(EXPORTS[what])
    out = io.StringIO()
    n_jsonl = write_jsonl(rows(loaded, what), out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == list(rows(loaded, what))
    n_parquet = write_parquet(rows(loaded, what), EXPORTS[what], str(tmp_path / "x.parquet"))
    table = pq.read_table(tmp_path / "x.parquet")
    assert n_csv == n_jsonl == n_parquet == table.num_rows
    assert table.column_names == list(EXPORTS[what])
    expected = {
        "articles": 3,
        "entities": 3,
        "techniques": 1,
        "claims": 0,
        "attributions": 0,
        "clusters": 0,
        "factchecks": 0,
        "claim-clusters": 0,
    }
    assert n_csv == expected[what]


class Broken:
    layer = "claims"
    english_only = False

    def __call__(self, doc: Document) -> None:
        if "Bread" in doc.text:
            raise RuntimeError("analyser bug")


def test_an_article_the_pipeline_fails_on_does_not_block_the_rest(tmp_path: Path, write_jsonl):
    with Store(str(tmp_path / "f.db")) as store:
        ingest(store, [str(write_jsonl("a.jsonl", ARTICLES))], IngestOptions())
        failures: list[str] = []
        assert corpus_analyze.analyze_pending(store, Pipeline([Broken()]), failures=failures) == 3
        assert failures == ["url:https://two.example/bread"]
        assert store.db.execute("SELECT analysis_error FROM articles WHERE report IS NULL") == [
            ("RuntimeError: analyser bug",)
        ]
        assert corpus_analyze.pending_count(store) == 0

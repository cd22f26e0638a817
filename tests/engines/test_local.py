"""The local engine (worker processes on this machine) against crashing, memory-hungry and dying articles."""

from __future__ import annotations

from pathlib import Path

from newsift.corpus.store import Store
from newsift.engines import make_engine
from newsift.engines.runner import StoreSink, pending_rows, pending_total, run_analysis
from tests.engines.fakes import article_key, fill_store, marker_pipeline, stored_errors, stored_reports


def run_marker_articles(engine_name: str, tmp_path: Path, articles, **engine_options) -> tuple[str, int]:
    """Analyse the marker articles one per batch on two workers (each capped at 1 GiB); the store's URL
    and the number of batches sent again."""
    url = fill_store(tmp_path / f"{engine_name}.db", articles)
    engine = make_engine(engine_name, 2, factory=marker_pipeline, memory_mb=1024, **engine_options)
    try:
        with Store(url) as store:
            result = run_analysis(engine, pending_rows(store), StoreSink(store), batch_size=1)
            assert pending_total(store) == 0
            assert (result.analysed, result.failed) == (9, 3)
            entities = store.db.execute("SELECT COUNT(*) FROM entities")[0][0]
    finally:
        engine.close()
    reports = stored_reports(url)
    assert entities == sum(r.count('"label":"MISC"') for r in reports.values())  # layer rows not doubled
    return url, result.retried


def assert_marker_outcomes(url: str, retried: int) -> None:
    errors = stored_errors(url)
    assert set(errors) == {article_key(3), article_key(4), article_key(6)}
    assert errors[article_key(3)] == "ValueError: the analyser crashed on purpose"
    assert errors[article_key(4)].startswith("out of memory")
    assert "died twice" in errors[article_key(6)]
    assert set(stored_reports(url)) == {article_key(n) for n in (0, 1, 2, 5, 7, 8, 9, 10, 11)}
    assert retried == 2  # the article that died once, and the first loss of the one that always dies


def test_local_engine_retries_lost_workers_and_records_failing_articles(tmp_path: Path, marker_articles):
    assert_marker_outcomes(*run_marker_articles("local", tmp_path, marker_articles))

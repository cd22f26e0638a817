"""The retry rule, the worker's per-article errors, and the driver's reading and writing (no processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsift.corpus.store import Store
from newsift.document import Article
from newsift.engines.runner import StoreSink, batched, pending_rows, pending_total, run_analysis
from newsift.engines.shards import ShardSink, load_shards, read_shards, written_ids
from newsift.engines.work import Outcome, PoolEngine, Task, Worker, WorkerSpec, after_worker_lost
from tests.engines.fakes import fill_store, marker_pipeline, short_articles, stored_errors, stored_reports

ROWS = [(f"a{i}", "text", None, None, None, None, "[]") for i in range(3)]


def test_a_lost_batch_is_sent_again_once_then_split_then_failed():
    again, failed = after_worker_lost(Task(ROWS), "killed")
    assert again == [Task(ROWS, 1)] and not failed
    again, failed = after_worker_lost(again[0], "killed")
    assert again == [Task([row]) for row in ROWS] and not failed
    again, failed = after_worker_lost(Task([ROWS[0]], 1), "killed by SIGKILL")
    assert not again
    assert failed[0].article_id == "a0" and "died twice (killed by SIGKILL)" in failed[0].error


def test_worker_records_the_article_that_crashes_and_goes_on():
    worker = Worker(WorkerSpec(marker_pipeline))
    rows = [
        ("x", "CRASH in Odesa.", None, None, None, None, "[]"),
        ("y", "Kyiv is calm.", "T", None, None, "2026-05-07", '["A"]'),
    ]
    crashed, fine = worker.analyze(rows)
    assert crashed.error == "ValueError: the analyser crashed on purpose" and crashed.report is None
    assert (
        fine.error is None
        and '"canonical":"Kyiv"' in fine.report
        and '"published":"2026-05-07"' in fine.report
    )


class ListEngine(PoolEngine):
    """A one-slot engine that analyses in the test process (for the driver's tests)."""

    def __init__(self) -> None:
        self.worker = Worker(WorkerSpec(marker_pipeline))
        self._done: list[Outcome] = []

    def start(self) -> None:
        pass

    def _submit(self, slot: int, task: Task) -> None:
        self._done = self.worker.analyze(task.rows)

    def _wait(self, busy: set[int]):
        return [(0, self._done, "")]

    def close(self) -> None:
        pass


class StopAfter(StoreSink):
    """A sink that stops the run (as Ctrl-C would) after ``n`` outcomes."""

    def __init__(self, store: Store, n: int) -> None:
        super().__init__(store)
        self.left = n

    def write(self, outcome: Outcome, version: str | None = None) -> None:
        if not self.left:
            raise KeyboardInterrupt
        self.left -= 1
        super().write(outcome, version)


def test_a_stopped_run_resumes_with_what_is_pending(tmp_path: Path):
    crash = Article(text="CRASH now.", url="https://z.example/crash")  # last in id order
    url = fill_store(tmp_path / "c.db", short_articles(7) + [crash])
    with Store(url) as store:
        assert pending_total(store) == 8
        with pytest.raises(KeyboardInterrupt):
            run_analysis(ListEngine(), pending_rows(store), StopAfter(store, 3), batch_size=2)
        assert pending_total(store) == 5
        result = run_analysis(ListEngine(), pending_rows(store), StoreSink(store), batch_size=2)
        assert (result.analysed, result.failed) == (4, 1)
        assert pending_total(store) == 0 and pending_total(store, retry_failed=True) == 1
        assert list(pending_rows(store)) == []
    assert len(stored_reports(url)) == 7 and list(stored_errors(url).values()) == [
        "ValueError: the analyser crashed on purpose"
    ]


def test_pending_rows_page_through_everything_in_id_order(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("newsift.engines.runner.PAGE_SIZE", 3)
    url = fill_store(tmp_path / "c.db", short_articles(10))
    with Store(url) as store:
        ids = [row[0] for row in pending_rows(store)]
        assert ids == sorted(ids) and len(set(ids)) == 10
        skip = frozenset(ids[:4])
        assert [r[0] for r in pending_rows(store, exclude=skip)] == ids[4:]
        assert pending_total(store, exclude=skip) == 6
    assert [len(b) for b in batched(iter(range(7)), 3)] == [3, 3, 1]


def test_shards_resume_and_load_into_the_store(tmp_path: Path):
    url = fill_store(tmp_path / "c.db", short_articles(5))
    out = tmp_path / "shards"
    with Store(url) as store:
        sink = ShardSink(out, rows=2)
        run_analysis(ListEngine(), pending_rows(store), sink, batch_size=1)
        assert len(list(out.glob("part-*.parquet"))) == 3 and len(written_ids(out)) == 5
        assert pending_total(store, exclude=written_ids(out)) == 0
        reports, errors, unknown = load_shards(store, out)
    assert (reports, errors, unknown) == (5, 0, 0)
    assert len(stored_reports(url)) == 5 and len(read_shards(out)) == 5

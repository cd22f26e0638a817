"""The driver of a parallel analysis: it reads the pending articles from the store page by page, hands
them to an engine in batches, and writes each outcome as it arrives (the driver is the only writer), into
the store or into Parquet shards. Every outcome is written in its own transaction (or shard), so a run
that stops resumes with what is still pending and nothing is analysed twice into the results."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Protocol

from newsift import __version__
from newsift.corpus.store import Store
from newsift.engines import Engine
from newsift.engines.work import Outcome, Row
from newsift.report import Report

PAGE_SIZE = 100
DEFAULT_BATCH_SIZE = 4

_PENDING = "(analyzed_version IS NULL OR analyzed_version <> ?)"
_PENDING_OR_FAILED = "(analyzed_version IS NULL OR analyzed_version <> ? OR analysis_error IS NOT NULL)"


@dataclass
class RunResult:
    """What a run did: articles analysed, articles that got an error, batches sent again, seconds taken."""

    analysed: int = 0
    failed: int = 0
    retried: int = 0
    seconds: float = 0.0


class Sink(Protocol):
    """Where outcomes go."""

    def write(self, outcome: Outcome) -> None: ...

    def close(self) -> None: ...


class StoreSink:
    """Outcomes into the store: the report and its layer rows, or the article's error."""

    def __init__(self, store: Store, version: str = __version__) -> None:
        self.store = store
        self.version = version

    def write(self, outcome: Outcome, version: str | None = None) -> None:
        version = version or self.version
        if outcome.report is not None:
            self.store.save_report(outcome.article_id, Report.model_validate_json(outcome.report), version)
        else:
            self.store.save_failure(outcome.article_id, outcome.error or "", version)

    def close(self) -> None:
        pass


def _filters(version: str, retry_failed: bool) -> tuple[str, tuple]:
    return (_PENDING_OR_FAILED if retry_failed else _PENDING), (version,)


def pending_rows(
    store: Store,
    version: str = __version__,
    *,
    retry_failed: bool = False,
    exclude: frozenset[str] = frozenset(),
) -> Iterator[Row]:
    """The articles not analysed by ``version`` (with ``retry_failed``, also those whose analysis failed), in
    id order, read a page at a time after the last id seen, skipping the ids in ``exclude``."""
    where, params = _filters(version, retry_failed)
    last = ""
    while page := store.db.execute(
        "SELECT id, text, title, url, site, published, authors FROM articles "
        f"WHERE {where} AND id > ? ORDER BY id LIMIT ?",
        (*params, last, PAGE_SIZE),
    ):
        last = page[-1][0]
        yield from (row for row in page if row[0] not in exclude)


def pending_total(
    store: Store,
    version: str = __version__,
    *,
    retry_failed: bool = False,
    exclude: frozenset[str] = frozenset(),
) -> int:
    where, params = _filters(version, retry_failed)
    if not exclude:
        return store.count(f"WHERE {where}", params)
    return sum(
        1 for (i,) in store.db.iterate(f"SELECT id FROM articles WHERE {where}", params) if i not in exclude
    )


def batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def run_analysis(
    engine: Engine,
    rows: Iterable[Row],
    sink: Sink,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> RunResult:
    """Analyse ``rows`` with ``engine`` (started here if it is not yet); every outcome goes to ``sink``."""
    result = RunResult()
    engine.start()
    started = time.perf_counter()
    try:
        for outcome in engine.run(batched(rows, batch_size)):
            sink.write(outcome)
            if outcome.report is None:
                result.failed += 1
            else:
                result.analysed += 1
            if on_outcome:
                on_outcome(outcome)
    finally:
        sink.close()
    result.seconds = time.perf_counter() - started
    result.retried = engine.retried
    return result


def shard_dir_ids(out: Path | None) -> frozenset[str]:
    """The article ids already written to the shards in ``out`` (none without ``out``)."""
    if out is None:
        return frozenset()
    from newsift.engines.shards import written_ids

    return written_ids(out)

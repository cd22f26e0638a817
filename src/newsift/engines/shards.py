"""Outcomes as Parquet shards in a folder, for a store that lives elsewhere: ``part-*.parquet`` files with
the columns article_id, version, report (JSON) and error. A shard appears whole or not at all (written to
a temporary name, then renamed), so a run that stops loses at most the outcomes not yet in a shard, and
the next run skips every article a shard already holds."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsift import __version__
from newsift.engines.work import Outcome

SHARD_ROWS = 200
SCHEMA = pa.schema(
    [("article_id", pa.string()), ("version", pa.string()), ("report", pa.string()), ("error", pa.string())]
)


def shard_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("part-*.parquet"))


def written_ids(folder: Path) -> frozenset[str]:
    """The article ids held by the shards in ``folder``."""
    ids: set[str] = set()
    for path in shard_paths(folder):
        ids.update(pq.read_table(path, columns=["article_id"]).column("article_id").to_pylist())
    return frozenset(ids)


def read_shards(folder: Path) -> list[tuple[Outcome, str]]:
    """Every outcome in the shards of ``folder`` with the newsift version that made it."""
    out = []
    for path in shard_paths(folder):
        for row in pq.read_table(path, schema=SCHEMA).to_pylist():
            out.append((Outcome(row["article_id"], row["report"], row["error"]), row["version"]))
    return out


class ShardSink:
    """Writes outcomes to ``folder`` in shards of ``rows`` outcomes."""

    def __init__(self, folder: Path, version: str = __version__, rows: int = SHARD_ROWS) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.version = version
        self.rows = rows
        self._buffer: list[Outcome] = []

    def write(self, outcome: Outcome) -> None:
        self._buffer.append(outcome)
        if len(self._buffer) >= self.rows:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        table = pa.Table.from_pylist(
            [
                {"article_id": o.article_id, "version": self.version, "report": o.report, "error": o.error}
                for o in self._buffer
            ],
            schema=SCHEMA,
        )
        name = f"part-{time.time_ns()}-{os.getpid()}"
        temporary = self.folder / f".{name}.tmp"
        pq.write_table(table, temporary)
        os.replace(temporary, self.folder / f"{name}.parquet")
        self._buffer = []

    def close(self) -> None:
        self.flush()


def load_shards(store, folder: Path) -> tuple[int, int, int]:
    """Write the outcomes held by the shards in ``folder`` into ``store``: (reports, errors, outcomes
    whose article the store does not hold)."""
    from newsift.engines.runner import StoreSink

    store.create()
    sink = StoreSink(store)
    outcomes = read_shards(folder)
    known = store.existing_ids([o.article_id for o, _ in outcomes])
    reports = errors = 0
    for outcome, version in outcomes:
        if outcome.article_id in known:
            sink.write(outcome, version)
            reports += outcome.report is not None
            errors += outcome.report is None
    return reports, errors, len(outcomes) - reports - errors

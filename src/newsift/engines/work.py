"""What every engine shares: the rows it is given, the outcome of one article, the worker that analyses a
batch (loading the pipeline once), and the rule for a batch whose worker died."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from newsift.document import Article
from newsift.pipeline import Pipeline, default_pipeline

Row = tuple[str, str, str | None, str | None, str | None, str | None, str]
"""A stored article as :meth:`Store.pending_analysis` gives it: (id, text, title, url, site, published,
authors as JSON)."""

PipelineFactory = Callable[[], Pipeline]
DEFAULT_FACTORY: PipelineFactory = default_pipeline
LOSSES_ALLOWED = 1  # a task is sent again as it is after losing its worker this many times, no more
ERROR_CHARS = 500
WARM_UP_TEXT = "The minister said on Monday that the bridge in Kyiv would reopen."


@dataclass(frozen=True)
class Outcome:
    """One article's result: the report as JSON, or why there is none, and the CPU seconds the worker
    process spent on it."""

    article_id: str
    report: str | None = None
    error: str | None = None
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class WorkerSpec:
    """How to make a worker: the pipeline factory (a picklable module-level callable) and an optional cap
    on the worker's heap in MiB (beyond it an allocation fails with ``MemoryError`` instead of the machine
    running out)."""

    factory: PipelineFactory = DEFAULT_FACTORY
    memory_mb: int | None = None


def article_of(row: Row) -> Article:
    article_id, text, title, url, site, published, authors = row
    return Article(
        text=text,
        title=title,
        url=url,
        site=site,
        authors=json.loads(authors),
        published=date.fromisoformat(published) if published else None,
        origin=article_id,
    )


class Worker:
    """Analyses batches; the pipeline is made and warmed up (its models loaded) once."""

    def __init__(self, spec: WorkerSpec) -> None:
        if spec.memory_mb:
            cap = spec.memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_DATA, (cap, resource.getrlimit(resource.RLIMIT_DATA)[1]))
        self.pipeline = spec.factory()
        self.pipeline(Article(text=WARM_UP_TEXT))
        one_thread()

    def ready(self) -> int:
        return os.getpid()

    def analyze(self, rows: list[Row]) -> list[Outcome]:
        """One outcome per row; an article that makes the analyser fail gets its error, the rest go on."""
        return [self._analyze_one(row) for row in rows]

    def _analyze_one(self, row: Row) -> Outcome:
        started = time.process_time()
        try:
            report, error = self.pipeline(article_of(row)).model_dump_json(), None
        except MemoryError:
            report, error = None, "out of memory: the article needs more memory than a worker has"
        except Exception as exc:  # noqa: BLE001 - any analyser failure is recorded for that article
            report, error = None, f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
        return Outcome(row[0], report, error, time.process_time() - started)


def one_thread() -> None:
    """One compute thread per worker process, as Ray gives each one-CPU actor (the engines run one worker
    per core): the variables BLAS and torch read when they load, and torch's setting if it is loaded."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = "1"
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)


@dataclass(frozen=True)
class Task:
    """A batch on its way to a worker, with the number of workers it has lost."""

    rows: list[Row]
    losses: int = 0


def after_worker_lost(task: Task, reason: str) -> tuple[list[Task], list[Outcome]]:
    """What follows when the worker analysing ``task`` dies (killed, out of memory): the batch is sent again
    once; when it loses a worker again it is split into single articles, and a single article that loses
    a worker twice gets an error, so one article that kills its worker cannot stop the run."""
    if task.losses < LOSSES_ALLOWED:
        return [Task(task.rows, task.losses + 1)], []
    if len(task.rows) > 1:
        return [Task([row]) for row in task.rows], []
    error = (
        f"the worker analysing this article died twice ({reason}); it may need more memory than a worker has"
    )
    return [], [Outcome(task.rows[0][0], error=error[:ERROR_CHARS])]


class PoolEngine:
    """The dispatch loop both engines share: each worker slot gets one task at a time; a finished task
    yields its outcomes, a lost one goes through :func:`after_worker_lost`. Subclasses start the workers
    and say how a task is sent (:meth:`_submit`) and how finished slots are awaited (:meth:`_wait`)."""

    workers: int = 1
    retried: int = 0

    def run(self, batches: Iterable[list[Row]]) -> Iterator[Outcome]:
        source = iter(batches)
        queue: deque[Task] = deque()
        busy: dict[int, Task] = {}
        while True:
            for slot in range(self.workers):
                if slot not in busy and (task := queue.popleft() if queue else _next_task(source)):
                    busy[slot] = task
                    self._submit(slot, task)
            if not busy:
                return
            for slot, outcomes, reason in self._wait(set(busy)):
                task = busy.pop(slot)
                if outcomes is None:
                    again, failed = after_worker_lost(task, reason)
                    self.retried += len(again)
                    queue.extend(again)
                    yield from failed
                else:
                    yield from outcomes

    def _submit(self, slot: int, task: Task) -> None:
        raise NotImplementedError

    def _wait(self, busy: set[int]) -> list[tuple[int, list[Outcome] | None, str]]:
        """At least one finished slot of ``busy``: (slot, outcomes, "") or (slot, None, why it was lost)."""
        raise NotImplementedError


def _next_task(source: Iterator[list[Row]]) -> Task | None:
    rows = next(source, None)
    return Task(rows) if rows else None

"""Engines that analyse stored articles in parallel: ``local`` (a process pool on this machine) and ``ray``
(an actor pool on a Ray cluster). Both take batches of article rows and yield one :class:`Outcome` per
article; only the driver writes to the store (see :mod:`newsift.engines.runner`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from newsift.engines.work import Outcome, PipelineFactory, Row

ENGINES = ("local", "ray")


class Engine(Protocol):
    """Analyses batches of rows; every row of every batch comes back exactly once as an outcome."""

    workers: int
    retried: int  # batches sent again because their worker was lost

    def start(self) -> None:
        """Start the workers and wait until each has loaded the pipeline."""

    def run(self, batches: Iterable[list[Row]]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


def make_engine(
    name: str,
    workers: int | None = None,
    *,
    address: str | None = None,
    factory: PipelineFactory | None = None,
    memory_mb: int | None = None,
) -> Engine:
    """The engine called ``name`` (``local`` or ``ray``); ``address`` is the Ray cluster's (ray only)."""
    from newsift.engines.work import DEFAULT_FACTORY, WorkerSpec
    from newsift.errors import InputError

    spec = WorkerSpec(factory or DEFAULT_FACTORY, memory_mb)
    if name == "local":
        if address:
            raise InputError("--address is for --engine ray")
        from newsift.engines.local import LocalEngine

        return LocalEngine(spec, workers)
    if name == "ray":
        from newsift.engines.ray_engine import RayEngine

        return RayEngine(spec, workers, address)
    raise InputError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "Outcome", "PipelineFactory", "Row", "make_engine"]

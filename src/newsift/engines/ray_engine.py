"""The Ray engine: an actor pool on a Ray cluster (the one at ``address``, or a local one started for the
run), one actor per worker, each loading the pipeline once. An actor whose process dies is replaced by a
new one, and the batch it held goes through the same retry rule as the local engine's."""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

from newsift.engines.work import Outcome, PoolEngine, Task, Worker, WorkerSpec
from newsift.errors import InputError

CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_RAY_PORT = 6379


def check_reachable(address: str) -> None:
    """Raise :class:`InputError` unless something answers at ``address`` (``host:port`` or
    ``ray://host:port``; ``auto`` is left to Ray)."""
    if address == "auto":
        return
    parts = urlsplit(address if "://" in address else f"//{address}")
    try:
        host, port = parts.hostname, parts.port or DEFAULT_RAY_PORT
    except ValueError as exc:
        raise InputError(f"--address {address!r} is not host:port ({exc})") from None
    if not host:
        raise InputError(f"--address {address!r} is not host:port")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS).close()
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise InputError(
            f"no Ray cluster answers at {address} ({why}); start one with `ray start --head`"
        ) from None


class RayEngine(PoolEngine):
    """An actor pool on Ray; ``workers`` defaults to the cluster's CPUs."""

    def __init__(self, spec: WorkerSpec, workers: int | None = None, address: str | None = None) -> None:
        if address:
            check_reachable(address)
        self.spec = spec
        self.address = address
        self.workers = workers or 0
        self.retried = 0
        self._started_ray = False
        self._actors: list = []
        self._pending: dict = {}  # object ref -> slot

    def start(self) -> None:
        if self._actors:
            return
        import ray

        self._connect(ray)
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if self.workers > cpus:
            self.close()
            raise InputError(f"the Ray cluster has {cpus} CPU(s): --workers {self.workers} cannot all start")
        self.workers = self.workers or max(1, cpus)
        self._actor_class = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(Worker)
        self._actors = [self._actor_class.remote(self.spec) for _ in range(self.workers)]
        try:
            ray.get([a.ready.remote() for a in self._actors])
        except ray.exceptions.RayError as exc:
            self.close()
            raise RuntimeError(f"a Ray worker could not load the pipeline: {_first_line(exc)}") from None

    def _connect(self, ray) -> None:
        if ray.is_initialized():
            return
        options = {"logging_level": logging.WARNING, "log_to_driver": False}
        if self.address:
            try:
                ray.init(address=self.address, **options)
            except Exception as exc:  # noqa: BLE001 - Ray raises several kinds for a bad cluster
                raise InputError(
                    f"cannot connect to the Ray cluster at {self.address}: {_first_line(exc)}"
                ) from None
        else:
            ray.init(num_cpus=self.workers or None, include_dashboard=False, **options)
        self._started_ray = True

    def actor_pids(self) -> list[int]:
        """The actors' process ids (for tests and monitoring)."""
        import ray

        return ray.get([a.ready.remote() for a in self._actors])

    def _submit(self, slot: int, task: Task) -> None:
        self._pending[self._actors[slot].analyze.remote(task.rows)] = slot

    def _wait(self, busy: set[int]) -> list[tuple[int, list[Outcome] | None, str]]:
        import ray
        from ray import exceptions as rx

        lost_errors = (
            rx.RayActorError,
            rx.ActorUnavailableError,
            rx.WorkerCrashedError,
            rx.OutOfMemoryError,
            rx.ObjectLostError,
        )
        done, _ = ray.wait(list(self._pending), num_returns=1)
        finished: list[tuple[int, list[Outcome] | None, str]] = []
        for ref in done:
            slot = self._pending.pop(ref)
            try:
                finished.append((slot, ray.get(ref), ""))
            except lost_errors as exc:
                finished.append((slot, None, f"{type(exc).__name__}: {_first_line(exc)}"))
                self._replace(slot)
        return finished

    def _replace(self, slot: int) -> None:
        """A new actor in place of a lost one; calls made to it wait until it has loaded the pipeline."""
        import ray

        ray.kill(self._actors[slot])
        self._actors[slot] = self._actor_class.remote(self.spec)

    def close(self) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        self._pending = {}
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

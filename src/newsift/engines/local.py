"""The local engine: one worker process per slot on this machine, each loading the pipeline once and
talking to the driver over its own pipe, so a worker that dies is known with the batch it held."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from multiprocessing.connection import Connection, wait

from newsift.engines.work import Outcome, PoolEngine, Row, Task, Worker, WorkerSpec, one_thread


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _serve(spec: WorkerSpec, conn: Connection) -> None:
    """A worker process: load the pipeline, say so, then answer each batch of rows with its outcomes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    one_thread()
    try:
        worker = Worker(spec)
    except Exception as exc:  # noqa: BLE001 - reported to the driver, which stops the run
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", worker.ready()))
    while True:
        try:
            rows: list[Row] = conn.recv()
        except EOFError:
            return
        conn.send(("done", worker.analyze(rows)))


class _Process:
    """One worker process and the driver's end of its pipe."""

    def __init__(self, ctx: mp.context.SpawnContext, spec: WorkerSpec) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(spec, child), daemon=True, name="newsift-worker")
        self.process.start()
        child.close()

    def receive(self) -> tuple[str, object] | None:
        """The worker's next message, or ``None`` if it died."""
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            return None

    def stop(self) -> None:
        self.conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class LocalEngine(PoolEngine):
    """A process pool on this machine (``workers`` defaults to the cores this process may use)."""

    def __init__(self, spec: WorkerSpec, workers: int | None = None) -> None:
        self.spec = spec
        self.workers = workers or available_cores()
        self.retried = 0
        self._ctx = mp.get_context("spawn")
        self._procs: list[_Process] = []

    def start(self) -> None:
        if self._procs:
            return
        self._procs = [_Process(self._ctx, self.spec) for _ in range(self.workers)]
        for proc in self._procs:
            self._await_ready(proc)

    def _await_ready(self, proc: _Process) -> None:
        message = proc.receive()
        if message is None or message[0] != "ready":
            proc.process.join(timeout=5)
            why = message[1] if message else _exit_reason(proc.process.exitcode)
            self.close()
            raise RuntimeError(f"a worker could not load the pipeline: {why}")

    def pids(self) -> list[int]:
        """The worker processes' ids (for tests and monitoring)."""
        return [p.process.pid for p in self._procs if p.process.pid is not None]

    def _submit(self, slot: int, task: Task) -> None:
        proc = self._procs[slot]
        if not proc.process.is_alive():
            proc.stop()
            proc = self._procs[slot] = _Process(self._ctx, self.spec)
        try:
            proc.conn.send(task.rows)
        except OSError:  # died between the check and the send; _wait sees it
            pass

    def _wait(self, busy: set[int]) -> list[tuple[int, list[Outcome] | None, str]]:
        finished: list[tuple[int, list[Outcome] | None, str]] = []
        while not finished:
            handles = {}
            for slot in busy:
                proc = self._procs[slot]
                handles[proc.conn] = handles[proc.process.sentinel] = slot
            for slot in {handles[h] for h in wait(list(handles))}:
                proc = self._procs[slot]
                message = proc.receive() if proc.conn.poll() else None
                if message is None:
                    proc.process.join(timeout=5)
                    finished.append((slot, None, _exit_reason(proc.process.exitcode)))
                elif message[0] == "done":
                    finished.append((slot, message[1], ""))
                elif message[0] == "failed":
                    self.close()
                    raise RuntimeError(f"a restarted worker could not load the pipeline: {message[1]}")
        return finished

    def close(self) -> None:
        for proc in self._procs:
            proc.stop()
        self._procs = []


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"killed by {name}" + (
            ", perhaps by the kernel for lack of memory" if name == "SIGKILL" else ""
        )
    return f"exited with status {code}"

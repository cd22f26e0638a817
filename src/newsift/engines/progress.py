"""A progress bar on stderr for a corpus run: done/total, articles per second, errors so far, and the
time left at the current rate."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TimeRemainingColumn
from rich.text import Text

from newsift.engines.work import Outcome


class RateColumn(ProgressColumn):
    """Articles per second over the last samples rich keeps."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.2f} articles/s" if speed else "-- articles/s")


class AnalysisProgress:
    """Context manager; call it with each outcome."""

    def __init__(self, total: int, label: str) -> None:
        console = Console(file=sys.stderr)
        self._progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            "{task.fields[errors]} error(s)",
            "ETA",
            TimeRemainingColumn(),
            console=console,
            speed_estimate_period=60,
        )
        self._task = self._progress.add_task(label, total=total, errors=0)
        self.errors = 0

    def __enter__(self) -> AnalysisProgress:
        self._progress.start()
        return self

    def __call__(self, outcome: Outcome) -> None:
        self.errors += outcome.report is None
        self._progress.update(self._task, advance=1, errors=self.errors)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

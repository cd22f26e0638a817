"""Scaling of corpus analysis: articles/s of the local engine and the Ray engine with 1 and 2 workers, on
the same articles in one run.

    python benchmarks/scaling.py [--n 40] [--articles DIR] [--batch-size 2] [--rounds 1] [--pause 15]

Articles: the first N PTC training articles (../shared/data/ptc-semeval2020/train-articles) when present,
else the .txt files of --articles. Each configuration starts its workers (each loads the full pipeline
once; the start-up time is printed apart), then analyses all N articles; articles/s = N / the time from
the start of the run to its last outcome. With --rounds R every configuration runs R times (the rounds
interleaved) and its best rate counts, which lessens the noise of a shared machine; --pause seconds pass
between configurations, so that one engine's shutdown does not slow the next.

Printed per configuration: articles/s, per-core articles/s (articles/s / workers), the workers' CPU
seconds per article (measured inside each worker; it does not depend on how busy the machine is) and the
core share (the workers' CPU seconds / (workers x wall seconds): below 1 when other processes took CPU).
Then, from the best round: the scaling efficiency from 1 to 2 workers (rate with 2 / (2 x rate with 1);
goal >= 0.85) and Ray's overhead over the local engine (1 - Ray's rate / local rate; goal <= 10%), both
in wall-clock time and in CPU time (articles per CPU second), whether every run produced the same
reports, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import PTC, read_articles  # noqa: E402

CONFIGS = [("local", 1), ("ray", 1), ("local", 2), ("ray", 2)]


class Collect:
    """A sink that keeps each report and adds up the workers' CPU seconds (the benchmark times the engines,
    not the store)."""

    def __init__(self) -> None:
        self.reports: dict[str, str | None] = {}
        self.cpu_seconds = 0.0

    def write(self, outcome) -> None:
        self.reports[outcome.article_id] = outcome.report
        self.cpu_seconds += outcome.cpu_seconds

    def close(self) -> None:
        pass


@dataclass
class Measure:
    """One configuration's run: start-up and run seconds, CPU seconds the workers spent, the reports."""

    startup: float
    seconds: float
    cpu_seconds: float
    reports: dict


def measure(name: str, workers: int, rows: list, batch_size: int) -> Measure:
    from newsift.engines import make_engine
    from newsift.engines.runner import run_analysis

    engine = make_engine(name, workers)
    t0 = time.perf_counter()
    engine.start()
    startup = time.perf_counter() - t0
    sink = Collect()
    try:
        result = run_analysis(engine, rows, sink, batch_size=batch_size)
    finally:
        engine.close()
    return Measure(startup, result.seconds, sink.cpu_seconds, sink.reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--articles", type=Path, default=PTC)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pause", type=float, default=15.0)
    args = parser.parse_args()
    texts = read_articles(args.articles, args.n)
    rows = [(f"a{i:05d}", text, None, None, None, None, "[]") for i, text in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    print(
        f"{len(rows)} articles, {words} words; {os.cpu_count()} cores; "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )

    best: dict[tuple[str, int], Measure] = {}
    reports = []
    print(
        f"{'round':<6}{'engine':<7}{'workers':>8}{'start-up s':>11}{'articles/s':>11}{'per core':>9}"
        f"{'CPU s/article':>14}{'core share':>11}"
    )
    for n in range(1, args.rounds + 1):
        for name, workers in CONFIGS:
            time.sleep(args.pause)
            m = measure(name, workers, rows, args.batch_size)
            reports.append(m.reports)
            if (name, workers) not in best or m.seconds < best[name, workers].seconds:
                best[name, workers] = m
            rate = len(rows) / m.seconds
            print(
                f"{n:<6}{name:<7}{workers:>8}{m.startup:>11.1f}{rate:>11.3f}{rate / workers:>9.3f}"
                f"{m.cpu_seconds / len(rows):>14.3f}{m.cpu_seconds / (workers * m.seconds):>11.2f}",
                flush=True,
            )

    def rate(name: str, workers: int) -> float:
        return len(rows) / best[name, workers].seconds

    def cpu_rate(name: str, workers: int) -> float:
        """Articles per CPU second of the workers: what one core given wholly to a worker would do."""
        return len(rows) / best[name, workers].cpu_seconds

    print("best round of each configuration:")
    for name in ("local", "ray"):
        print(
            f"  {name}: per-core articles/s {rate(name, 1):.3f} (1 worker), {rate(name, 2) / 2:.3f} "
            "(2 workers); "
            f"per CPU second {cpu_rate(name, 1):.3f}, {cpu_rate(name, 2):.3f}"
        )
        print(
            f"  scaling efficiency 1 -> 2 workers, {name}: "
            f"{rate(name, 2) / (2 * rate(name, 1)):.2f} wall-clock, "
            f"{cpu_rate(name, 2) / cpu_rate(name, 1):.2f} in CPU time"
        )
    for workers in (1, 2):
        print(
            f"  Ray overhead over local, {workers} worker(s): "
            f"{1 - rate('ray', workers) / rate('local', workers):+.1%}"
            f" wall-clock, {1 - cpu_rate('ray', workers) / cpu_rate('local', workers):+.1%} in CPU time"
        )
    print(f"identical reports in every configuration and round: {all(r == reports[0] for r in reports)}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

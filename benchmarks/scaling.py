"""Scaling of corpus analysis: articles/s of the local engine and the Ray engine with 1 and 2 workers, on
the same articles in one run.

    python benchmarks/scaling.py [--n 40] [--articles DIR] [--batch-size 2] [--rounds 1]

Articles: the first N PTC training articles (../shared/data/ptc-semeval2020/train-articles) when present,
else the .txt files of --articles. Each configuration starts its workers (each loads the full pipeline
once; the start-up time is printed apart), then analyses all N articles; articles/s = N / the time from
the start of the run to its last outcome. With --rounds R every configuration runs R times (the rounds
interleaved) and its best rate counts, which lessens the noise of a shared machine.

Printed: articles/s and per-core articles/s of each configuration, the scaling efficiency from 1 to 2
workers (rate with 2 / (2 x rate with 1); goal >= 0.85), Ray's overhead over the local engine
(1 - Ray's rate / local rate; goal <= 10%), whether every configuration produced the same reports, and
the load average of the machine before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import PTC, read_articles  # noqa: E402

CONFIGS = [("local", 1), ("ray", 1), ("local", 2), ("ray", 2)]


class Collect:
    """A sink that keeps each report (the benchmark times the engines, not the store)."""

    def __init__(self) -> None:
        self.reports: dict[str, str | None] = {}

    def write(self, outcome) -> None:
        self.reports[outcome.article_id] = outcome.report

    def close(self) -> None:
        pass


def measure(name: str, workers: int, rows: list, batch_size: int) -> tuple[float, float, dict]:
    """(start-up seconds, articles/s, reports) of one configuration."""
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
    return startup, len(rows) / result.seconds, sink.reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--articles", type=Path, default=PTC)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    texts = read_articles(args.articles, args.n)
    rows = [(f"a{i:05d}", text, None, None, None, None, "[]") for i, text in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    print(
        f"{len(rows)} articles, {words} words; {os.cpu_count()} cores; "
        f"load average before: {os.getloadavg()[0]:.2f}"
    )

    rates: dict[tuple[str, int], float] = {}
    reports = {}
    print(f"{'round':<6}{'engine':<8}{'workers':>8}{'start-up s':>12}{'articles/s':>12}{'per core':>10}")
    for n in range(1, args.rounds + 1):
        for name, workers in CONFIGS:
            startup, rate, reports[name, workers, n] = measure(name, workers, rows, args.batch_size)
            rates[name, workers] = max(rate, rates.get((name, workers), 0.0))
            print(
                f"{n:<6}{name:<8}{workers:>8}{startup:>12.1f}{rate:>12.3f}{rate / workers:>10.3f}", flush=True
            )
    print(
        "best of the rounds, articles/s per core: "
        + ", ".join(f"{name} x{workers}: {rate / workers:.3f}" for (name, workers), rate in rates.items())
    )

    for name in ("local", "ray"):
        print(f"scaling efficiency 1 -> 2 workers, {name}: {rates[name, 2] / (2 * rates[name, 1]):.2f}")
    for workers in (1, 2):
        overhead = 1 - rates["ray", workers] / rates["local", workers]
        print(f"Ray overhead over local, {workers} worker(s): {overhead:+.1%}")
    first = next(iter(reports.values()))
    print(f"identical reports in every configuration: {all(r == first for r in reports.values())}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

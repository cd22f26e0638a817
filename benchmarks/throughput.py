"""Throughput of a full newsift analysis against a bare spaCy parse, on the same articles in one run.

    python benchmarks/throughput.py [--n 60] [--articles DIR] [--rounds 3]

Articles: the first N PTC training articles (../shared/data/ptc-semeval2020/train-articles) when present,
else the files of --articles. Both sides run on one core, models loaded beforehand (load time is printed
apart). The two sides alternate for --rounds rounds and each side's fastest round counts, which lessens
the noise of a shared machine. Prints articles/s, words/s, the per-article time of each layer, and the
ratio full / bare.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

PTC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc-semeval2020" / "train-articles"


def read_articles(folder: Path, n: int) -> list[str]:
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".txt")[:n]
    if not paths:
        raise SystemExit(f"no .txt articles in {folder}")
    return [p.read_text(encoding="utf-8") for p in paths]


def time_bare(nlp, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for text in texts:
        nlp(text)
    return time.perf_counter() - t0


def time_full(pipeline, texts: list[str]) -> tuple[float, dict[str, float]]:
    """Seconds for the full analysis of ``texts`` and the seconds spent in each layer."""
    from newsift.document import Article
    from newsift.pipeline import build_report

    layer_s = {a.layer: 0.0 for a in pipeline.analyzers}
    t0 = time.perf_counter()
    for text in texts:
        doc = pipeline.document(Article(text=text))
        for analyzer in pipeline.analyzers:
            if analyzer.english_only and doc.language != "en":
                continue
            t = time.perf_counter()
            analyzer(doc)
            layer_s[analyzer.layer] += time.perf_counter() - t
        build_report(doc)
    return time.perf_counter() - t0, layer_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--articles", type=Path, default=PTC)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the fastest of each side counts")
    args = parser.parse_args()
    texts = read_articles(args.articles, args.n)
    words = sum(len(t.split()) for t in texts)

    t0 = time.perf_counter()
    from newsift.document import Article
    from newsift.pipeline import Pipeline, load_spacy

    nlp = load_spacy()
    pipeline = Pipeline()
    pipeline(Article(text="Officials in Kyiv said on May 3 that talks resumed."))  # warm every lazy model
    load_s = time.perf_counter() - t0

    bare_s = full_s = float("inf")
    layer_s: dict[str, float] = {}
    for _ in range(args.rounds):
        bare_s = min(bare_s, time_bare(nlp, texts))
        seconds, layers = time_full(pipeline, texts)
        if seconds < full_s:
            full_s, layer_s = seconds, layers

    n = len(texts)
    print(f"articles: {n} ({words:,} words); models loaded in {load_s:.1f} s")
    print(f"bare spaCy parse : {n / bare_s:7.2f} articles/s  {words / bare_s:8.0f} words/s")
    print(f"full newsift     : {n / full_s:7.2f} articles/s  {words / full_s:8.0f} words/s")
    print("per-article time of each layer (ms), and its share of the bare parse time:")
    for layer, s in layer_s.items():
        print(f"  {layer:13s} {1000 * s / n:8.1f} ms  {100 * s / bare_s:6.1f}%")
    print(f"ratio full / bare (time per article): {full_s / bare_s:.2f}")


if __name__ == "__main__":
    main()

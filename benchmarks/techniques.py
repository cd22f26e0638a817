"""Time of the techniques layer per article against the foundation's bare spaCy parse, on one core.

    python benchmarks/techniques.py [--data ../shared/data/ptc-semeval2020] [--articles 40] \
        [--precision bfloat16|int8|float32]

Uses the PTC dev articles when the corpus is there, else the example article. The layer's budget is at
most 50% of the parse's time per article. ``--precision`` runs the token encoder in that precision instead of
the one this CPU gets by default (it sets ``NEWSIFT_TECHNIQUES_PRECISION``).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from newsift.analyze.techniques import TechniqueAnalyzer  # noqa: E402
from newsift.techniques.encoder import PRECISIONS, inference_precision  # noqa: E402
from newsift.techniques.predict import parse  # noqa: E402


def texts(data: Path, n: int) -> list[str]:
    from newsift.techniques.corpus import Corpus

    if (data / "train-articles").is_dir():
        corpus = Corpus(data)
        return [corpus.text(a) for a in corpus.split("dev")[:n]]
    example = Path(__file__).parents[1] / "examples" / "war-report.html"
    import trafilatura

    return [trafilatura.extract(example.read_text(encoding="utf-8")) or ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ptc-semeval2020"))
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--precision", choices=PRECISIONS)
    args = ap.parse_args()
    if args.precision:
        os.environ["NEWSIFT_TECHNIQUES_PRECISION"] = args.precision
    articles = texts(args.data, args.articles)
    layer = TechniqueAnalyzer()
    layer(parse("Warm-up sentence: the models load here."))
    t_parse = t_layer = 0.0
    spans = 0
    for text in articles:
        t0 = time.perf_counter()
        doc = parse(text)
        t1 = time.perf_counter()
        layer(doc)
        t2 = time.perf_counter()
        t_parse += t1 - t0
        t_layer += t2 - t1
        spans += len(doc.techniques)
    n = len(articles)
    chars = sum(len(t) for t in articles) / n
    print(f"{n} articles, {chars:.0f} characters each on average, {spans} technique spans, encoder in "
          f"{inference_precision()}")
    print(f"spaCy parse (foundation): {1000 * t_parse / n:7.1f} ms/article")
    print(f"techniques layer:         {1000 * t_layer / n:7.1f} ms/article")
    print(f"layer / parse:            {100 * t_layer / t_parse:7.1f} %  (budget: at most 50 %)")


if __name__ == "__main__":
    main()

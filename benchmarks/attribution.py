"""Per-article time of the attributions and claims layers against a bare spaCy parse of the same articles.

    OMP_NUM_THREADS=1 python benchmarks/attribution.py [--n 60] [--articles DIR]

Articles: the first N PolNeAR dev texts (../shared/data/polnear/dev/text) when present, else the .txt files
of --articles. Models are loaded before timing. The design budget: both layers together add at most 50% to
the bare parse time.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

POLNEAR_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--articles", type=Path, default=POLNEAR_DEV)
    args = parser.parse_args()
    paths = sorted(p for p in args.articles.iterdir() if p.suffix == ".txt")[: args.n]
    if not paths:
        raise SystemExit(f"no .txt articles in {args.articles}")
    texts = [p.read_text(encoding="utf-8") for p in paths]

    from newsift.analyze.attribution import AttributionAnalyzer
    from newsift.analyze.claims import ClaimAnalyzer
    from newsift.attribution.checkworthy import load_model
    from newsift.attribution.cues import load_cue_model
    from newsift.document import Article
    from newsift.pipeline import Pipeline, load_spacy

    nlp, _, _ = load_spacy(), load_model(), load_cue_model()
    layers = [AttributionAnalyzer(), ClaimAnalyzer()]
    pipeline = Pipeline([])

    t0 = time.perf_counter()
    for text in texts:
        nlp(text)
    bare_s = time.perf_counter() - t0

    spent = dict.fromkeys((a.layer for a in layers), 0.0)
    for text in texts:
        doc = pipeline.document(Article(text=text))
        for layer in layers:
            t = time.perf_counter()
            layer(doc)
            spent[layer.layer] += time.perf_counter() - t

    n = len(texts)
    print(f"articles: {n} ({sum(len(t.split()) for t in texts):,} words)")
    print(f"bare spaCy parse: {1000 * bare_s / n:8.1f} ms per article")
    for layer, s in spent.items():
        print(f"{layer:16s}: {1000 * s / n:8.1f} ms per article ({100 * s / bare_s:5.1f}% of the parse)")
    print(f"both layers     : {100 * sum(spent.values()) / bare_s:5.1f}% added to the parse (budget 50%)")


if __name__ == "__main__":
    main()

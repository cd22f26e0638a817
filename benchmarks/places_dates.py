"""Time the where-and-when layers (entities, places, dates, timeline) against the bare spaCy parse.

Design constraint: the four layers together add at most 30% to the parse time of an article. Prints, per
article set, the median per-article seconds of the parse and of each layer, their ratio, and the gazetteer's
load time (measured cold, in a fresh process). Articles: the example article, and the first 30 articles of
the PTC training set when ../shared/data is present (also timed joined into one long article, where any
cost growing faster than the text would show).

Run: ``OMP_NUM_THREADS=1 nice -n 10 python benchmarks/places_dates.py [--articles N]``.
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PTC = ROOT.parent / "shared" / "data" / "ptc-semeval2020" / "train-articles"
LOAD_SNIPPET = ("import time; t = time.perf_counter(); from newsift.geo.gazetteer import gazetteer; "
                "u = time.perf_counter(); gazetteer().candidates('Kharkiv'); v = time.perf_counter(); "
                "print(u - t, v - u)")


def example_text() -> str:
    raw = (ROOT / "examples" / "war-report.html").read_text(encoding="utf-8")
    body = raw[raw.index("<article>"):raw.index("</article>")]
    blocks = re.findall(r"<(?:h1|p)[^>]*>(.*?)</(?:h1|p)>", body, re.S)
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", b)).strip() for b in blocks)


def articles(limit: int) -> list[str]:
    texts = [example_text()]
    if PTC.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(PTC.glob("*.txt"))[:limit]]
    return texts


def cold_load_seconds() -> tuple[float, float]:
    """(import seconds, first lookup seconds) in a fresh process."""
    out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True)
    imported, loaded = out.stdout.split()
    return float(imported), float(loaded)


def time_article(text: str, layers: list) -> dict[str, float]:
    from newsift.eval.english import english_document

    t = time.perf_counter()
    doc = english_document(text, date(2026, 5, 7))
    timings = {"parse": time.perf_counter() - t}
    for layer in layers:
        t = time.perf_counter()
        layer(doc)
        timings[layer.layer] = time.perf_counter() - t
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=30, help="PTC articles to time (default 30)")
    args = parser.parse_args()

    from newsift.analyze.dates import DateAnalyzer
    from newsift.analyze.entities import EntityAnalyzer
    from newsift.analyze.places import PlaceAnalyzer
    from newsift.analyze.timeline import TimelineAnalyzer
    from newsift.geo.gazetteer import gazetteer
    from newsift.pipeline import load_spacy

    imported, loaded = cold_load_seconds()
    print(f"gazetteer, fresh process: module import {imported:.3f} s, load + first lookup {loaded:.3f} s")
    load_spacy()
    gazetteer()
    layers = [EntityAnalyzer(), PlaceAnalyzer(), DateAnalyzer(), TimelineAnalyzer()]
    texts = articles(args.articles)
    time_article(texts[0], layers)  # warm-up
    rows = [time_article(t, layers) for t in texts]
    chars = statistics.median(len(t) for t in texts)
    print(f"articles: {len(texts)} (median {chars:.0f} characters)")
    for key in rows[0]:
        print(f"  {key:<10} median {statistics.median(r[key] for r in rows) * 1000:8.1f} ms/article")
    parse = sum(r["parse"] for r in rows)
    added = sum(sum(v for k, v in r.items() if k != "parse") for r in rows)
    print(f"layers / parse (total over articles): {added / parse:.1%} (limit 30%)")
    worst = max(sum(v for k, v in r.items() if k != "parse") / r["parse"] for r in rows)
    print(f"worst single article: {worst:.1%}")
    if len(texts) > 1:
        long = time_article("\n\n".join(texts), layers)
        ratio = sum(v for k, v in long.items() if k != "parse") / long["parse"]
        size = sum(map(len, texts))
        print(f"all articles as one long article ({size} characters): layers / parse {ratio:.1%}")


if __name__ == "__main__":
    main()

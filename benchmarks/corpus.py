"""Corpus scale benchmark: ingest, rewrite clustering (with its precision and recall) and analysis time.

    python benchmarks/corpus.py [--n 100000] [--analyze 50] [--db /tmp/newsift-bench.db]

How the corpus is made (seed 0): the sentences of the PTC training articles (../shared/data/ptc-semeval2020)
form a pool; each "story" is 12-20 sentences drawn at random from the pool, published by an origin site on
a random day. A story has 0-9 rewrites (exponential, rounded down, mean ~1), each a copy published 0-5 days
later on another site that (a) swaps words for synonyms in about a quarter of its sentences, (b) drops one
sentence, (c) inserts one sentence from the pool and (d) sometimes swaps two adjacent sentences. The
labelled truth is the story: rewrites of one story belong together, distinct stories apart. Clustering
quality is pairwise: precision = share of article pairs put in one cluster that belong to one story,
recall = share of same-story pairs put in one cluster.

Analysis runs the full pipeline with the local engine (--workers processes, default one per core) on
--analyze stored articles and extrapolates to the corpus (printed as such), with the floor that a bare
spaCy parse of the same articles on as many cores sets (measured in one process, times the workers).
Peak memory is the maximum resident set size of this process and of the largest worker.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from itertools import combinations, islice
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

PTC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc-semeval2020" / "train-articles"
SYNONYMS = {
    "said": "stated",
    "says": "claims",
    "people": "citizens",
    "government": "authorities",
    "big": "large",
    "country": "nation",
    "attack": "assault",
    "killed": "slain",
    "president": "leader",
    "new": "fresh",
    "war": "conflict",
    "children": "kids",
    "report": "account",
    "officials": "representatives",
    "very": "extremely",
    "many": "numerous",
    "also": "additionally",
    "however": "yet",
    "show": "reveal",
}


def sentence_pool(folder: Path) -> list[str]:
    from newsift.pipeline import rule_sentences

    pool = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pool.extend(text[s:e] for s, e in rule_sentences(text) if 8 <= len(text[s:e].split()) <= 60)
    if not pool:
        raise SystemExit(f"no sentences under {folder}")
    return pool


def rewrite(sentences: list[str], pool: list[str], rng: random.Random) -> list[str]:
    out = [" ".join(SYNONYMS.get(w, w) for w in s.split()) if rng.random() < 0.25 else s for s in sentences]
    out.pop(rng.randrange(len(out)))
    out.insert(rng.randrange(len(out) + 1), rng.choice(pool))
    if rng.random() < 0.5:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return out


def make_corpus(n: int, pool: list[str], path: Path) -> dict[str, int]:
    """Write ``n`` articles as JSONL; returns url -> story number."""
    rng = random.Random(0)
    story_of: dict[str, int] = {}
    start = date(2025, 1, 1)
    with path.open("w", encoding="utf-8") as fh:
        story = 0
        while len(story_of) < n:
            sentences = rng.sample(pool, rng.randint(12, 20))
            day = start + timedelta(days=rng.randrange(365))
            copies = min(int(rng.expovariate(1 / 1.5)), 9)
            versions = [(sentences, day)] + [
                (rewrite(sentences, pool, rng), day + timedelta(days=rng.randint(0, 5)))
                for _ in range(copies)
            ]
            for k, (text, published) in enumerate(versions):
                if len(story_of) >= n:
                    break
                url = f"https://site{rng.randrange(500)}.example/{story}/{k}"
                story_of[url] = story
                fh.write(
                    json.dumps(
                        {
                            "text": " ".join(text),
                            "url": url,
                            "published": published.isoformat(),
                            "title": text[0][:80],
                        }
                    )
                    + "\n"
                )
            story += 1
    return story_of


def pair_scores(predicted: list[list[str]], story_of: dict[str, int]) -> tuple[float, float]:
    """Pairwise precision and recall of predicted clusters against stories."""
    predicted_pairs = {frozenset(p) for c in predicted for p in combinations(c, 2)}
    by_story: dict[int, list[str]] = {}
    for url, story in story_of.items():
        by_story.setdefault(story, []).append(url)
    true_pairs = {frozenset(p) for urls in by_story.values() for p in combinations(urls, 2)}
    hits = len(predicted_pairs & true_pairs)
    return hits / max(len(predicted_pairs), 1), hits / max(len(true_pairs), 1)


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def time_analysis(store, n: int, workers: int | None, total: int) -> float:
    """Analyse ``n`` stored articles with the local engine (start-up timed apart), print the rate, the
    extrapolation to ``total`` articles and the floor a bare spaCy parse of the same articles sets; returns
    the extrapolated seconds for ``total``."""
    from newsift.engines import make_engine
    from newsift.engines.runner import StoreSink, pending_rows, run_analysis
    from newsift.pipeline import load_spacy

    rows = list(islice(pending_rows(store), n))
    engine = make_engine("local", workers)
    t0 = time.perf_counter()
    engine.start()
    startup = time.perf_counter() - t0
    try:
        result = run_analysis(engine, rows, StoreSink(store))
    finally:
        engine.close()
    rate = result.analysed / result.seconds
    print(
        f"analysis: {result.analysed} articles ({result.failed} failed) with {engine.workers} local workers "
        f"at {rate:.2f} articles/s (workers started in {startup:.0f} s); extrapolated to {total:,}: "
        f"{total / rate / 3600:.2f} h"
    )
    nlp = load_spacy()
    texts = [row[1] for row in rows]
    t0 = time.perf_counter()
    for text in texts:
        nlp(text)
    bare_rate = engine.workers * len(texts) / (time.perf_counter() - t0)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(
        f"floor: a bare spaCy parse ({words:.0f} words per article) on {engine.workers} cores runs at "
        f"{bare_rate:.2f} articles/s, {total / bare_rate / 3600:.2f} h for {total:,}"
    )
    return total / rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--analyze", type=int, default=400, help="articles analysed to time the analysis")
    parser.add_argument("--workers", type=int, default=None, help="analysis worker processes (default: cores)")
    parser.add_argument("--db", default="/tmp/newsift-bench.db")
    parser.add_argument("--articles", type=Path, default=PTC)
    args = parser.parse_args()

    from newsift.corpus.clusters import rebuild_clusters
    from newsift.corpus.ingest import IngestOptions, ingest
    from newsift.corpus.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    source = Path(args.db).with_suffix(".jsonl")
    t0 = time.perf_counter()
    story_of = make_corpus(args.n, sentence_pool(args.articles), source)
    print(
        f"corpus: {len(story_of):,} articles, {len(set(story_of.values())):,} stories, "
        f"{source.stat().st_size / 1e6:.0f} MB JSONL, made in {time.perf_counter() - t0:.0f} s"
    )

    with Store(args.db) as store:
        t0 = time.perf_counter()
        report = ingest(store, [str(source)], IngestOptions(max_bytes=10**10))
        ingest_seconds = time.perf_counter() - t0
        print(f"ingest: {report.added:,} articles in {ingest_seconds:.0f} s")

        t0 = time.perf_counter()
        clusters = rebuild_clusters(store)
        cluster_seconds = time.perf_counter() - t0
        url_of = dict(store.db.execute("SELECT id, url FROM articles"))
        predicted = [[url_of[m.article_id] for m in c.members] for c in clusters]
        precision, recall = pair_scores(predicted, story_of)
        print(
            f"rewrite clusters: {len(clusters):,} clusters in {cluster_seconds:.0f} s; "
            f"pairwise precision {precision:.3f}, recall {recall:.3f}"
        )

        if args.analyze:
            analysis_seconds = time_analysis(store, args.analyze, args.workers, len(story_of))
            print(
                f"whole run on this machine (ingest + rewrite clustering + analysis extrapolated): "
                f"{(ingest_seconds + cluster_seconds + analysis_seconds) / 3600:.2f} h"
            )
    print(
        f"peak memory: {peak_mb():,.0f} MB in this process, {peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB in the "
        "largest analysis worker"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Corpus scale benchmark: ingest, rewrite clustering (with its precision and recall), claim clustering and
analysis time.

    python benchmarks/corpus.py [--n 100000] [--paraphrased 0.2] [--claims 5000] [--analyze 50]
        [--db /tmp/newsift-bench.db] [--near-copies-only]

How the corpus is made (seed 0): the sentences of the PTC training articles (../shared/data/ptc-semeval2020)
form a pool; each "story" is 12-20 sentences drawn at random from the pool, published by an origin site on
a random day. A story has 0-9 rewrites (exponential, rounded down, mean ~1), each a copy published 0-5 days
later on another site that (a) swaps words for synonyms in about a quarter of its sentences, (b) drops one
sentence, (c) inserts one sentence from the pool and (d) sometimes swaps two adjacent sentences. A share
(--paraphrased) of the rewrites are paraphrase-like instead: every sentence is reworded (all synonyms
swapped, "the/a/an/that" dropped, the two halves of a sentence around its first comma swapped), one
sentence dropped, one inserted and the sentence order shuffled, which leaves few word 3-shingles in common
(MinHash misses them) but the sentences' meaning. The labelled truth is the story: rewrites of one story
belong together, distinct stories apart. Clustering quality is pairwise (:mod:`newsift.eval.rewrites`):
precision = share of article pairs put in one cluster that belong to one story, recall = share of
same-story pairs put in one cluster; printed for all pairs and separately for near-copy and paraphrase
pairs.

Claim clustering is timed on --claims sentences of the corpus taken as claims (embedding on every core,
as the command does, then the ANN index and the precise check).

Analysis runs the full pipeline with the local engine (--workers processes, default one per core) on
--analyze stored articles and extrapolates to the corpus (printed as such), with the floor that a bare
spaCy parse of the same articles on as many cores sets (measured in one process, times the workers). The
whole-run estimate adds ingest, rewrite clustering, the extrapolated analysis and claim clustering
extrapolated to the claims the analysed articles had per article.
Peak memory is the maximum resident set size of this process, and of the largest analysis worker.
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
from itertools import islice
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from newsift.eval.rewrites import Labelled, pair_scores  # noqa: E402

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
DROPPED = {"the", "a", "an", "that"}


def pool_sentences(folder: Path) -> list[tuple[str, int, int, str]]:
    """The pool: every sentence of 8-60 words of the articles in ``folder``, as (article file stem, start,
    end, text)."""
    from newsift.pipeline import rule_sentences

    pool = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pool += [(path.stem, s, e, text[s:e]) for s, e in rule_sentences(text) if 8 <= len(text[s:e].split()) <= 60]
    if not pool:
        raise SystemExit(f"no sentences under {folder}")
    return pool


def sentence_pool(folder: Path) -> list[str]:
    return [text for *_, text in pool_sentences(folder)]


def rewrite(sentences: list[str], pool: list[str], rng: random.Random) -> list[str]:
    out = [" ".join(SYNONYMS.get(w, w) for w in s.split()) if rng.random() < 0.25 else s for s in sentences]
    out.pop(rng.randrange(len(out)))
    out.insert(rng.randrange(len(out) + 1), rng.choice(pool))
    if rng.random() < 0.5:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return out


def reword(sentence: str) -> str:
    """A paraphrase-like sentence: halves around the first comma swapped, synonyms in, articles out."""
    head, comma, tail = sentence.partition(", ")
    if comma and tail:
        sentence = f"{tail.rstrip('.')}, {head[0].lower()}{head[1:]}."
    words = [SYNONYMS.get(w, w) for w in sentence.split() if w.lower() not in DROPPED]
    return " ".join(words)


def paraphrase(sentences: list[str], pool: list[str], rng: random.Random) -> list[str]:
    out = [reword(s) for s in sentences]
    out.pop(rng.randrange(len(out)))
    out.insert(rng.randrange(len(out) + 1), rng.choice(pool))
    rng.shuffle(out)
    return out


def make_corpus(n: int, pool: list[str], path: Path, paraphrased: float) -> dict[str, Labelled]:
    """Write ``n`` articles as JSONL; returns url -> story and kind."""
    rng = random.Random(0)
    truth: dict[str, Labelled] = {}
    start = date(2025, 1, 1)
    with path.open("w", encoding="utf-8") as fh:
        story = 0
        while len(truth) < n:
            sentences = rng.sample(pool, rng.randint(12, 20))
            day = start + timedelta(days=rng.randrange(365))
            copies = min(int(rng.expovariate(1 / 1.5)), 9)
            versions = [(sentences, day, "origin")]
            for _ in range(copies):
                kind = "paraphrase" if paraphrased and rng.random() < paraphrased else "near-copy"
                make = paraphrase if kind == "paraphrase" else rewrite
                versions.append((make(sentences, pool, rng), day + timedelta(days=rng.randint(0, 5)), kind))
            for k, (text, published, kind) in enumerate(versions):
                if len(truth) >= n:
                    break
                url = f"https://site{rng.randrange(500)}.example/{story}/{k}"
                truth[url] = Labelled(str(story), kind, "bench")
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
    return truth


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_of_process(pid: int) -> float:
    """A running process's peak resident set in MB (VmHWM; Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


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
        worker_mb = max(peak_of_process(pid) for pid in engine.pids())
    finally:
        engine.close()
    rate = result.analysed / result.seconds
    print(
        f"analysis: {result.analysed} articles ({result.failed} failed) with {engine.workers} local workers "
        f"at {rate:.2f} articles/s (workers started in {startup:.0f} s, peak memory {worker_mb:,.0f} MB per "
        f"worker); extrapolated to {total:,}: {total / rate / 3600:.2f} h"
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
    parser.add_argument("--paraphrased", type=float, default=0.2, help="share of rewrites that paraphrase")
    parser.add_argument("--near-copies-only", action="store_true", help="do not look for paraphrases")
    parser.add_argument("--claims", type=int, default=5000, help="corpus sentences clustered as claims")
    parser.add_argument("--analyze", type=int, default=400, help="articles analysed to time the analysis")
    parser.add_argument("--workers", type=int, default=None, help="analysis worker processes (default: cores)")
    parser.add_argument("--db", default="/tmp/newsift-bench.db")
    parser.add_argument("--articles", type=Path, default=PTC)
    args = parser.parse_args()

    from newsift.corpus.clusters import paraphrase_search, rebuild_clusters
    from newsift.corpus.ingest import IngestOptions, ingest
    from newsift.corpus.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    source = Path(args.db).with_suffix(".jsonl")
    t0 = time.perf_counter()
    truth = make_corpus(args.n, sentence_pool(args.articles), source, args.paraphrased)
    kinds = [t.kind for t in truth.values()]
    print(
        f"corpus: {len(truth):,} articles, {kinds.count('origin'):,} stories, {kinds.count('near-copy'):,} "
        f"near-copies, {kinds.count('paraphrase'):,} paraphrases, {source.stat().st_size / 1e6:.0f} MB JSONL, "
        f"made in {time.perf_counter() - t0:.0f} s"
    )

    with Store(args.db) as store:
        t0 = time.perf_counter()
        report = ingest(store, [str(source)], IngestOptions(max_bytes=10**10))
        ingest_seconds = time.perf_counter() - t0
        print(f"ingest: {report.added:,} articles in {ingest_seconds:.0f} s")

        t0 = time.perf_counter()
        search = None if args.near_copies_only else paraphrase_search(store)
        clusters = rebuild_clusters(store, paraphrases=search)
        cluster_seconds = time.perf_counter() - t0
        url_of = dict(store.db.execute("SELECT id, url FROM articles"))
        predicted = [[(url_of[m.article_id], m.method) for m in c.members] for c in clusters]
        print(f"rewrite clusters: {len(clusters):,} clusters in {cluster_seconds:.0f} s")
        if search:
            print(
                f"    paraphrase stage: {search.checked:,} candidate pairs checked, "
                f"{search.vectors.embedded:,} sentences embedded"
            )
        for kind, scores in pair_scores(predicted, truth).items():
            print(
                f"    {kind:<10} pairwise precision {scores.precision:.3f} ({scores.predicted:,} pairs), "
                f"recall {scores.recall:.3f} ({scores.true:,} pairs)"
            )

        claim_seconds = time_claim_clusters(source, args.claims) if args.claims else 0.0

        if args.analyze:
            analysis_seconds = time_analysis(store, args.analyze, args.workers, len(truth))
            claims = store.db.execute("SELECT COUNT(*) FROM claims")[0][0]
            claims_per_article = claims / max(store.count("WHERE analyzed_version IS NOT NULL"), 1)
            claims_seconds = claim_seconds * claims_per_article * len(truth)
            print(
                f"claim clustering extrapolated: {claims_per_article:.1f} claims per analysed article, "
                f"{claims_per_article * len(truth):,.0f} claims, {claims_seconds / 3600:.2f} h"
            )
            print(
                "whole run on this machine (ingest + rewrite clustering + analysis and claim clustering "
                f"extrapolated): {(ingest_seconds + cluster_seconds + analysis_seconds + claims_seconds) / 3600:.2f} h"
            )
    print(f"peak memory: {peak_mb():,.0f} MB in this process (the analysis workers' is printed with the analysis)")
    sys.stdout.flush()


def time_claim_clusters(source: Path, n: int) -> float:
    """Cluster the first ``n`` sentences of the corpus as if they were claims, timing each stage; returns
    the seconds per claim."""
    from newsift.corpus.claim_clusters import DEFAULT_THRESHOLD, ClaimMember, group_claims
    from newsift.factchecks.embed import encode
    from newsift.pipeline import rule_sentences

    members: list[ClaimMember] = []
    with source.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = record["text"]
            for k, (s, e) in enumerate(rule_sentences(text)):
                members.append(ClaimMember(record["url"], f"c{k}", text[s:e], None, None, "unattributed", None))
            if len(members) >= n:
                break
    members = members[:n]
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)  # as `newsift corpus claim-clusters` does: every core
    t0 = time.perf_counter()
    vectors = encode([m.text for m in members], cache=False)
    embedded = time.perf_counter() - t0
    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    groups = group_claims(members, vectors, DEFAULT_THRESHOLD)
    grouped = time.perf_counter() - t0
    print(
        f"claim clusters: {len(members):,} claims ({len({m.text for m in members}):,} distinct texts) embedded "
        f"in {embedded:.0f} s on {os.cpu_count()} threads "
        f"({len(members) / embedded:.0f} per s), {len(groups):,} clusters found in {grouped:.1f} s"
    )
    return (embedded + grouped) / len(members)


if __name__ == "__main__":
    main()

"""Web benchmark: article list and search latency through the app on a 100,000-article SQLite store.

    python benchmarks/web.py [--n 100000] [--db /tmp/newsift-web-bench.db] [--repeat 15]

How the store is made (seed 0, written straight into the tables, no analysis run): each article is
80-250 words drawn from a Zipf-distributed vocabulary of 20,000 made-up words (so some words occur in most
articles and most in few), with a title of 6 words, one of 400 sites, a publication date in 2024-2026 and a
language (90% en). A layer row set is added per article: 3 entities out of 5,000 names, one technique
(1 in 3 articles) out of the 14 labels, one source of a random kind, and 2 claims. An existing store with
the requested number of articles is reused.

Each case is a GET through the ASGI app (FastAPI TestClient: routing, validation, query, template
rendering), repeated --repeat times after one warm-up; the median and 95th percentile are printed in ms,
with the machine's load average (the figures are wall-clock times on a shared machine).
Goal: under 300 ms for the article list and search. The dashboard and the entity lists (corpus-wide
aggregates, kept as a snapshot while the corpus is unchanged) are timed once computed and once reused.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from newsift.corpus.store import ARTICLE_COLUMNS, Store
from newsift.labels import SOURCE_KINDS, TECHNIQUES

BATCH = 5000


def words(rng: random.Random, n: int) -> list[str]:
    """``n`` made-up words: consonant-vowel syllables."""
    cons, vows = "bcdfghklmnprstvz", "aeiou"
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(cons) + rng.choice(vows) for _ in range(rng.randint(2, 4))))
    return sorted(out)


def build(db: str, n: int) -> None:
    rng = random.Random(0)
    vocab = words(rng, 20_000)
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    names = [w.capitalize() + " " + v.capitalize() for w, v in zip(vocab[:5000], vocab[5000:10000], strict=True)]
    sites = [f"{w}.example" for w in vocab[10000:10400]]
    techniques, kinds = list(TECHNIQUES), list(SOURCE_KINDS)
    start = date(2024, 1, 1)
    with Store(db) as store:
        store.create()
        for first in range(0, n, BATCH):
            articles, entities, techs, sources, claims = [], [], [], [], []
            for i in range(first, min(n, first + BATCH)):
                body = rng.choices(vocab, weights, k=rng.randint(80, 250))
                text = " ".join(body).capitalize() + "."
                article_id = f"url:https://bench.example/{i}"
                published = (start + timedelta(days=rng.randrange(1000))).isoformat()
                row = dict.fromkeys(ARTICLE_COLUMNS)
                row.update(
                    id=article_id,
                    key_kind="url",
                    url=article_id[4:],
                    site=rng.choice(sites),
                    title=" ".join(rng.choices(vocab, weights, k=6)).capitalize(),
                    text=text,
                    content_hash=f"{i:064x}",
                    published=published,
                    authors="[]",
                    source_kind="file",
                    origin="bench",
                    ingested_at="2026-01-01T00:00:00",
                )
                articles.append((*row.values(), "en" if rng.random() < 0.9 else "ru", "bench"))
                for e, name in enumerate(rng.sample(names, 3)):
                    entities.append((article_id, f"e{e}", rng.choice(["PERSON", "ORG", "GPE"]), name, 1))
                if rng.random() < 1 / 3:
                    techs.append((article_id, 0, rng.choice(techniques), 0, 5, text[:5], 0.7))
                sources.append((article_id, "s0", rng.choice(kinds), 1, rng.choice(names)))
                for c in range(2):
                    claims.append(
                        (
                            article_id,
                            f"c{c}",
                            0,
                            10,
                            text[:10],
                            rng.random(),
                            rng.choice(["named", "anonymous", "unattributed"]),
                            None,
                            None,
                        )
                    )
            columns = ", ".join((*ARTICLE_COLUMNS, "language", "analyzed_version"))
            with store.db.transaction():
                store.db.executemany(
                    f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * (len(ARTICLE_COLUMNS) + 2))})", articles
                )
                store.db.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?)", entities)
                store.db.executemany("INSERT INTO techniques VALUES (?, ?, ?, ?, ?, ?, ?)", techs)
                store.db.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?)", sources)
                store.db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", claims)
            print(f"\r{min(n, first + BATCH):,} articles", end="", file=sys.stderr, flush=True)
        store.db.execute("ANALYZE")
    print(file=sys.stderr)


def sample_terms(db: str) -> tuple[str, str, str, str]:
    """From the store: a word in most articles, a word in few, the word of article 7 whose match count is
    largest but still ranked by BM25 (at most ``RANK_LIMIT`` matches), and an entity name."""
    from newsift.web.queries import RANK_LIMIT

    with Store(db) as store:
        text = store.db.execute("SELECT text FROM articles WHERE id = 'url:https://bench.example/7'")[0][0]
        entity = store.db.execute("SELECT canonical FROM entities ORDER BY rowid LIMIT 1")[0][0]
        counts = {
            word: store.db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (f'"{word}"',))[0][0]
            for word in set(text.lower().rstrip(".").split())
        }
    ranked = max((w for w in counts if counts[w] <= RANK_LIMIT), key=counts.get)
    return max(counts, key=counts.get), min(counts, key=counts.get), ranked, entity


def matching(client, url: str) -> str:
    """How many articles the list URL matches (asked of the API)."""
    api = url if url.startswith("/api/") else "/api" + url
    return f"{client.get(api).json()['total']:,}"


def timed(client, url: str, repeat: int) -> tuple[float, float]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/newsift-web-bench.db")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from newsift.web import create_app

    if Path(args.db).exists():
        with Store(args.db) as store:
            have = store.count()
        if have != args.n:
            sys.exit(f"{args.db} holds {have:,} articles, not {args.n:,}: remove it or give another --db")
    else:
        t = time.perf_counter()
        build(args.db, args.n)
        print(f"built {args.n:,} articles in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    common, rare, ranked, entity = sample_terms(args.db)
    client = TestClient(create_app(args.db))
    site = client.get("/api/articles?per_page=1").json()["items"][0]["site"]
    cases = {
        "list, newest first, page 1": "/articles",
        "list, page 2000": "/articles?page=2000",
        "list, sorted by title": "/articles?sort=title",
        "list, site + date filter": f"/articles?site={site}&since=2025-01-01",
        "list, technique filter": "/articles?technique=Loaded_Language",
        "list, entity filter": f"/articles?entity={entity}",
        f"search, frequent word ({common})": f"/articles?q={common}",
        f"search, rare word ({rare})": f"/articles?q={rare}",
        f"search, most frequent BM25-ranked word ({ranked})": f"/articles?q={ranked}",
        "search, two words + OR": f"/articles?q={common}+OR+{rare}",
        "search, frequent word, newest first": f"/articles?q={common}&sort=newest",
        "search, frequent word, language filter": f"/articles?q={common}&language=ru",
        "API list, 100 per page": "/api/articles?per_page=100",
        f"API search ({common})": f"/api/search?q={common}",
    }
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, url in (("dashboard", "/"), ("entities and places", "/entities")):
        t = time.perf_counter()
        client.get(url)
        first = (time.perf_counter() - t) * 1000
        print(f"{name}: {first:.0f} ms computed, {timed(client, url, args.repeat)[0]:.1f} ms from the snapshot")
    print(f"{'case':52} {'matches':>8} {'median ms':>10} {'p95 ms':>8}")
    for name, url in cases.items():
        median, p95 = timed(client, url, args.repeat)
        matches = "" if url.startswith("/api/search") else matching(client, url)
        print(f"{name:52} {matches:>8} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()

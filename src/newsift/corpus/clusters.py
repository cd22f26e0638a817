"""Rewrite clusters: near-copies of one article across the corpus, found with MinHash LSH on word shingles.

Each article's text becomes the set of its word ``SHINGLE``-grams (lower-cased words); MinHash with
``NUM_PERM`` permutations estimates the Jaccard similarity J(A, B) = |A n B| / |A u B| of two sets, and LSH
(``datasketch.MinHashLSH``) proposes the pairs whose estimate is likely above ``threshold``. Proposed pairs
with an estimated J >= threshold are joined (union-find); each cluster of two or more articles names its
earliest published article (ties: the smaller id) as the likely origin, and every copy keeps its similarity
to it and its sentence alignment with it (:func:`align_sentences`), so a reader can see what the copy changed.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsift.corpus.store import Store

SHINGLE = 3
NUM_PERM = 128
DEFAULT_THRESHOLD = 0.5
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The set of ``size``-word shingles of the text (the whole text if it is shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def minhash(text: str):
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch(list(shingles(text)))
    return m


@dataclass
class Member:
    article_id: str
    published: str | None
    similarity: float


@dataclass
class Cluster:
    """A group of near-copies; ``members[0]`` is the likely origin."""

    members: list[Member]

    @property
    def origin(self) -> str:
        return self.members[0].article_id


class UnionFind:
    """Disjoint sets of string keys (path halving; the smaller key is the root)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_clusters(
    articles: Iterable[tuple[str, str, str | None]], threshold: float = DEFAULT_THRESHOLD
) -> list[Cluster]:
    """Clusters of near-copies among (id, text, published) triples, the origin first, then by date."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes, dates = {}, {}
    links = UnionFind()
    for article_id, text, published in articles:
        m = minhash(text)
        for other in lsh.query(m):
            if m.jaccard(hashes[other]) >= threshold:
                links.union(article_id, other)
        lsh.insert(article_id, m)
        hashes[article_id], dates[article_id] = m, published
    groups: dict[str, list[str]] = {}
    for article_id in hashes:
        groups.setdefault(links.find(article_id), []).append(article_id)
    clusters = []
    for ids in groups.values():
        if len(ids) < 2:
            continue
        ids.sort(key=lambda i: (dates[i] or "9999-99-99", i))
        origin = hashes[ids[0]]
        clusters.append(
            Cluster(
                [Member(i, dates[i], 1.0 if n == 0 else origin.jaccard(hashes[i])) for n, i in enumerate(ids)]
            )
        )
    clusters.sort(key=lambda c: (-len(c.members), c.origin))
    return clusters


def align_sentences(origin: str, copy: str) -> list[dict]:
    """How ``copy`` differs from ``origin``, sentence by sentence: difflib opcodes over the two lists of
    sentences (compared case- and space-insensitively), each with the character ranges it covers in both
    texts: ``{"op": "equal"|"replace"|"insert"|"delete", "origin": [start, end], "copy": [start, end]}``."""
    from newsift.pipeline import rule_sentences

    a, b = rule_sentences(origin), rule_sentences(copy)

    def keys(text: str, spans: list[tuple[int, int]]) -> list[str]:
        return [" ".join(text[s:e].lower().split()) for s, e in spans]

    def char_range(spans: list[tuple[int, int]], i: int, j: int, text: str) -> list[int]:
        if i < j:
            return [spans[i][0], spans[j - 1][1]]
        at = spans[i][0] if i < len(spans) else len(text)
        return [at, at]

    matcher = difflib.SequenceMatcher(a=keys(origin, a), b=keys(copy, b), autojunk=False)
    return [
        {"op": op, "origin": char_range(a, i1, i2, origin), "copy": char_range(b, j1, j2, copy)}
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _stored_articles(store: Store) -> Iterator[tuple[str, str, str | None]]:
    yield from store.db.iterate("SELECT id, text, published FROM articles ORDER BY id")


def rebuild_clusters(store: Store, threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Recompute the rewrite clusters of the whole store and replace the ``clusters`` table."""
    clusters = find_clusters(_stored_articles(store), threshold)
    rows = []
    for c in clusters:
        origin_text = _text_of(store, c.origin)
        for n, m in enumerate(c.members):
            alignment = (
                None if n == 0 else json.dumps(align_sentences(origin_text, _text_of(store, m.article_id)))
            )
            rows.append((c.origin, m.article_id, int(n == 0), m.similarity, alignment))
    with store.db.transaction():
        store.db.execute("DELETE FROM clusters")
        if rows:
            store.db.executemany("INSERT INTO clusters VALUES (?, ?, ?, ?, ?)", rows)
    return clusters


def _text_of(store: Store, article_id: str) -> str:
    return store.db.execute("SELECT text FROM articles WHERE id = ?", (article_id,))[0][0]

"""Rewrite clusters: copies of one article across the corpus, near-copies and paraphrased rewrites.

Near-copies: each article's text becomes the set of its word ``SHINGLE``-grams (lower-cased words); MinHash
with ``NUM_PERM`` permutations estimates the Jaccard similarity J(A, B) = |A n B| / |A u B| of two sets, and
LSH (``datasketch.MinHashLSH``) proposes the pairs whose estimate is likely above ``threshold``. Proposed
pairs with an estimated J >= threshold are joined (union-find). Paraphrased rewrites, which MinHash misses,
are then found among the articles not joined yet by sentence-embedding alignment
(:mod:`newsift.corpus.paraphrase`) and joined too.

Each cluster of two or more articles names its earliest published article (ties: the smaller id) as the
likely origin. Every copy says how it relates to the origin (``method``): ``near-copy`` when MinHash links
alone join it to the origin, with its estimated J and a difflib sentence alignment (:func:`align_sentences`),
else ``paraphrase``, with its aligned-sentence share and the embedding alignment; either way a reader can
see what the copy changed.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsift.corpus.paraphrase import DEFAULT_SHARE, ParaphraseSearch, SentenceVectors
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


NEAR_COPY = "near-copy"
PARAPHRASE = "paraphrase"
ORIGIN = "origin"


@dataclass
class Member:
    article_id: str
    published: str | None
    similarity: float
    method: str = NEAR_COPY
    alignment: list[dict] | None = None


@dataclass
class Cluster:
    """A group of near-copies; ``members[0]`` is the likely origin."""

    members: list[Member]

    @property
    def origin(self) -> str:
        return self.members[0].article_id

    @property
    def methods(self) -> set[str]:
        """How the copies were found: ``near-copy``, ``paraphrase`` or both."""
        return {m.method for m in self.members[1:]}


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
    articles: Iterable[tuple[str, str, str | None]],
    threshold: float = DEFAULT_THRESHOLD,
    paraphrases: ParaphraseSearch | None = None,
) -> list[Cluster]:
    """Clusters of rewrites among (id, text, published) triples, the origin first, then by date; with
    ``paraphrases``, paraphrased rewrites join them as well as near-copies."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes, dates = {}, {}
    copies, links = UnionFind(), UnionFind()
    for article_id, text, published in articles:
        m = minhash(text)
        for other in lsh.query(m):
            if m.jaccard(hashes[other]) >= threshold:
                copies.union(article_id, other)
                links.union(article_id, other)
        lsh.insert(article_id, m)
        hashes[article_id], dates[article_id] = m, published
        if paraphrases is not None:
            paraphrases.add(article_id, text)
    if paraphrases is not None:
        for a, b, _ in paraphrases.links(lambda a, b: links.find(a) == links.find(b)):
            links.union(a, b)
    groups: dict[str, list[str]] = {}
    for article_id in hashes:
        groups.setdefault(links.find(article_id), []).append(article_id)
    clusters = []
    for ids in groups.values():
        if len(ids) < 2:
            continue
        ids.sort(key=lambda i: (dates[i] or "9999-99-99", i))
        members = [Member(ids[0], dates[ids[0]], 1.0, ORIGIN)]
        for i in ids[1:]:
            if copies.find(i) == copies.find(ids[0]):
                members.append(Member(i, dates[i], hashes[ids[0]].jaccard(hashes[i])))
            else:
                share, steps = paraphrases.compare(ids[0], i)
                members.append(Member(i, dates[i], share, PARAPHRASE, steps))
        clusters.append(Cluster(members))
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


def paraphrase_search(store: Store, share: float = DEFAULT_SHARE, threads: int = 1) -> ParaphraseSearch:
    """A paraphrase search over the store's articles that keeps their sentence embeddings in the store."""
    return ParaphraseSearch(SentenceVectors(lambda i: _text_of(store, i), store), share, threads)


def rebuild_clusters(
    store: Store, threshold: float = DEFAULT_THRESHOLD, paraphrases: ParaphraseSearch | None = None
) -> list[Cluster]:
    """Recompute the rewrite clusters of the whole store and replace the ``clusters`` table; with
    ``paraphrases`` (:func:`paraphrase_search`), paraphrased rewrites join them too."""
    clusters = find_clusters(_stored_articles(store), threshold, paraphrases)
    rows = []
    for c in clusters:
        origin_text = _text_of(store, c.origin)
        for n, m in enumerate(c.members):
            if n and m.alignment is None:
                m.alignment = align_sentences(origin_text, _text_of(store, m.article_id))
            alignment = json.dumps(m.alignment) if n else None
            rows.append((c.origin, m.article_id, int(n == 0), m.similarity, alignment, m.method))
    with store.db.transaction():
        store.db.execute("DELETE FROM clusters")
        if rows:
            store.db.executemany(
                "INSERT INTO clusters (cluster_id, article_id, is_origin, similarity, alignment, method) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
    return clusters


def _text_of(store: Store, article_id: str) -> str:
    return store.db.execute("SELECT text FROM articles WHERE id = ?", (article_id,))[0][0]

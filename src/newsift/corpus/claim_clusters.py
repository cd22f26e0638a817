"""Claim clusters: the same claim across articles and outlets.

Every stored claim is embedded (all-MiniLM-L6-v2, normalised). Candidates come from an approximate
nearest-neighbour index (:mod:`newsift.corpus.ann`, usearch HNSW): each claim's ``NEIGHBOURS`` nearest claims
with a cosine of at least ``threshold``. The precise check keeps a candidate pair when the two claims come
from different articles and do not contradict each other's figures: the numbers written in digits in each
claim (``1,200`` -> ``1200``) must be the same set whenever both claims have some, so "1,200 evacuated"
and "3,000 evacuated" stay apart however close their embeddings are. Kept pairs are joined (union-find).
Each cluster lists its members with their article's site and publication date and the claim's sourcing
(named / anonymous / unattributed, and the source), so one can see when the claim was first seen, where
it went, and how its sourcing changed between copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from newsift.corpus.ann import similar_pairs
from newsift.corpus.clusters import UnionFind
from newsift.corpus.store import Store

DEFAULT_THRESHOLD = 0.85
NEIGHBOURS = 10
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class ClaimMember:
    article_id: str
    claim_id: str
    text: str
    site: str | None
    published: str | None
    sourcing: str
    source_name: str | None


def _claims(store: Store) -> list[ClaimMember]:
    rows = store.db.execute(
        "SELECT c.article_id, c.claim_id, c.text, a.site, a.published, c.sourcing, c.source_name "
        "FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.start_char"
    )
    return [ClaimMember(*row) for row in rows]


def numbers(text: str) -> frozenset[str]:
    """The numbers written in digits in a text, thousands separators removed."""
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def same_claim(a: ClaimMember, b: ClaimMember) -> bool:
    """The precise check of a candidate pair: different articles, and no conflicting figures."""
    if a.article_id == b.article_id:
        return False
    na, nb = numbers(a.text), numbers(b.text)
    return not (na and nb and na != nb)


def group_claims(
    members: list[ClaimMember], vectors: np.ndarray, threshold: float, neighbours: int = NEIGHBOURS
) -> list[list[int]]:
    """Index groups of claims from two or more articles linked (transitively) by near-neighbour pairs with a
    cosine >= ``threshold`` that pass :func:`same_claim`."""
    links = UnionFind()
    for a, b, _ in similar_pairs(vectors, neighbours, threshold):
        if same_claim(members[a], members[b]):
            links.union(str(a), str(b))
    groups: dict[str, list[int]] = {}
    for key in links.parent:
        groups.setdefault(links.find(key), []).append(int(key))
    return [sorted(g) for g in groups.values() if len({members[i].article_id for i in g}) > 1]


def rebuild_claim_clusters(store: Store, threshold: float = DEFAULT_THRESHOLD) -> list[list[ClaimMember]]:
    """Recompute the claim clusters and replace the ``claim_clusters`` table; each cluster sorted by date,
    the first-seen claim first."""
    from newsift.factchecks.embed import encode

    members = _claims(store)
    vectors = encode([m.text for m in members], cache=False)
    clusters = [
        sorted((members[i] for i in group), key=lambda m: (m.published or "9999-99-99", m.article_id))
        for group in group_claims(members, vectors, threshold)
    ]
    clusters.sort(key=lambda c: (-len(c), c[0].article_id, c[0].claim_id))
    rows = [
        (f"{c[0].article_id}#{c[0].claim_id}", m.article_id, m.claim_id, n)
        for c in clusters
        for n, m in enumerate(c)
    ]
    with store.db.transaction():
        store.db.execute("DELETE FROM claim_clusters")
        if rows:
            store.db.executemany("INSERT INTO claim_clusters VALUES (?, ?, ?, ?)", rows)
    return clusters

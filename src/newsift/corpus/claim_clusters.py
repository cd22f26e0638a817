"""Claim clusters: the same claim across articles and outlets.

Every stored claim is embedded (all-MiniLM-L6-v2, normalised); each distinct claim text is embedded once
and its float16 vector kept in the store's ``claim_vectors`` table, so a rebuild after new articles arrive
embeds only the claims it has not seen (:func:`claim_vectors`). Candidates come from an approximate
nearest-neighbour index (:mod:`newsift.corpus.ann`, usearch HNSW): each claim's ``NEIGHBOURS`` nearest claims
with a cosine of at least ``threshold``. The precise check keeps a candidate pair when the two claims come
from different articles and do not contradict each other's figures: the numbers in each claim, in digits or
in words (``1,200`` -> ``1200``, "twenty-three" -> ``23``, "two million" -> ``2000000``), must be the same
set, or one claim's a subset of the other's (one may add a figure), whenever both claims have some. So
"1,200 evacuated" and "3,000 evacuated" stay apart however close their embeddings are, and "petrol rose by
21 percent" stays apart from "the tax falls by five cents". Kept pairs form clusters by leader clustering,
first seen first (:func:`join_links`), so no chain of loose links joins unrelated claims.
Each cluster lists its members with their article's site and publication date and the claim's sourcing
(named / anonymous / unattributed, and the source), so one can see when the claim was first seen, where
it went, and how its sourcing changed between copies.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from newsift.corpus.ann import similar_pairs
from newsift.corpus.store import Store, pack_vectors, unpack_vectors

# the lowest cosine at which a labelled sample of links between PTC sentences is estimated >= 0.9 precise
# (`python benchmarks/claim_clusters.py --labels src/newsift/data/eval/claims/ptc-links.tsv`)
DEFAULT_THRESHOLD = 0.75
NEIGHBOURS = 10
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {w: k for k, w in enumerate(_UNITS)} | {w: 10 * k for k, w in enumerate(_TENS, start=2)}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?:(\d+(?:[.,]\d+)*)|\b((?:{_WORD})(?:-(?:{_WORD}))?)\b)(?:\s+({'|'.join(SCALES)})\b)?", re.IGNORECASE
)


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


def _value(digits: str, words: str, scale: str) -> str:
    """One number as a canonical string: ``1,200`` -> ``1200``, ``2.5 million`` -> ``2500000``."""
    if words:
        value = Decimal(sum(NUMBER_WORDS[w.lower()] for w in words.split("-")))
    elif digits.count(".") > 1:  # 1.2.2026, a version: not a quantity, kept as written
        return digits
    else:
        value = Decimal(digits.replace(",", ""))
    if scale:
        value *= SCALES[scale.lower()]
    return format(value.normalize(), "f")


def numbers(text: str) -> frozenset[str]:
    """The numbers in a text, written in digits (thousands separators removed) or in words up to
    ninety-nine, times a following hundred / thousand / million / billion."""
    return frozenset(_value(*found) for found in _NUMBER.findall(text))


def same_claim(a: ClaimMember, b: ClaimMember) -> bool:
    """The precise check of a candidate pair: different articles, and no conflicting figures (when both
    claims have numbers, one's are all among the other's)."""
    if a.article_id == b.article_id:
        return False
    na, nb = numbers(a.text), numbers(b.text)
    return not na or not nb or na <= nb or nb <= na


def first_seen(members: list[ClaimMember]) -> list[int]:
    """Member indexes in the order the claims were first seen: publication date (undated last), then as
    listed."""
    return sorted(range(len(members)), key=lambda i: (members[i].published or "9999-99-99", i))


def claim_links(
    members: list[ClaimMember], vectors: np.ndarray, threshold: float, neighbours: int = NEIGHBOURS
) -> list[tuple[int, int, float]]:
    """The kept pairs (i, j, cosine), i < j: near neighbours with a cosine >= ``threshold`` that pass
    :func:`same_claim`. Each distinct text is searched once, as its first seen claim (copies repeat claims
    word for word, and identical vectors would crowd out the neighbours); a later copy of a text in another
    article is linked to that first claim with cosine 1."""
    first: dict[str, int] = {}
    copies = []
    for i in first_seen(members):
        j = first.setdefault(members[i].text, i)
        if j != i and same_claim(members[i], members[j]):
            copies.append((min(i, j), max(i, j), 1.0))
    reps = sorted(first.values())
    pairs = similar_pairs(vectors[reps], neighbours, threshold)
    return copies + [
        (min(reps[a], reps[b]), max(reps[a], reps[b]), cosine)
        for a, b, cosine in pairs
        if same_claim(members[reps[a]], members[reps[b]])
    ]


def join_links(members: list[ClaimMember], links: list[tuple[int, int, float]]) -> list[list[int]]:
    """Index groups of claims, those from two or more articles. Leader clustering, first seen first: a claim
    whose text was seen before joins that claim's cluster; otherwise it joins the cluster of the most similar
    earlier cluster leader it is linked to, or leads a new cluster. Every member is thus linked directly to
    its cluster's first-seen claim, and a chain of ever-looser links cannot join unrelated claims."""
    linked: dict[int, list[tuple[float, int]]] = {}
    for a, b, cosine in links:
        linked.setdefault(a, []).append((cosine, b))
        linked.setdefault(b, []).append((cosine, a))
    leader_of: dict[int, int] = {}
    by_text: dict[str, int] = {}
    for i in first_seen(members):
        text = members[i].text
        if text in by_text:
            leader_of[i] = leader_of[by_text[text]]
            continue
        by_text[text] = i
        leaders = [(cosine, j) for cosine, j in linked.get(i, []) if leader_of.get(j) == j]
        leader_of[i] = max(leaders)[1] if leaders else i
    groups: dict[int, list[int]] = {}
    for i, leader in leader_of.items():
        groups.setdefault(leader, []).append(i)
    return [sorted(g) for g in groups.values() if len({members[i].article_id for i in g}) > 1]


def group_claims(
    members: list[ClaimMember], vectors: np.ndarray, threshold: float, neighbours: int = NEIGHBOURS
) -> list[list[int]]:
    """Index groups of claims from two or more articles (:func:`join_links` over :func:`claim_links`)."""
    return join_links(members, claim_links(members, vectors, threshold, neighbours))


def claim_vectors(store: Store, texts: list[str]) -> tuple[np.ndarray, int]:
    """The embedding of each text (float16 precision, as kept) and how many distinct texts had to be
    embedded; texts not in ``claim_vectors`` yet are embedded in one batch and kept."""
    from newsift.factchecks.embed import DIMENSIONS, MODEL_NAME, encode

    if not texts:
        return np.zeros((0, DIMENSIONS), np.float32), 0
    key_of = {t: hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest()[:32] for t in texts}
    rows = store.db.select_in(
        "SELECT text_hash, vector FROM claim_vectors WHERE model = ? AND text_hash IN ({})",
        list(dict.fromkeys(key_of.values())),
        [MODEL_NAME],
    )
    kept = {key: unpack_vectors(v) for key, v in rows}
    missing = list(dict.fromkeys(t for t in texts if key_of[t] not in kept))
    if missing:
        made = encode(missing, cache=False).astype(np.float16)
        rows = [(key_of[t], MODEL_NAME, pack_vectors(v)) for t, v in zip(missing, made, strict=True)]
        with store.db.transaction():
            store.db.executemany(
                "INSERT INTO claim_vectors (text_hash, model, vector) VALUES (?, ?, ?) "
                "ON CONFLICT (text_hash, model) DO NOTHING",
                rows,
            )
        kept.update((key_of[t], v) for t, v in zip(missing, made, strict=True))
    return np.stack([kept[key_of[t]] for t in texts]).astype(np.float32), len(missing)


def rebuild_claim_clusters(store: Store, threshold: float = DEFAULT_THRESHOLD) -> list[list[ClaimMember]]:
    """Recompute the claim clusters and replace the ``claim_clusters`` table; each cluster sorted by date,
    the first-seen claim first."""
    members = _claims(store)
    vectors, _ = claim_vectors(store, [m.text for m in members])
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

"""Find already fact-checked claims for a text: BM25 and sentence-embedding retrieval, a learned re-ranker,
then a cross-encoder over the best few.

For a query q, candidates are the union of the top ``CANDIDATES`` claims by BM25 (over claim + title) and by
cosine similarity of sentence embeddings (best of claim and title; claims by all-MiniLM-L6-v2, queries by
its fine-tuned query encoder, :mod:`newsift.factchecks.embed`). Each candidate gets a feature
vector (:func:`features`) and the re-ranker's score s = w . x + b (a linear listwise model trained on the
CheckThat! 2020 train queries, ``training/factchecks/``). With a :class:`Rescorer`, the first
``Rescorer.top`` candidates in that order are re-ordered by s + weight * c, c being the cross-encoder's
score of the (query, claim) pair (:mod:`newsift.factchecks.crossenc`). The remaining candidates follow in
re-ranker order, then all other claims by cosine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

import numpy as np

from newsift.factchecks.bm25 import BM25, tokenize
from newsift.factchecks.records import Query, VerifiedClaim

CANDIDATES = 50
CROSS_TOP = 20  # candidates re-scored by the cross-encoder; chosen on CheckThat! 2020 dev
CROSS_WEIGHT = 1.0  # weight of the cross-encoder's score against the re-ranker's; chosen on dev
MIN_SIMILARITY = 0.6  # least cosine for a match shown in a report; set by hand, not calibrated
FEATURE_NAMES = (
    "cos_claim",
    "cos_title",
    "cos_best",
    "cos_gap",
    "cos_rank_rr",
    "bm25_norm",
    "bm25_rank_rr",
    "claim_covered",
    "query_covered",
    "later_copy",
    "bias",
)
_TRAILER_LINK = re.compile(r"https?://\S+|pic\.twitter\.com/\S+")


def clean_query(text: str) -> str:
    """A query without links (tweets end with t.co and pic.twitter.com links that carry no words)."""
    return " ".join(_TRAILER_LINK.sub(" ", text).split())


@dataclass
class Reranker:
    """A linear scorer over :data:`FEATURE_NAMES`."""

    weights: np.ndarray

    @classmethod
    def packaged(cls) -> Reranker:
        """The re-ranker trained by ``training/factchecks/train.py``."""
        blob = (resources.files("newsift") / "data" / "factchecks" / "reranker.json").read_text("utf-8")
        data = json.loads(blob)
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError("reranker.json was trained on other features; retrain it")
        return cls(np.asarray(data["weights"], dtype=np.float32))

    def score(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weights


@dataclass
class Rescorer:
    """Re-orders a query's first ``top`` candidates by their score + ``weight`` * ``pair_scores(query, texts)``
    (the cross-encoder, :func:`newsift.factchecks.crossenc.pair_scores`)."""

    pair_scores: Callable[[str, Sequence[str]], np.ndarray]
    top: int = CROSS_TOP
    weight: float = CROSS_WEIGHT

    @classmethod
    def packaged(cls) -> Rescorer:
        """The packaged cross-encoder (loaded on first use) with the settings chosen on dev."""
        from newsift.factchecks.crossenc import pair_scores

        return cls(pair_scores)


def _reciprocal_ranks(values: np.ndarray) -> np.ndarray:
    """1 / rank of each value, the largest having rank 1."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float32)
    ranks[order] = np.arange(1, len(values) + 1, dtype=np.float32)
    return 1.0 / ranks


def coverage(query: set[str], claims: Sequence[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Per claim: the share of its words found in the query, and the share of the query's words in it."""
    shared = np.array([len(query & c) for c in claims], dtype=np.float32)
    sizes = np.array([max(len(c), 1) for c in claims], dtype=np.float32)
    return shared / sizes, shared / max(len(query), 1)


def features(
    cos_claim: np.ndarray,
    cos_title: np.ndarray,
    bm25: np.ndarray,
    covered: tuple[np.ndarray, np.ndarray],
    later_copy: np.ndarray,
) -> np.ndarray:
    """The feature matrix of one query's candidates (rows) over :data:`FEATURE_NAMES` (columns)."""
    best = np.maximum(cos_claim, cos_title)
    top_bm25 = float(bm25.max()) if len(bm25) else 0.0
    return np.column_stack(
        [
            cos_claim,
            cos_title,
            best,
            best - best.max(initial=0.0),
            _reciprocal_ranks(best),
            bm25 / top_bm25 if top_bm25 > 0 else np.zeros_like(bm25),
            _reciprocal_ranks(bm25),
            covered[0],
            covered[1],
            later_copy,
            np.ones_like(best),
        ]
    ).astype(np.float32)


class Matcher:
    """Ranks a fixed list of verified claims for any number of queries."""

    def __init__(
        self,
        claims: Sequence[VerifiedClaim],
        reranker: Reranker | None = None,
        progress: bool = False,
        rescorer: Rescorer | None = None,
    ) -> None:
        self.claims = list(claims)
        self.reranker = reranker
        self.progress = progress
        self.rescorer = rescorer

    @cached_property
    def bm25(self) -> BM25:
        return BM25([c.search_text for c in self.claims])

    @cached_property
    def later_copies(self) -> np.ndarray:
        """1 for a claim whose check has the same title as a claim listed before it, else 0 (collections
        re-list a check with small edits; the first listing is usually the one people cite)."""
        seen: set[str] = set()
        out = np.zeros(len(self.claims), dtype=np.float32)
        for i, claim in enumerate(self.claims):
            key = " ".join((claim.title or claim.claim).lower().split())
            out[i] = key in seen
            seen.add(key)
        return out

    @cached_property
    def claim_words(self) -> list[frozenset[str]]:
        return [frozenset(tokenize(c.search_text)) for c in self.claims]

    @cached_property
    def claim_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Embeddings of every claim's text and of its title (the claim again when it has none)."""
        from newsift.factchecks.embed import encode

        return (
            encode([c.claim for c in self.claims], progress=self.progress),
            encode([c.title or c.claim for c in self.claims], progress=self.progress),
        )

    def candidates(
        self, query_text: str, query_vector: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidate indices, the features of each candidate, and the cosine of every claim."""
        claim_vecs, title_vecs = self.claim_vectors
        cos_claim, cos_title = claim_vecs @ query_vector, title_vecs @ query_vector
        best = np.maximum(cos_claim, cos_title)
        bm25 = self.bm25.scores(query_text)
        k = min(CANDIDATES, len(self.claims))
        pool = np.union1d(np.argpartition(-best, k - 1)[:k], np.argpartition(-bm25, k - 1)[:k])
        covered = coverage(set(tokenize(query_text)), [self.claim_words[i] for i in pool])
        x = features(cos_claim[pool], cos_title[pool], bm25[pool], covered, self.later_copies[pool])
        return pool, x, best

    def rank(self, queries: Sequence[Query], top: int = 1000) -> dict[str, list[tuple[str, float]]]:
        """The best ``top`` claims for each query, as (claim id, score), best first."""
        from newsift.factchecks.embed import encode

        if not self.claims:
            return {q.id: [] for q in queries}
        texts = [clean_query(q.text) for q in queries]
        vectors = encode(texts, query=True, progress=self.progress)
        return {
            q.id: self._rank_one(text, vec, top) for q, text, vec in zip(queries, texts, vectors, strict=True)
        }

    def ordered(
        self, text: str, pool: np.ndarray, x: np.ndarray, best: np.ndarray, keep: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The candidates ``pool`` (claim indices; only those ``keep`` marks, if given) best first, and their
        decreasing scores: re-ranker order (cosine without a re-ranker), the first ``rescorer.top`` of it
        re-ordered by the rescorer."""
        scores = self.reranker.score(x) if self.reranker else best[pool]
        if keep is not None:
            pool, scores = pool[keep], scores[keep]
        order = np.argsort(-scores, kind="stable")
        pool, scores = pool[order], scores[order]
        if self.rescorer is None or not len(pool):
            return pool, scores
        n = min(self.rescorer.top, len(pool))
        pair = self.rescorer.pair_scores(text, [self.claims[i].search_text for i in pool[:n]])
        head = scores[:n] + self.rescorer.weight * pair
        first = np.argsort(-head, kind="stable")
        tail = scores[n:]
        if len(tail):
            tail = tail + min(0.0, float(head.min()) - 1.0 - float(tail[0]))  # stays below the re-scored head
        return np.concatenate([pool[:n][first], pool[n:]]), np.concatenate([head[first], tail])

    def _rank_one(self, text: str, vector: np.ndarray, top: int) -> list[tuple[str, float]]:
        pool, x, best = self.candidates(text, vector)
        order, scores = self.ordered(text, pool, x, best)
        ranked = [(self.claims[i].id, float(s)) for i, s in zip(order, scores, strict=True)]
        if len(ranked) < top:
            floor = ranked[-1][1] if ranked else 0.0
            in_pool = set(pool.tolist())
            rest = [i for i in np.argsort(-best, kind="stable")[: top + len(pool)] if i not in in_pool]
            ranked += [(self.claims[i].id, floor - 1.0 + float(best[i])) for i in rest]
        return ranked[:top]

    def matches(self, texts: Sequence[str], k: int = 3, min_similarity: float = MIN_SIMILARITY) -> list[list]:
        """For each text, up to ``k`` :class:`~newsift.report.FactCheckMatch` in ranked order, keeping only
        claims whose embedding cosine with the text (best of claim and title) is at least ``min_similarity``
        (so the rescorer sees only those); the match's score is that cosine."""
        from newsift.factchecks.embed import encode
        from newsift.report import FactCheckMatch

        if not self.claims or not texts:
            return [[] for _ in texts]
        cleaned = [clean_query(t) for t in texts]
        out = []
        for text, vector in zip(cleaned, encode(cleaned, query=True, cache=False), strict=True):
            pool, x, best = self.candidates(text, vector)
            hits, _ = self.ordered(text, pool, x, best, keep=best[pool] >= min_similarity)
            out.append(
                [
                    FactCheckMatch(
                        claim=self.claims[i].claim,
                        rating=self.claims[i].rating,
                        url=self.claims[i].url,
                        score=round(float(best[i]), 4),
                    )
                    for i in hits[:k]
                ]
            )
        return out

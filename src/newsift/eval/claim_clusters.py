"""Claim clusters against hand-labelled same-claim sentence pairs: pairwise precision, recall and F1.

The set (``newsift/data/eval/claims/pairs.tsv``, its rule in the folder's README) labels which sentences of
the rewrite set's articles (:mod:`newsift.eval.rewrites`) state the same claim; every other pair of
sentences, within an article, within a story or across stories, is different. Every sentence
(:func:`newsift.pipeline.rule_sentences`) of the split's articles is taken as a claim, embedded by
all-MiniLM-L6-v2 and rounded to float16 as the store keeps claim vectors, and put through the real decision
of :mod:`newsift.corpus.claim_clusters`: near neighbours (usearch, ``NEIGHBOURS`` per claim) with a
cosine >= the threshold that pass :func:`~newsift.corpus.claim_clusters.same_claim`.

Two sets of predicted pairs are scored over all sentence pairs: ``links``, the pairs that decision keeps,
and ``clusters``, every pair of sentences that leader clustering puts in one claim cluster (what users see;
two members of a cluster are each linked to its first claim, not necessarily to each other).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from itertools import combinations
from pathlib import Path

import numpy as np

from newsift.corpus.claim_clusters import (
    NEIGHBOURS,
    ClaimMember,
    claim_links,
    join_links,
    numbers,
    same_claim,
)
from newsift.eval.rewrites import load_set
from newsift.eval.scores import PairScores

THRESHOLDS = tuple(round(0.5 + 0.05 * k, 2) for k in range(10))  # the sweep: 0.50, 0.55, ..., 0.95
Pair = frozenset[int]


@dataclass
class ClaimSet:
    """Every sentence of a split's articles as a claim, and the labelled same-claim pairs (member indexes)."""

    members: list[ClaimMember]
    same: set[Pair]


@dataclass
class ThresholdScores:
    threshold: float
    links: PairScores
    clusters: PairScores


@dataclass
class PairError:
    """A cluster-level error: a labelled pair not in one cluster (``miss``) or a predicted pair not labelled
    (``false``), with the pair's cosine and why."""

    kind: str
    a: ClaimMember
    b: ClaimMember
    cosine: float
    why: str


def data_dir() -> Path:
    return Path(str(resources.files("newsift") / "data" / "eval" / "claims"))


def load_claims(split: str = "all", folder: Path | None = None) -> ClaimSet:
    """The claims and labelled pairs of one split (or all). A row naming a sentence that does not exist with
    that exact text, articles of another story or split than ``truth.tsv`` gives, one article twice, or a
    repeated pair is a ValueError."""
    from newsift.pipeline import rule_sentences

    articles, truth = load_set(split="all")
    sentences = {a["url"]: [a["text"][s:e] for s, e in rule_sentences(a["text"])] for a in articles}
    members = [
        ClaimMember(a["url"], str(i), text, a.get("site"), a.get("published"), "", None)
        for a in articles
        if split in ("all", truth[a["url"]].split)
        for i, text in enumerate(sentences[a["url"]])
    ]
    index = {(m.article_id, int(m.claim_id)): k for k, m in enumerate(members)}
    same: set[Pair] = set()
    with ((folder or data_dir()) / "pairs.tsv").open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            where = f"pairs.tsv line {line}"
            sides = [(row[f"url_{x}"], int(row[f"sentence_{x}"]), row[f"text_{x}"]) for x in "ab"]
            for url, i, text in sides:
                if url not in truth or not 0 <= i < len(sentences[url]) or sentences[url][i] != text:
                    raise ValueError(f"{where}: {url} has no sentence {i} with that text")
                if (truth[url].story, truth[url].split) != (row["story"], row["split"]):
                    raise ValueError(f"{where}: {url} is not of story {row['story']}, split {row['split']}")
            if sides[0][0] == sides[1][0]:
                raise ValueError(f"{where}: both sentences are from one article")
            if split not in ("all", row["split"]):
                continue
            pair = frozenset(index[url, i] for url, i, _ in sides)
            if pair in same:
                raise ValueError(f"{where}: a repeated pair")
            same.add(pair)
    return ClaimSet(members, same)


def embed(members: list[ClaimMember]) -> np.ndarray:
    """The claims' MiniLM vectors at the float16 precision the store's ``claim_vectors`` keeps."""
    from newsift.factchecks.embed import encode

    return encode([m.text for m in members], cache=False).astype(np.float16).astype(np.float32)


def cluster_pairs(members: list[ClaimMember], links: list[tuple[int, int, float]]) -> set[Pair]:
    """Every pair of claims that :func:`~newsift.corpus.claim_clusters.join_links` puts in one cluster."""
    return {frozenset(p) for group in join_links(members, links) for p in combinations(group, 2)}


def sweep(
    claims: ClaimSet, vectors: np.ndarray, thresholds: tuple[float, ...] = THRESHOLDS
) -> list[ThresholdScores]:
    """Link and cluster scores at each threshold. The neighbour search runs once at the lowest threshold:
    a claim's neighbours do not depend on the threshold, so a higher one keeps a subset of those links."""
    every = claim_links(claims.members, vectors, min(thresholds))
    out = []
    for t in thresholds:
        links = [link for link in every if link[2] >= t]
        linked = {frozenset(link[:2]) for link in links}
        out.append(
            ThresholdScores(
                t,
                PairScores.of(linked, claims.same),
                PairScores.of(cluster_pairs(claims.members, links), claims.same),
            )
        )
    return out


def errors(claims: ClaimSet, vectors: np.ndarray, threshold: float) -> list[PairError]:
    """The cluster-level misses and false pairs at ``threshold``, most similar first."""
    links = claim_links(claims.members, vectors, threshold)
    linked = {frozenset(link[:2]) for link in links}
    clustered = cluster_pairs(claims.members, links)
    out = []
    for pair in (claims.same - clustered) | (clustered - claims.same):
        i, j = sorted(pair)
        a, b = claims.members[i], claims.members[j]
        cosine = float(vectors[i] @ vectors[j])
        if pair in clustered:
            kind, why = "false", "linked" if pair in linked else "joined through its cluster"
        elif cosine < threshold:
            kind, why = "miss", "cosine below the threshold"
        elif not same_claim(a, b):
            kind, why = "miss", "figures differ: " + " / ".join(",".join(sorted(numbers(m.text))) for m in (a, b))
        else:
            kind, why = "miss", f"not among each other's {NEIGHBOURS} nearest claims"
        out.append(PairError(kind, a, b, cosine, why))
    return sorted(out, key=lambda e: (e.kind, -e.cosine))

"""Rewrite clusters against a labelled set of rewrites: pairwise precision and recall, overall and by kind.

The packaged set (``newsift/data/eval/rewrites``) was written by hand for newsift: short news stories about
invented places and people, each with rewrites of its own (near-copies that change a few words or a
sentence; paraphrases that reword, reorder, add or drop sentences and change the sourcing) and one
same-topic article that is a different story (a distractor). ``truth.tsv`` gives each article's story,
kind (origin / near-copy / paraphrase / distractor) and split: the dev stories were used to choose the
thresholds, the test stories were not.

Scores are pairwise. A predicted pair is two articles put in one cluster; a true pair is two articles of one
story. Precision = predicted pairs that are true / predicted pairs; recall = true pairs predicted / true
pairs. By kind: a true pair is a ``paraphrase`` pair when either article is a paraphrase (else
``near-copy``); a predicted pair is a ``paraphrase`` pair when either member joined its cluster as one.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from importlib import resources
from itertools import combinations
from pathlib import Path

from newsift.eval.scores import PairScores

KINDS = ("near-copy", "paraphrase")


@dataclass
class Labelled:
    story: str
    kind: str
    split: str


def data_dir() -> Path:
    return Path(str(resources.files("newsift") / "data" / "eval" / "rewrites"))


def load_set(folder: Path | None = None, split: str = "all") -> tuple[list[dict], dict[str, Labelled]]:
    """The articles (url, site, published, title, text) and their labels, of one split or all."""
    folder = folder or data_dir()
    with (folder / "truth.tsv").open(encoding="utf-8") as fh:
        truth = {r["url"]: Labelled(r["story"], r["kind"], r["split"]) for r in csv.DictReader(fh, delimiter="\t")}
    truth = {url: t for url, t in truth.items() if split in ("all", t.split)}
    with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
        articles = [a for a in map(json.loads, fh) if a["url"] in truth]
    return articles, truth


def pair_kind(kinds: tuple[str, str]) -> str:
    return "paraphrase" if "paraphrase" in kinds else "near-copy"


def pair_scores(clusters: list[list[tuple[str, str]]], truth: dict[str, Labelled]) -> dict[str, PairScores]:
    """Pairwise scores of clusters given as lists of (article, method) against the labels, for ``all`` pairs
    and for each of :data:`KINDS`."""
    predicted = {
        frozenset((a, b)): pair_kind((ma, mb)) for c in clusters for (a, ma), (b, mb) in combinations(c, 2)
    }
    by_story: dict[str, list[str]] = {}
    for url, label in truth.items():
        by_story.setdefault(label.story, []).append(url)
    true = {
        frozenset((a, b)): pair_kind((truth[a].kind, truth[b].kind))
        for urls in by_story.values()
        for a, b in combinations(urls, 2)
    }
    out = {}
    for kind in ("all", *KINDS):
        p = {pair for pair, k in predicted.items() if kind in ("all", k)}
        t = {pair for pair, k in true.items() if kind in ("all", k)}
        out[kind] = PairScores(len(p), len(t), len(p & set(true)), len(t & set(predicted)))
    return out


def evaluate(split: str = "all", paraphrases: bool = True) -> dict[str, PairScores]:
    """Cluster the packaged set (in memory) and score it."""
    from newsift.corpus.clusters import find_clusters
    from newsift.corpus.paraphrase import ParaphraseSearch, SentenceVectors

    articles, truth = load_set(split=split)
    texts = {a["url"]: a["text"] for a in articles}
    search = ParaphraseSearch(SentenceVectors(texts.__getitem__)) if paraphrases else None
    triples = [(a["url"], a["text"], a["published"]) for a in articles]
    clusters = find_clusters(triples, paraphrases=search)
    return pair_scores([[(m.article_id, m.method) for m in c.members] for c in clusters], truth)


@dataclass
class PairMeasure:
    """What the paraphrase search measures for two articles of the set."""

    a: str
    b: str
    same_story: bool
    signature_cosine: float
    aligned_share: float


def pair_measures(split: str = "all", least_cosine: float = 0.3) -> list[PairMeasure]:
    """Signature cosine and aligned-sentence share of every same-story pair and of every other pair whose
    signature cosine reaches ``least_cosine``: how far apart the thresholds' two sides are."""
    from newsift.corpus.paraphrase import SentenceVectors, align, signature

    articles, truth = load_set(split=split)
    texts = {a["url"]: a["text"] for a in articles}
    embedded = SentenceVectors(texts.__getitem__).get(texts)
    signatures = {url: signature(text) for url, text in texts.items()}
    out = []
    for a, b in combinations(texts, 2):
        same = truth[a].story == truth[b].story
        cosine = float(signatures[a] @ signatures[b])
        if same or cosine >= least_cosine:
            out.append(PairMeasure(a, b, same, cosine, align(embedded[a], embedded[b]).share))
    return out

"""Attribution scoring on PolNeAR: content-span P/R/F1 and source accuracy on matched pairs.

A predicted content matches a gold content when their character overlap is at least half the length of the
shorter of the two (a discontinuous gold span counts its pieces). Matching is one-to-one, greedy by overlap.
``P = matched / predicted``, ``R = matched / gold``, ``F1 = 2PR/(P+R)``. Source accuracy is the share of
matched pairs whose gold attribution has a source for which one mention of the predicted source overlaps
the gold source span. Gold: one annotator per article (:func:`newsift.attribution.corpora.read_polnear`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsift import report as R
from newsift.attribution.corpora import GoldAttribution, PolnearArticle

if TYPE_CHECKING:
    from newsift.analyze.attribution import AttributionAnalyzer
    from newsift.document import Document

Pieces = Sequence[tuple[int, int]]


def overlap(a: Pieces, b: Pieces) -> int:
    """Characters shared by two sets of spans."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def length(a: Pieces) -> int:
    return sum(e - s for s, e in a)


def matches(pred: Pieces, gold: Pieces) -> bool:
    shorter = min(length(pred), length(gold))
    return shorter > 0 and overlap(pred, gold) * 2 >= shorter


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    with_source: int = 0
    source_right: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def prf(self) -> tuple[float, float, float]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def lines(self) -> list[str]:
        p, r, f = self.prf()
        acc = self.source_right / self.with_source if self.with_source else 0.0
        return [f"attributions: gold {self.gold}, predicted {self.predicted}, matched {self.matched}",
                f"content precision: {p:.4f}", f"content recall:    {r:.4f}", f"content F1:        {f:.4f}",
                f"source accuracy:   {acc:.4f} ({self.source_right}/{self.with_source} matched pairs "
                "with a gold source)"]


def score_article(gold: Sequence[GoldAttribution], attributions: Sequence[R.Attribution],
                  sources: Sequence[R.Source]) -> Counts:
    """Counts for one article."""
    mentions = {s.id: [(m.start, m.end) for m in s.mentions] for s in sources}
    pairs = sorted(((overlap([(a.content.start, a.content.end)], g.content), i, j)
                    for i, a in enumerate(attributions) for j, g in enumerate(gold)), reverse=True)
    used_p, used_g, counts = set(), set(), Counts(len(attributions), len(gold))
    for ov, i, j in pairs:
        if ov == 0:
            break
        a, g = attributions[i], gold[j]
        if i in used_p or j in used_g or not matches([(a.content.start, a.content.end)], g.content):
            continue
        used_p.add(i)
        used_g.add(j)
        counts.matched += 1
        if g.source:
            counts.with_source += 1
            predicted = mentions.get(a.source, []) if a.source else []
            if a.source_span is not None:
                predicted = [*predicted, (a.source_span.start, a.source_span.end)]
            counts.source_right += overlap(predicted, g.source) > 0
    return counts


def parsed(articles: Iterable[PolnearArticle]) -> Iterator[tuple[PolnearArticle, Document]]:
    """Each article with its parsed document (no layer filled yet)."""
    from newsift.document import Article
    from newsift.pipeline import Pipeline

    pipeline = Pipeline([])
    for art in articles:
        yield art, pipeline.document(Article(text=art.text))


def evaluate(docs: Iterable[tuple[PolnearArticle, Document]], analyzer: AttributionAnalyzer | None = None
             ) -> Counts:
    """Run the attribution layer over parsed articles and add up the counts."""
    from newsift.analyze.attribution import AttributionAnalyzer

    analyzer = analyzer or AttributionAnalyzer()
    total = Counts()
    for art, doc in docs:
        analyzer(doc)
        total.add(score_article(art.attributions, doc.attributions, doc.sources))
    return total

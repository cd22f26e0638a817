"""Train the techniques layer's models on the PTC training articles (SemEval-2020 Task 11).

Split: the corpus's 371 training articles, shuffled with seed 2020, first 20% (74 articles) ``dev``, the
rest ``train`` (``newsift.techniques.corpus.Corpus.split``). The models are fitted on ``train``; the
regularisation strengths, the tagger's threshold and gap are chosen on ``dev``. The shipped model is the
``train`` fit, so ``newsift eval ptc --split dev`` reproduces the dev figures.

    OMP_NUM_THREADS=1 nice -n 10 python training/techniques/train.py --data ../shared/data/ptc-semeval2020
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from spacy.tokens import DocBin

from newsift.document import Article, Chunk, Document
from newsift.eval.ptc import si_scores, tc_scores
from newsift.pipeline import load_spacy
from newsift.techniques.corpus import SPLIT_SEED, Corpus
from newsift.techniques.features import ArticleTokens
from newsift.techniques.model import (
    SPAN_BITS,
    TOKEN_BITS,
    SpanTagger,
    TechniqueClassifier,
    TechniqueModel,
    TokenRows,
    flatten,
    span_rows,
)
from newsift.techniques.predict import MODEL_PATH, parse

SEED = 13


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class ParseCache:
    """Parses kept on disk between runs (spaCy ``DocBin`` per article), keyed by article ID."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.store: dict[str, tuple[list[int], bytes]] = {}
        if path and path.exists():
            self.store = pickle.loads(path.read_bytes())
        self.dirty = False

    def document(self, corpus: Corpus, article_id: str) -> Document:
        text = corpus.text(article_id)
        if article_id in self.store:
            offsets, data = self.store[article_id]
            docs = DocBin().from_bytes(data).get_docs(load_spacy().vocab)
            doc = Document(article=Article(text=text))
            doc.chunks = [Chunk(o, d) for o, d in zip(offsets, docs, strict=True)]
            return doc
        doc = parse(text)
        bin_ = DocBin(store_user_data=False)
        for chunk in doc.chunks:
            bin_.add(chunk.doc)
        self.store[article_id] = ([c.offset for c in doc.chunks], bin_.to_bytes())
        self.dirty = True
        return doc

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.write_bytes(pickle.dumps(self.store))


class Prepared:
    """One article parsed and featurised, with its gold spans."""

    def __init__(self, corpus: Corpus, article_id: str, cache: ParseCache) -> None:
        self.id = article_id
        self.art = ArticleTokens.of(cache.document(corpus, article_id))
        self.rows = TokenRows.of(self.art)
        self.si = [(s.start, s.end) for s in corpus.si(article_id)]
        self.tc = [(s.start, s.end, s.technique) for s in corpus.tc(article_id)]
        self.tc_rows = span_rows(self.art, [(s, e) for s, e, _ in self.tc])
        self.token_labels = np.zeros(len(self.art.tokens), dtype=np.int8)
        for s, e in self.si:
            i, j = self.art.token_range(s, e)
            self.token_labels[i:j] = 1


def sparse(rows: list[list[int]], bits: int) -> csr_matrix:
    idx, ptr = flatten(rows)
    m = csr_matrix((np.ones(len(idx), dtype=np.float32), idx, ptr), shape=(len(rows), 1 << bits))
    m.sum_duplicates()
    return m


def token_matrix(docs: list[Prepared]) -> tuple[csr_matrix, np.ndarray]:
    rows = [loc + d.rows.sentence[d.art.sentence[i]] for d in docs for i, loc in enumerate(d.rows.local)]
    return sparse(rows, TOKEN_BITS), np.concatenate([d.token_labels for d in docs])


def fit_tagger(docs: list[Prepared], c: float) -> SpanTagger:
    x, y = token_matrix(docs)
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=SEED)
    lr.fit(x, y)
    return SpanTagger(lr.coef_[0].astype(np.float32), float(lr.intercept_[0]))


def si_f1(tagger: SpanTagger, docs: list[Prepared], probs: dict[str, np.ndarray]) -> float:
    pred = [(d.id, s, e) for d in docs for s, e, _ in tagger.decode(d.art, probs[d.id])]
    gold = [(d.id, s, e) for d in docs for s, e in d.si]
    return si_scores(pred, gold).f1


def tune_tagger(train: list[Prepared], dev: list[Prepared], cs: list[float]) -> SpanTagger:
    """The tagger whose plain decoding scores best on dev (over C, gap and threshold)."""
    best: tuple[float, SpanTagger] | None = None
    for c in cs:
        tagger = fit_tagger(train, c)
        probs = {d.id: tagger.token_probs(d.art, d.rows) for d in dev}
        for gap in range(11):
            for threshold in np.arange(0.1, 0.5, 0.05):
                tagger.threshold, tagger.max_gap = float(threshold), gap
                f = si_f1(tagger, dev, probs)
                if best is None or f > best[0]:
                    best = (f, SpanTagger(tagger.weights, tagger.bias, float(threshold), gap))
        log(f"SI dev, tagger alone, C={c}: best so far F1={best[0]:.4f} "
            f"(gap={best[1].max_gap}, threshold={best[1].threshold:.2f})")
    assert best is not None
    return best[1]


def fit_classifier(docs: list[Prepared], c: float) -> TechniqueClassifier:
    x = sparse([r for d in docs for r in d.tc_rows], SPAN_BITS)
    y = [t for d in docs for _, _, t in d.tc]
    lr = LogisticRegression(C=c, max_iter=1000, random_state=SEED)
    lr.fit(x, y)
    weights, bias = lr.coef_.astype(np.float32), lr.intercept_.astype(np.float32)
    return TechniqueClassifier(weights, bias, list(lr.classes_))


def tc_f1(clf: TechniqueClassifier, docs: list[Prepared]) -> float:
    pred, gold = [], []
    for d in docs:
        spans = [(s, e) for s, e, _ in d.tc]
        for (s, e), (tech, _) in zip(spans, clf.assign(d.art, spans), strict=True):
            pred.append((d.id, s, e, tech))
        gold += [(d.id, s, e, t) for s, e, t in d.tc]
    return tc_scores(pred, gold).f1


def tune_classifier(train: list[Prepared], dev: list[Prepared], cs: list[float]) -> TechniqueClassifier:
    best: tuple[float, TechniqueClassifier] | None = None
    for c in cs:
        clf = fit_classifier(train, c)
        f = tc_f1(clf, dev)
        log(f"TC dev C={c}: micro-F1={f:.4f}")
        if best is None or f > best[0]:
            best = (f, clf)
    assert best is not None
    return best[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ptc-semeval2020"))
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--tagger-c", type=float, nargs="+", default=[0.05])
    ap.add_argument("--classifier-c", type=float, nargs="+", default=[1.0])
    ap.add_argument("--cache", type=Path, help="keep parses in this file between runs")
    ap.add_argument("--limit", type=int, default=0, help="use only N articles of each split (smoke runs)")
    args = ap.parse_args()

    corpus = Corpus(args.data)
    splits = {name: corpus.split(name) for name in ("train", "dev")}
    if args.limit:
        splits = {k: v[: args.limit] for k, v in splits.items()}
    log(f"split seed {SPLIT_SEED}: {len(splits['train'])} train, {len(splits['dev'])} dev articles")
    cache = ParseCache(args.cache)
    train = [Prepared(corpus, a, cache) for a in splits["train"]]
    dev = [Prepared(corpus, a, cache) for a in splits["dev"]]
    cache.save()
    log("parsed and featurised")

    classifier = tune_classifier(train, dev, args.classifier_c)
    tagger = tune_tagger(train, dev, args.tagger_c)
    model = TechniqueModel(tagger, classifier)
    pred = [(d.id, s, e) for d in dev for s, e, _ in model.spans(d.art)]
    si = si_scores(pred, [(d.id, s, e) for d in dev for s, e in d.si])
    tc = tc_f1(classifier, dev)
    log(f"final dev: SI P={si.precision:.4f} R={si.recall:.4f} F1={si.f1:.4f}; TC micro-F1={tc:.4f}")
    model.save(args.out, {"split_seed": SPLIT_SEED, "dev_si_f1": round(si.f1, 4), "dev_tc_f1": round(tc, 4)})
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

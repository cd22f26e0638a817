"""Train the techniques layer's models on the PTC training articles (SemEval-2020 Task 11).

Split: the corpus's 371 training articles, shuffled with seed 2020, first 20% (74 articles) ``dev``, the
rest ``train`` (``newsift.techniques.corpus.Corpus.split``). The models are fitted on ``train``; the
regularisation strengths, the sentence gate's weight, the tagger's threshold and gap are chosen on ``dev``.
The shipped model is the ``train`` fit, so ``newsift eval ptc --split dev`` reproduces the dev figures.

    OMP_NUM_THREADS=1 nice -n 10 python training/techniques/train.py --data ../shared/data/ptc-semeval2020 \
        --cache /tmp/ptc-parses.pkl
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from spacy.tokens import DocBin

from newsift.document import Article, Chunk, Document
from newsift.eval.ptc import si_scores, tc_scores
from newsift.pipeline import load_spacy
from newsift.techniques.corpus import SPLIT_SEED, Corpus
from newsift.techniques.features import VECTOR_WIDTH, ArticleTokens, sentence_vectors, token_word_vectors
from newsift.techniques.model import (
    SPAN_BITS,
    TOKEN_BITS,
    WORDPIECE_WIDTH,
    SentenceGate,
    SpanTagger,
    TechniqueClassifier,
    TechniqueModel,
    TokenRows,
    flatten,
    span_rows,
    span_vectors,
)
from newsift.techniques.predict import MODEL_PATH, parse

SEED = 13
# weight of the standardised span vectors against the binary hashed features: the tok2vec summary, then the
# word-piece means (chosen on dev among 0.05-0.3)
DENSE_SCALE = np.r_[np.full(5 * VECTOR_WIDTH, 0.1), np.full(2 * WORDPIECE_WIDTH, 0.2)]
GATE_C = 0.1
WORD_COMPONENTS = 64
WORD_SCALE = 0.1
GATE_WEIGHTS = [0.0, 0.5, 1.0, 1.5, 2.0]
GAPS = [0, 2, 4, 6, 10, 14, 20, 30]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class ParseCache:
    """Parses kept on disk between runs (spaCy ``DocBin`` per article and the chunks' tok2vec tensors,
    which a ``DocBin`` drops), keyed by article ID."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.store: dict[str, tuple[list[int], bytes, list[np.ndarray]]] = {}
        if path and path.exists():
            self.store = pickle.loads(path.read_bytes())
        self.dirty = False

    def document(self, corpus: Corpus, article_id: str) -> Document:
        text = corpus.text(article_id)
        if article_id in self.store:
            offsets, data, tensors = self.store[article_id]
            docs = list(DocBin().from_bytes(data).get_docs(load_spacy().vocab))
            for d, tensor in zip(docs, tensors, strict=True):
                d.tensor = tensor.astype(np.float32)
            doc = Document(article=Article(text=text))
            doc.chunks = [Chunk(o, d) for o, d in zip(offsets, docs, strict=True)]
            return doc
        doc = parse(text)
        bin_ = DocBin(store_user_data=False)
        for chunk in doc.chunks:
            bin_.add(chunk.doc)
        self.store[article_id] = ([c.offset for c in doc.chunks], bin_.to_bytes(),
                                  [c.doc.tensor.astype(np.float16) for c in doc.chunks])
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
        self.tc_vectors = span_vectors(self.art, [(s, e) for s, e, _ in self.tc])
        self.sentence_vectors = sentence_vectors(self.art)
        self.word_vectors = token_word_vectors(self.art)
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


def standardised(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x - mean) / std`` per column, with the mean and std."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    return (x - mean) / std, mean, std


def unstandardised(coef: np.ndarray, intercept: np.ndarray, mean: np.ndarray, std: np.ndarray,
                   scale: float | np.ndarray = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Weights and bias over raw inputs of a linear model fitted on ``scale * (x - mean) / std``."""
    weights = coef * scale / std
    return weights.astype(np.float32), (intercept - weights @ mean).astype(np.float32)


def fit_gate(docs: list[Prepared]) -> SentenceGate:
    """The sentence gate: logistic regression (C = ``GATE_C``) of "the sentence holds a gold span token" on
    the standardised sentence vectors."""
    x, mean, std = standardised(np.concatenate([d.sentence_vectors for d in docs]))
    y = np.concatenate([[d.token_labels[s0:s1].any() for s0, s1 in d.art.sentences] for d in docs])
    lr = LogisticRegression(C=GATE_C, max_iter=2000, random_state=SEED).fit(x, y)
    weights, bias = unstandardised(lr.coef_[0], lr.intercept_, mean, std)
    gate = SentenceGate(weights, float(bias[0]), 0.0)
    gate.offset = float(np.mean(np.concatenate([gate.token_logits(d.art) for d in docs])))
    return gate


def fit_tagger(docs: list[Prepared], c: float, gate: SentenceGate) -> SpanTagger:
    """Logistic regression over the hashed token features and the tokens' word-piece vectors, projected on
    their first ``WORD_COMPONENTS`` principal axes (from every 5th training token), standardised and scaled
    by ``WORD_SCALE``; projection and scaling are folded into one weight vector over the raw word vector."""
    x, y = token_matrix(docs)
    words = np.concatenate([d.word_vectors for d in docs])
    centre = words.mean(axis=0)
    basis = np.linalg.svd(words[::5] - centre, full_matrices=False)[2][:WORD_COMPONENTS].T
    projected, mean, std = standardised((words - centre) @ basis)
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=SEED)
    lr.fit(hstack([x, csr_matrix(WORD_SCALE * projected)]).tocsr(), y)
    n_sparse = 1 << TOKEN_BITS
    weights, bias = unstandardised(lr.coef_[0, n_sparse:], lr.intercept_, mean, std, WORD_SCALE)
    word_weights = basis @ weights
    bias = float(bias[0] - word_weights @ centre)
    return SpanTagger(lr.coef_[0, :n_sparse].astype(np.float32), bias, word_weights.astype(np.float32), gate)


def si_f1(tagger: SpanTagger, docs: list[Prepared], probs: dict[str, np.ndarray]) -> float:
    pred = [(d.id, s, e) for d in docs for s, e, _ in tagger.decode(d.art, probs[d.id])]
    gold = [(d.id, s, e) for d in docs for s, e in d.si]
    return si_scores(pred, gold).f1


def tune_tagger(train: list[Prepared], dev: list[Prepared], cs: list[float]) -> SpanTagger:
    """The tagger that scores best on dev, over C, the gate's weight, the gap and the threshold."""
    gate = fit_gate(train)
    gate_logits = {d.id: gate.token_logits(d.art) for d in dev}
    best: tuple[float, SpanTagger] | None = None
    for c in cs:
        tagger = fit_tagger(train, c, gate)
        logits = {d.id: tagger.token_logits(d.art, d.rows) for d in dev}
        for gate_weight in GATE_WEIGHTS:
            probs = {k: 1.0 / (1.0 + np.exp(-(z + gate_weight * gate_logits[k]))) for k, z in logits.items()}
            for gap in GAPS:
                for threshold in np.arange(0.1, 0.65, 0.05):
                    candidate = SpanTagger(tagger.weights, tagger.bias, tagger.word_weights, gate, gate_weight,
                                           float(threshold), gap)
                    f = si_f1(candidate, dev, probs)
                    if best is None or f > best[0]:
                        best = (f, candidate)
            log(f"SI dev, C={c}, gate weight {gate_weight}: best so far F1={best[0]:.4f} "
                f"(gate weight {best[1].gate_weight}, gap {best[1].max_gap}, threshold {best[1].threshold:.2f})")
    assert best is not None
    return best[1]


def fit_classifier(docs: list[Prepared], c: float) -> TechniqueClassifier:
    """Multinomial logistic regression over the hashed span features and the span vectors, standardised and
    scaled by ``DENSE_SCALE`` (so one C regularises both); the standardisation is folded into the stored
    dense weights and bias."""
    vectors, mean, std = standardised(np.concatenate([d.tc_vectors for d in docs]))
    x = hstack([sparse([r for d in docs for r in d.tc_rows], SPAN_BITS), csr_matrix(DENSE_SCALE * vectors)])
    y = [t for d in docs for _, _, t in d.tc]
    lr = LogisticRegression(C=c, max_iter=1000, random_state=SEED)
    lr.fit(x.tocsr(), y)
    n_sparse = 1 << SPAN_BITS
    dense_weights, bias = unstandardised(lr.coef_[:, n_sparse:], lr.intercept_, mean, std, DENSE_SCALE)
    return TechniqueClassifier(lr.coef_[:, :n_sparse].astype(np.float32), bias, list(lr.classes_), dense_weights)


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
    ap.add_argument("--tagger-c", type=float, nargs="+", default=[0.02, 0.05, 0.1])
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

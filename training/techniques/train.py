"""Train the techniques layer's models on the PTC training articles (SemEval-2020 Task 11).

Split: the corpus's 371 training articles, shuffled with seed 2020, first 20% (74 articles) ``dev``, the
rest ``train`` (``newsift.techniques.corpus.Corpus.split``). The models are fitted on ``train``; the
regularisation strengths and the span scorer's mix, blend and threshold are chosen on ``dev``, which gives
the held-out dev figures. The span scorer learns from candidates of the ``train`` articles read off
out-of-fold tagger probabilities (``FOLDS`` folds of ``train``; the token encoder fine-tuned, and the gate and
Platt scaling refitted, without the fold), so it sees the tagger as it behaves on unseen text; the boosted
trees stacked on the scorer learn from its logits out of fold in turn (``FOLDS`` folds of those candidates).
The encoder's readings run in int8 whatever the CPU (``--readings``), the noisiest of the layer's precisions.
Then every model is refitted the same way on ``train`` and ``dev`` together with the settings chosen, and that
fit ships (``--fit train`` ships the ``train`` fit instead; ``--dev-out DIR`` also writes it, for
``newsift eval ptc --split dev --model DIR``; ``--rehearse`` measures what the refit brings, one level down).

    nice -n 10 python training/techniques/train.py --data ../shared/data/ptc-semeval2020 \
        --cache /tmp/ptc-parses.pkl --dev-out /tmp/ptc-train-fit
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import tune_encoder
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression
from spacy.tokens import DocBin

from newsift.document import Article, Chunk, Document
from newsift.eval.ptc import merge_overlapping, si_scores, tc_scores
from newsift.pipeline import load_spacy
from newsift.techniques.corpus import SPLIT_SEED, Corpus
from newsift.techniques.encoder import DELTA_PATH, WIDTH, Encoding, read_token_encoder
from newsift.techniques.features import VECTOR_WIDTH, ArticleTokens, sentence_vectors
from newsift.techniques.model import (
    CANDIDATE_BITS,
    SPAN_BITS,
    WORDPIECE_WIDTH,
    SentenceGate,
    SpanScorer,
    SpanTagger,
    TechniqueClassifier,
    TechniqueModel,
    TreeCorrection,
    flatten,
    span_rows,
    static_span_vectors,
    tree_inputs,
)
from newsift.techniques.predict import MODEL_PATH, parse
from newsift.techniques.spans import N_NUMERIC, Candidate
from newsift.techniques.trees import BoostedTrees

SEED = 13
# weight of the standardised span vectors against the binary hashed features: the tok2vec summary, the
# word-piece means (chosen on dev among 0.05-0.3), the token encoder's hidden-state mean (among 0.1-0.3)
DENSE_SCALE = np.r_[np.full(5 * VECTOR_WIDTH, 0.1), np.full(2 * WORDPIECE_WIDTH, 0.2), np.full(WIDTH, 0.2)]
# weight of the span scorer's standardised encoder-state columns against its 16 numbers (among 0.1, 0.3)
SCORER_STATE_SCALE = 0.1
GATE_C = 0.1
FOLDS = 3
# weight of the recall estimate against the coverage estimate in the scorer's q (a = 1)
MIXES = [0.35, 0.6, 0.9, 1.3]
THRESHOLDS = np.arange(0.1, 0.6, 0.0125)
# the boosted trees stacked on the span scorer (one regressor for q_c, one for q_r), over the candidate's
# numbers, the first STATE_COMPONENTS principal components of its encoder state and the scorer's logits
# (the settings the cheapest of four tried, as good as any on dev and by cross-validation on train); their
# weight in the estimates chosen on dev among BLENDS (0: no trees)
TREES = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 40,
         "early_stopping": False, "random_state": SEED}
STATE_COMPONENTS = 24
BLENDS = [0.0, 0.3, 0.5, 0.7, 1.0]


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
        self.encoding: Encoding | None = None  # the token encoder's reading, set by read_encoding
        self.si = [(s.start, s.end) for s in corpus.si(article_id)]
        self.tc = [(s.start, s.end, s.technique) for s in corpus.tc(article_id)]
        self.tc_rows = span_rows(self.art, [(s, e) for s, e, _ in self.tc])
        self.tc_static = static_span_vectors(self.art, [(s, e) for s, e, _ in self.tc])
        self.tc_vectors = np.zeros(0)  # the TC spans' dense vectors, completed by read_encoding
        self.sentence_vectors = sentence_vectors(self.art)
        self.token_labels = np.zeros(len(self.art.tokens), dtype=np.int8)
        for s, e in self.si:
            i, j = self.art.token_range(s, e)
            self.token_labels[i:j] = 1

    def read_encoding(self, encoding: Encoding, tc_means: np.ndarray) -> None:
        """Take the token encoder's reading of the article (for the tagger and the scorer) and complete the TC
        spans' dense vectors with its hidden-state means over them."""
        self.encoding = encoding
        self.tc_vectors = np.hstack([self.tc_static, tc_means])


def sparse(rows: list[list[int]], bits: int) -> csr_matrix:
    idx, ptr = flatten(rows)
    m = csr_matrix((np.ones(len(idx), dtype=np.float32), idx, ptr), shape=(len(rows), 1 << bits))
    m.sum_duplicates()
    return m


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


def fit_tagger(docs: list[Prepared]) -> SpanTagger:
    """The sentence gate, and the Platt scaling of the tokens' encoder logits (a logistic regression of "the
    token is inside a gold span" on the logit, C = 100), fitted on ``docs``."""
    lr = LogisticRegression(C=100.0, random_state=SEED)
    logits = np.concatenate([d.encoding.token_logits for d in docs])
    lr.fit(logits[:, None], np.concatenate([d.token_labels for d in docs]))
    return SpanTagger(float(lr.coef_[0, 0]), float(lr.intercept_[0]), fit_gate(docs))


class Candidates:
    """One article's candidate spans under a tagger, their features and their targets: the share of each
    candidate's characters in gold spans and its recall term ``Σ_t |s ∩ t| / |t|`` (capped at 1)."""

    def __init__(self, doc: Prepared, tagger: SpanTagger) -> None:
        self.doc = doc
        self.cands: list[Candidate]
        self.cands, self.rows, self.numbers = tagger.candidates(doc.art, doc.encoding)
        self.targets = candidate_targets(doc, self.cands)


def candidate_targets(doc: Prepared, cands: list[Candidate]) -> np.ndarray:
    """``(2, len(cands))``: each candidate's gold coverage and capped recall term."""
    gold = merge_overlapping(doc.si)
    covered = tune_encoder.covered_chars(len(doc.art.text), gold)
    out = np.zeros((2, len(cands)))
    for n, c in enumerate(cands):
        s, e = doc.art.starts[c.i], doc.art.ends[c.j - 1]
        out[0, n] = (covered[e] - covered[s]) / (e - s)
        out[1, n] = min(1.0, sum(max(0, min(e, t1) - max(s, t0)) / (t1 - t0) for t0, t1 in gold))
    return out


def out_of_fold(train: list[Prepared]) -> list[Candidates]:
    """Candidates of every ``train`` article under a gate and tagger fitted on the other folds."""
    out = []
    for fold in range(FOLDS):
        rest = [d for k, d in enumerate(train) if k % FOLDS != fold]
        tagger = fit_tagger(rest)
        out += [Candidates(d, tagger) for k, d in enumerate(train) if k % FOLDS == fold]
        log(f"out-of-fold candidates, fold {fold + 1}/{FOLDS}")
    return out


def fit_scorer(sets: list[Candidates], c: float) -> SpanScorer:
    """Two logistic regressions (C = ``c``) over the hashed candidate features and the standardised numbers
    (the encoder's states scaled by ``SCORER_STATE_SCALE``), each fitted to a fractional target by listing
    every candidate once as a positive weighted by the target and once as a negative weighted by its
    complement."""
    numbers, mean, std = standardised(np.concatenate([x.numbers for x in sets]))
    scale = np.r_[np.ones(N_NUMERIC), np.full(numbers.shape[1] - N_NUMERIC, SCORER_STATE_SCALE)]
    x = hstack([sparse([r for s in sets for r in s.rows], CANDIDATE_BITS), csr_matrix(scale * numbers)])
    x = vstack([x, x]).tocsr()
    targets = np.concatenate([s.targets for s in sets], axis=1)
    y = np.r_[np.ones(targets.shape[1]), np.zeros(targets.shape[1])]
    n_sparse = 1 << CANDIDATE_BITS
    weights, numeric, bias = [], [], []
    for target in targets:
        w = np.r_[target, 1 - target]
        keep = w > 0
        lr = LogisticRegression(C=c, solver="liblinear", max_iter=300, random_state=SEED)
        lr.fit(x[keep], y[keep], sample_weight=w[keep])
        dense, b = unstandardised(lr.coef_[0, n_sparse:], lr.intercept_, mean, std, scale)
        weights.append(lr.coef_[0, :n_sparse])
        numeric.append(dense)
        bias.append(b[0])
    return SpanScorer(np.asarray(weights, np.float32), np.asarray(numeric, np.float32), np.asarray(bias, np.float32))


def best_threshold(scorer: SpanScorer, dev: list[Candidates], estimates: list[np.ndarray]) -> tuple[float, float]:
    """The SI F1 on dev of the scorer's choice from the candidates' ``estimates`` at the best threshold, and
    that threshold."""
    gold = [(s.doc.id, a, b) for s in dev for a, b in s.doc.si]
    q = [scorer.scores(e) for e in estimates]
    best = (-1.0, 0.0)
    for threshold in THRESHOLDS:
        scorer.threshold = float(threshold)
        f = si_scores([(c.doc.id, a, b) for c, a, b in chosen(scorer, dev, q)], gold).f1
        if f > best[0]:
            best = (f, float(threshold))
    scorer.threshold = best[1]
    return best


def chosen(scorer: SpanScorer, sets: list[Candidates], q: list[np.ndarray]) -> Iterator[tuple[Candidates, int, int]]:
    """Each span ``(start, end)`` the scorer chooses among the candidates of each set (scored ``q``), with its set."""
    for c, qs in zip(sets, q, strict=True):
        for a, b, _ in scorer.choose(c.doc.art, c.cands, qs):
            yield c, a, b


def scores_of(scorer: SpanScorer, sets: list[Candidates]) -> list[np.ndarray]:
    return [scorer.scores(scorer.estimates(c.rows, c.numbers)) for c in sets]


def selected_share(scorer: SpanScorer, sets: list[Candidates], q: list[np.ndarray] | None = None) -> float:
    """The share of the articles' characters inside the spans the scorer chooses among their candidates
    (scored ``q``)."""
    q = scores_of(scorer, sets) if q is None else q
    return sum(b - a for _, a, b in chosen(scorer, sets, q)) / sum(len(c.doc.art.text) for c in sets)


def threshold_for_share(scorer: SpanScorer, sets: list[Candidates], share: float) -> float:
    """The threshold (of ``THRESHOLDS``) at which the scorer chooses the share of the ``sets``' characters
    nearest ``share``."""
    q = scores_of(scorer, sets)
    best = (np.inf, scorer.threshold)
    for threshold in THRESHOLDS:
        scorer.threshold = float(threshold)
        best = min(best, (abs(selected_share(scorer, sets, q) - share), float(threshold)))
    return best[1]


def tune_scorer(train: list[Candidates], dev: list[Candidates], cs: list[float]) -> tuple[SpanScorer, float]:
    """The linear scorer that scores best in SI F1 on dev, over C, the mix and the threshold, and its C."""
    best: tuple[float, SpanScorer, float] | None = None
    for c in cs:
        scorer = fit_scorer(train, c)
        estimates = [scorer.estimates(s.rows, s.numbers) for s in dev]
        for mix in MIXES:
            scorer.mix = (1.0, mix)
            f, threshold = best_threshold(scorer, dev, estimates)
            if best is None or f > best[0]:
                best = (f, SpanScorer(scorer.weights, scorer.numeric_weights, scorer.bias, scorer.mix, threshold), c)
            log(f"SI dev, scorer C={c}, mix {mix}: best so far F1={best[0]:.4f} (mix {best[1].mix[1]}, "
                f"threshold {best[1].threshold:.4f})")
    assert best is not None
    return best[1], best[2]


def fit_trees(sets: list[Candidates], c: float) -> TreeCorrection:
    """The boosted trees stacked on the linear scorer (``TREES``), fitted to the candidates' targets; their
    inputs hold the linear scorer's logits out of fold (``FOLDS`` folds of the articles, each scored by the
    scorer fitted at C = ``c`` on the others), so the trees learn how it errs on candidates it has not seen."""
    logits: list[np.ndarray] = [np.zeros(0)] * len(sets)
    for fold in range(FOLDS):
        scorer = fit_scorer([s for k, s in enumerate(sets) if k % FOLDS != fold], c)
        for k in range(fold, len(sets), FOLDS):
            logits[k] = scorer.logits(sets[k].rows, sets[k].numbers)
        log(f"out-of-fold scorer logits, fold {fold + 1}/{FOLDS}")
    numbers = np.concatenate([s.numbers for s in sets])
    states = numbers[:, N_NUMERIC:]
    mean = states.mean(axis=0)
    components = np.linalg.svd(states - mean, full_matrices=False)[2][:STATE_COMPONENTS]
    x = tree_inputs(numbers, np.concatenate(logits, axis=1), mean, components)
    targets = np.concatenate([s.targets for s in sets], axis=1)
    forests = [BoostedTrees.of(HistGradientBoostingRegressor(**TREES).fit(x, t)) for t in targets]
    log(f"boosted trees fitted ({len(forests[0].roots)} a target, {len(x)} candidates)")
    return TreeCorrection(forests[0], forests[1], mean.astype(np.float32), components.astype(np.float32))


def tune_blend(scorer: SpanScorer, trees: TreeCorrection, dev: list[Candidates]) -> None:
    """Give the scorer its trees with the blend (and the threshold) that scores best in SI F1 on dev; no trees
    when the blend 0 does."""
    best = (-1.0, 0.0, 0.0)
    scorer.trees = trees
    for blend in BLENDS:
        trees.blend = blend
        f, threshold = best_threshold(scorer, dev, [scorer.estimates(s.rows, s.numbers) for s in dev])
        log(f"SI dev, trees blended {blend}: F1={f:.4f} (threshold {threshold:.4f})")
        if f > best[0]:
            best = (f, blend, threshold)
    _, trees.blend, scorer.threshold = best
    if trees.blend == 0.0:
        scorer.trees = None


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
        for (s, e), (tech, _) in zip(spans, clf.assign(spans, d.tc_rows, d.tc_vectors), strict=True):
            pred.append((d.id, s, e, tech))
        gold += [(d.id, s, e, t) for s, e, t in d.tc]
    return tc_scores(pred, gold).f1


def tune_classifier(train: list[Prepared], dev: list[Prepared], cs: list[float]) -> tuple[TechniqueClassifier, float]:
    """The classifier that scores best in TC micro-F1 on dev, over C, and its C."""
    best: tuple[float, TechniqueClassifier, float] | None = None
    for c in cs:
        clf = fit_classifier(train, c)
        f = tc_f1(clf, dev)
        log(f"TC dev C={c}: micro-F1={f:.4f}")
        if best is None or f > best[0]:
            best = (f, clf, c)
    assert best is not None
    return best[1], best[2]


@dataclass(frozen=True)
class Settings:
    """What :func:`tune` chooses on dev, for :func:`fit` to refit with."""

    classifier_c: float
    scorer_c: float
    mix: float
    threshold: float
    blend: float
    # the share of the training articles' characters the scorer chooses at that threshold, among the
    # candidates it was fitted on: a refit takes the threshold that chooses the same share of its own
    train_share: float


def tune(train: list[Prepared], dev: list[Prepared], args: argparse.Namespace) -> tuple[TechniqueModel, Settings]:
    """The models fitted on ``train`` with the settings that score best on ``dev``, and those settings."""
    classifier, classifier_c = tune_classifier(train, dev, args.classifier_c)
    scorer_train = out_of_fold(train)
    tagger = fit_tagger(train)
    scorer_dev = [Candidates(d, tagger) for d in dev]
    scorer, c = tune_scorer(scorer_train, scorer_dev, args.scorer_c)
    tune_blend(scorer, fit_trees(scorer_train, c), scorer_dev)
    blend = scorer.trees.blend if scorer.trees else 0.0
    settings = Settings(classifier_c, c, scorer.mix[1], scorer.threshold, blend, selected_share(scorer, scorer_train))
    return TechniqueModel(tagger, scorer, classifier), settings


def fit(docs: list[Prepared], settings: Settings) -> TechniqueModel:
    """The models fitted on ``docs`` with ``settings``, as :func:`tune` fits them. The threshold is the one
    that chooses ``settings.train_share`` of the characters of ``docs`` among the candidates the scorer is
    fitted on: a scorer fitted on more articles (behind stronger out-of-fold taggers) rates candidates
    higher, so the tuned threshold itself would choose more (rehearsed in the training notes)."""
    classifier = fit_classifier(docs, settings.classifier_c)
    sets = out_of_fold(docs)
    scorer = fit_scorer(sets, settings.scorer_c)
    scorer.mix = (1.0, settings.mix)
    if settings.blend:
        scorer.trees = fit_trees(sets, settings.scorer_c)
        scorer.trees.blend = settings.blend
    scorer.threshold = threshold_for_share(scorer, sets, settings.train_share)
    log(f"threshold {scorer.threshold:.4f} chooses the share {settings.train_share:.4f} of the training characters")
    return TechniqueModel(fit_tagger(docs), scorer, classifier)


def figures(model: TechniqueModel, docs: list[Prepared], name: str) -> dict[str, float]:
    """SI P/R/F1 and TC micro-F1 of ``model`` on ``docs`` (logged, and returned for the model's header)."""
    pred = [(d.id, s, e) for d in docs for s, e, _ in model.spans(d.art, d.encoding)]
    si = si_scores(pred, [(d.id, s, e) for d in docs for s, e in d.si])
    tc = tc_f1(model.classifier, docs)
    log(f"{name}: SI P={si.precision:.4f} R={si.recall:.4f} F1={si.f1:.4f}; TC micro-F1={tc:.4f}")
    return {"dev_si_f1": round(si.f1, 4), "dev_tc_f1": round(tc, 4)}


def encoder_outputs(fit: list[Prepared], rest: list[Prepared], delta: Path, cache: Path | None,
                    precision: str) -> list[tuple[Encoding, np.ndarray]]:
    """For each ``fit`` then ``rest`` article, the token encoder's reading of it and its mean hidden state over
    each of its TC spans. The ``fit`` articles are read out of fold (``FOLDS`` folds, the same as the
    scorer's; hidden states kept as float16); the rest by the encoder fine-tuned on all of ``fit``, which
    is written to ``delta`` and read back as the layer runs it. Every reading runs the encoder in ``precision``
    (:func:`~newsift.techniques.encoder.for_inference`). With ``cache`` (a folder), the outputs and a copy of
    the delta are kept there between runs, under a name made of the two lists of articles, the fine-tuning's
    settings and the precision."""
    names = [d.id for d in fit] + ["|"] + [d.id for d in rest]
    names += ["|", precision, *tune_encoder.SETTINGS.values()]
    key = hashlib.sha256(" ".join(names).encode()).hexdigest()[:12]
    kept = cache / f"encoder-{key}.pkl" if cache else None
    if kept and kept.with_suffix(".safetensors").exists():
        outputs = pickle.loads(kept.read_bytes())
        if not isinstance(outputs, list) or not isinstance(outputs[0][0], Encoding):
            raise SystemExit(f"{kept} was written by an older version of this script: delete it")
        shutil.copyfile(kept.with_suffix(".safetensors"), delta)
        log(f"encoder outputs and delta from {kept}")
        return outputs
    oof: list[Encoding | None] = [None] * len(fit)
    for fold in range(FOLDS):
        model = tune_encoder.fine_tune([(d.art, d.si) for k, d in enumerate(fit) if k % FOLDS != fold], log)
        held = [k for k in range(len(fit)) if k % FOLDS == fold]
        for k, encoding in zip(held, tune_encoder.encodings_of(model, [fit[k].art for k in held], precision),
                               strict=True):
            oof[k] = Encoding(encoding.token_logits, encoding.hidden.astype(np.float16), encoding.offsets)
        log(f"encoder out-of-fold readings, fold {fold + 1}/{FOLDS}")
    model = tune_encoder.fine_tune([(d.art, d.si) for d in fit], log)
    tune_encoder.save_delta(model, delta, {"split_seed": str(SPLIT_SEED), **tune_encoder.SETTINGS})
    log(f"wrote {delta} ({delta.stat().st_size / 1e6:.1f} MB)")
    # the shipped (float16) weights as `newsift eval ptc` will run them
    shipped = tune_encoder.encodings_of(read_token_encoder(delta), [d.art for d in fit + rest], precision)
    outputs = [(oof[k] if k < len(fit) else encoding, tc_means(d, encoding))
               for k, (d, encoding) in enumerate(zip(fit + rest, shipped, strict=True))]
    if kept:
        cache.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(pickle.dumps(outputs))
        shutil.copyfile(delta, kept.with_suffix(".safetensors"))
    return outputs


def read_encodings(fit: list[Prepared], rest: list[Prepared], delta: Path, args: argparse.Namespace) -> None:
    """Give every article its reading by the encoder fine-tuned on ``fit`` (:func:`encoder_outputs`)."""
    outputs = encoder_outputs(fit, rest, delta, args.encoder_cache, args.readings)
    for d, (encoding, means) in zip(fit + rest, outputs, strict=True):
        d.read_encoding(encoding, means)


def tc_means(doc: Prepared, encoding: Encoding) -> np.ndarray:
    """The encoder's mean hidden state over each of the article's TC spans."""
    return encoding.span_means([(s, e) for s, e, _ in doc.tc])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ptc-semeval2020"))
    ap.add_argument("--out", type=Path, default=MODEL_PATH, help="the shipped model (its encoder delta beside it)")
    ap.add_argument("--dev-out", type=Path, help="also write the `train` fit, whose dev figures are held out, here "
                                                  "(a folder, for `newsift eval ptc --model`)")
    ap.add_argument("--fit", choices=["all", "train"], default="all",
                    help="ship the models refitted on train and dev with the settings chosen on dev (all), or "
                         "the train fit")
    ap.add_argument("--rehearse", action="store_true",
                    help="measure the refit one level down instead: tune on 3/4 of train against its last "
                         "quarter, refit on all of train, score both fits on dev; writes nothing")
    ap.add_argument("--scorer-c", type=float, nargs="+", default=[0.003, 0.01, 0.03])
    ap.add_argument("--classifier-c", type=float, nargs="+", default=[1.0])
    ap.add_argument("--cache", type=Path, help="keep parses in this file between runs")
    ap.add_argument("--encoder-cache", type=Path,
                    help="keep the encoder's outputs and deltas in this folder between runs")
    ap.add_argument("--readings", choices=["int8", "bfloat16", "float32"], default="int8",
                    help="the precision the encoder runs in for the readings the rest is fitted on (int8, the "
                         "noisiest of the layer's, by default: a model fitted on them loses nothing read in "
                         "bfloat16 or float32, whereas the reverse costs SI)")
    ap.add_argument("--limit", type=int, default=0, help="use only N articles of each split (smoke runs)")
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)  # before the run, not after it

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
    with tempfile.TemporaryDirectory() as scratch:
        if args.rehearse:
            rehearse(train, dev, args, Path(scratch) / DELTA_PATH.name)
            return
        held_out = args.dev_out or Path(scratch)
        held_out.mkdir(parents=True, exist_ok=True)
        read_encodings(train, dev, held_out / DELTA_PATH.name, args)
        model, settings = tune(train, dev, args)
        meta = {"split_seed": SPLIT_SEED, **figures(model, dev, "final dev"), "settings": asdict(settings),
                "readings": args.readings}
        if args.dev_out:
            model.save(held_out / MODEL_PATH.name, {**meta, "fitted_on": "train"})
            log(f"wrote the train fit to {held_out}")
        delta = args.out.with_name(DELTA_PATH.name)
        if args.fit == "train" and delta.resolve() != (held_out / DELTA_PATH.name).resolve():
            shutil.copyfile(held_out / DELTA_PATH.name, delta)
    if args.fit == "all":
        read_encodings(train + dev, [], delta, args)
        model = fit(train + dev, settings)
        log(f"refitted on train and dev ({len(train) + len(dev)} articles) with {settings}")
    model.save(args.out, {**meta, "fitted_on": "train+dev" if args.fit == "all" else "train"})
    log(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


def rehearse(train: list[Prepared], dev: list[Prepared], args: argparse.Namespace, delta: Path) -> None:
    """What the refit brings, one level down: the settings tuned on the last quarter of ``train`` for the
    models fitted on the rest; those models and the ones refitted with the same settings on all of ``train``
    scored on ``dev``, which neither has seen; the refit also at the tuned threshold itself, against the
    threshold :func:`fit` takes by the share of characters chosen."""
    cut = len(train) * 3 // 4
    read_encodings(train[:cut], train[cut:] + dev, delta, args)
    model, settings = tune(train[:cut], train[cut:], args)
    figures(model, dev, f"rehearsal, fitted on {cut} train articles, dev")
    read_encodings(train, dev, delta, args)
    refit = fit(train, settings)
    figures(refit, dev, f"rehearsal, refitted on {len(train)} train articles with {settings}, dev")
    refit.scorer.threshold = settings.threshold
    figures(refit, dev, f"rehearsal, the same at the tuned threshold {settings.threshold:.4f} (not by share), dev")


if __name__ == "__main__":
    main()

"""The linear models of the techniques layer and how they are stored.

* :class:`SpanTagger` gives each token ``p(t) = sigmoid(a·h_t + b)``: the logit ``h`` of the fine-tuned
  token encoder (``newsift.techniques.encoder``), Platt-scaled; its :class:`SentenceGate` (does the
  sentence hold a technique span?) is one of the span scorer's inputs.
* :class:`SpanScorer` rates the candidate spans read off those probabilities and the parse
  (``newsift.techniques.spans``) and picks the spans; its :class:`TreeCorrection` (boosted trees stacked on
  its logistic regressions) refines the ratings.
* :class:`TechniqueClassifier` gives each span a softmax over the 14 techniques,
  ``p(c | span) ∝ exp(b_c + W_c·x_span + D_c·v_span)`` (multinomial logistic regression over hashed span
  features ``x`` and the dense vector ``v`` of :func:`span_vectors`, which ends with the token encoder's
  mean hidden state over the span).

The hashed weights are stored as float16, the dense ones as float32, the trees' thresholds and values as
float64, in one compressed ``.npz`` with a JSON header.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newsift.techniques.encoder import WIDTH as ENCODER_WIDTH
from newsift.techniques.encoder import Encoding, load_token_encoder
from newsift.techniques.features import (
    VECTOR_WIDTH,
    ArticleTokens,
    hashed,
    neighbour_features,
    sentence_vectors,
    span_features,
    span_sentence,
    span_vector,
)
from newsift.techniques.spans import CANDIDATE_BITS, N_NUMERIC, Candidate, candidate_features, candidates
from newsift.techniques.trees import BoostedTrees
from newsift.techniques.wordpieces import WIDTH as WORDPIECE_WIDTH
from newsift.techniques.wordpieces import mean_embeddings, piece_means

SPAN_BITS = 18
FORMAT = 4  # 2: the tagger reads the token encoder's logits; 3: the scorer and the classifier its hidden states;
# 4: boosted trees in the scorer
STATIC_WIDTH = 5 * VECTOR_WIDTH + 2 * WORDPIECE_WIDTH
DENSE_WIDTH = STATIC_WIDTH + ENCODER_WIDTH


def flatten(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Ragged index lists as one index array and the start of each row (CSR layout)."""
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    idx = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(ptr[-1]))
    return idx, ptr


def row_sums(weights: np.ndarray, rows: list[list[int]]) -> np.ndarray:
    """``Σ_{i in row} weights[..., i]`` for every row (weights may have a leading class axis)."""
    idx, ptr = flatten(rows)
    out = np.zeros(weights.shape[:-1] + (len(rows),), dtype=np.float64)
    if len(idx):
        gathered = weights[..., idx].astype(np.float64)
        cum = np.concatenate([np.zeros(weights.shape[:-1] + (1,)), np.cumsum(gathered, axis=-1)], axis=-1)
        out = cum[..., ptr[1:]] - cum[..., ptr[:-1]]
    return out


def span_rows(art: ArticleTokens, spans: list[tuple[int, int]]) -> list[list[int]]:
    """Features of each span of a list: its own and how it sits among the others."""
    return [hashed(span_features(art, s, e) + neighbour_features(spans, k), SPAN_BITS)
            for k, (s, e) in enumerate(spans)]


@dataclass
class SentenceGate:
    """Does a sentence hold a technique span? ``g(sentence) = b + w·v_sentence - offset``, a logistic
    regression over :func:`~newsift.techniques.features.sentence_vectors`, centred by ``offset`` (its mean
    over the training tokens)."""

    weights: np.ndarray  # (sentence vector width,)
    bias: float
    offset: float

    def token_logits(self, art: ArticleTokens) -> np.ndarray:
        """Each token's sentence logit ``g``."""
        if not art.tokens:
            return np.zeros(0)
        g = sentence_vectors(art) @ self.weights + (self.bias - self.offset)
        return g[np.asarray(art.sentence)]


@dataclass
class SpanTagger:
    """Token probabilities ``p(t) = sigmoid(scale · h_t + bias)`` from the token encoder's logits ``h``."""

    scale: float
    bias: float
    gate: SentenceGate

    def token_probs(self, encoder_logits: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.scale * encoder_logits + self.bias)))

    def candidates(
        self, art: ArticleTokens, encoding: Encoding | None = None
    ) -> tuple[list[Candidate], list[list[int]], np.ndarray]:
        """The article's candidate spans read off the token probabilities, their hashed rows and their numbers:
        the ``N_NUMERIC`` of :func:`~newsift.techniques.spans.candidate_features`, then the token encoder's
        mean hidden state over the candidate (``ENCODER_WIDTH``). ``encoding``: the token encoder's reading of
        the article, by default by the packaged encoder."""
        if encoding is None:
            encoding = load_token_encoder().encode(art)
        probs = self.token_probs(encoding.token_logits)
        cands = candidates(art, probs)
        rows, numbers = candidate_features(art, probs, self.gate.token_logits(art), cands)
        states = encoding.span_means([(art.starts[c.i], art.ends[c.j - 1]) for c in cands])
        return cands, rows, np.hstack([numbers, states])


def tree_inputs(numbers: np.ndarray, logits: np.ndarray, state_mean: np.ndarray,
                components: np.ndarray) -> np.ndarray:
    """``(candidates, N_NUMERIC + components + 2)``: the inputs of :class:`TreeCorrection`'s trees."""
    states = (numbers[:, N_NUMERIC:] - state_mean) @ components.T
    return np.hstack([numbers[:, :N_NUMERIC], states, logits.T])


@dataclass
class TreeCorrection:
    """Boosted regression trees (:class:`~newsift.techniques.trees.BoostedTrees`) that estimate ``q_c`` and
    ``q_r`` again from a candidate's ``N_NUMERIC`` numbers, the first principal components of its encoder
    state (``(state - state_mean) @ components.T``) and the linear scorer's two logits ``z``; the estimates
    are ``(1 - blend)·sigmoid(z) + blend·clip(f(x), 0, 1)`` (the trees stacked on the linear scorer, which
    they learn from as it scores candidates it was not fitted on)."""

    coverage: BoostedTrees
    recall: BoostedTrees
    state_mean: np.ndarray  # (ENCODER_WIDTH,)
    components: np.ndarray  # (components, ENCODER_WIDTH)
    blend: float = 1.0

    def blended(self, linear: np.ndarray, logits: np.ndarray, numbers: np.ndarray) -> np.ndarray:
        x = tree_inputs(numbers, logits, self.state_mean, self.components)
        trees = np.clip([self.coverage.predict(x), self.recall.predict(x)], 0.0, 1.0)
        return (1.0 - self.blend) * linear + self.blend * trees

    def arrays(self) -> dict[str, np.ndarray]:
        """The trees and their inputs' projection as named arrays (for ``np.savez``); :meth:`from_arrays` reads
        them back."""
        return {**self.coverage.arrays("coverage"), **self.recall.arrays("recall"),
                "trees_state_mean": self.state_mean.astype(np.float32),
                "trees_components": self.components.astype(np.float32),
                "trees_blend": np.array(self.blend)}

    @classmethod
    def from_arrays(cls, arrays) -> TreeCorrection | None:
        """The trees saved by :meth:`arrays`, or ``None`` when ``arrays`` holds none."""
        if "trees_blend" not in arrays:
            return None
        return cls(BoostedTrees.from_arrays(arrays, "coverage"), BoostedTrees.from_arrays(arrays, "recall"),
                   arrays["trees_state_mean"], arrays["trees_components"], float(arrays["trees_blend"]))


@dataclass
class SpanScorer:
    """Rates candidate spans and picks among them.

    Two logistic regressions over the same features of a candidate (hashed ``x`` and numbers ``v`` of
    :meth:`SpanTagger.candidates`: those of :func:`~newsift.techniques.spans.candidate_features` and the token
    encoder's mean hidden state over the candidate) estimate ``q_c``, the share of its characters inside
    technique spans, and ``q_r``, how much of the spans it overlaps it covers (``Σ_t |s ∩ t| / |t|``, capped
    at 1); its score is ``q = (a·q_c + b·q_r) / (a + b)`` with ``(a, b) = mix``, weighing the span's
    precision and recall terms in the SI F1 (with ``trees``, the estimates are blended with boosted trees'
    first: :class:`TreeCorrection`). In each sentence the candidates with ``q >= threshold`` are taken best
    first, skipping any that overlaps one already taken.
    """

    weights: np.ndarray  # (2, 2**CANDIDATE_BITS): coverage, recall
    numeric_weights: np.ndarray  # (2, N_NUMERIC + ENCODER_WIDTH)
    bias: np.ndarray  # (2,)
    mix: tuple[float, float] = (1.0, 1.0)
    threshold: float = 0.5
    trees: TreeCorrection | None = None

    def logits(self, rows: list[list[int]], numbers: np.ndarray) -> np.ndarray:
        """``(2, candidates)``: the linear logits of ``q_c`` and ``q_r``."""
        return row_sums(self.weights, rows) + (numbers @ self.numeric_weights.T).T + self.bias[:, None]

    def estimates(self, rows: list[list[int]], numbers: np.ndarray) -> np.ndarray:
        """``(2, candidates)``: ``q_c`` and ``q_r`` of each candidate from its features."""
        z = self.logits(rows, numbers)
        q = 1.0 / (1.0 + np.exp(-z))
        return q if self.trees is None else self.trees.blended(q, z, numbers)

    def scores(self, estimates: np.ndarray) -> np.ndarray:
        a, b = self.mix
        return (a * estimates[0] + b * estimates[1]) / (a + b)

    def choose(self, art: ArticleTokens, cands: list[Candidate], q: np.ndarray) -> list[tuple[int, int, float]]:
        """Spans ``(start, end, q)`` in text order (see the class docstring)."""
        taken: dict[int, list[tuple[int, int]]] = {}
        out = []
        for n in np.argsort(-q, kind="stable"):
            c = cands[n]
            if q[n] < self.threshold:
                break
            chosen = taken.setdefault(c.sentence, [])
            if any(c.i < j and i < c.j for i, j in chosen):
                continue
            chosen.append((c.i, c.j))
            out.append((art.starts[c.i], art.ends[c.j - 1], float(q[n])))
        return sorted(out)


def static_span_vectors(art: ArticleTokens, spans: list[tuple[int, int]]) -> np.ndarray:
    """``(len(spans), STATIC_WIDTH)``: the tok2vec summary of :func:`~newsift.techniques.features.span_vector`,
    then the mean MiniLM word-piece embeddings of the span's text and of its sentence's."""
    if not spans:
        return np.zeros((0, STATIC_WIDTH), np.float32)
    tok2vec = np.asarray([span_vector(art, s, e) for s, e in spans], dtype=np.float32)
    sentences = [span_sentence(art, s, e) if art.tokens else (0, 0) for s, e in spans]
    distinct = sorted(set(sentences))
    sentence_rows = piece_means([art.sentence_pieces[art.sentence[s0]].ids if s1 > s0 else []
                                 for s0, s1 in distinct])
    row_of = {sentence: k for k, sentence in enumerate(distinct)}
    return np.hstack([tok2vec, mean_embeddings([art.text[s:e] for s, e in spans]),
                      sentence_rows[[row_of[sentence] for sentence in sentences]]])


def span_vectors(art: ArticleTokens, spans: list[tuple[int, int]], encoding: Encoding) -> np.ndarray:
    """``(len(spans), DENSE_WIDTH)`` dense features of the spans: :func:`static_span_vectors`, then the token
    encoder's mean hidden state over each span (:meth:`~newsift.techniques.encoder.Encoding.span_means`)."""
    return np.hstack([static_span_vectors(art, spans), encoding.span_means(spans)])


@dataclass
class TechniqueClassifier:
    weights: np.ndarray  # (classes, 2**SPAN_BITS)
    bias: np.ndarray  # (classes,)
    labels: list[str]
    dense_weights: np.ndarray  # (classes, span vector width)

    def probabilities(self, rows: list[list[int]], vectors: np.ndarray) -> np.ndarray:
        """``(spans, classes)`` softmax probabilities from the spans' hashed rows (:func:`span_rows`) and dense
        vectors (:func:`span_vectors`)."""
        if not rows:
            return np.zeros((0, len(self.labels)))
        z = row_sums(self.weights, rows).T + self.bias + vectors @ self.dense_weights.T
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def assign(self, spans: list[tuple[int, int]], rows: list[list[int]],
               vectors: np.ndarray) -> list[tuple[str, float]]:
        """A technique and its probability for each span (features as for :meth:`probabilities`). A span
        listed k times gets its k most probable techniques (the corpus labels one stretch with several
        techniques by listing it again)."""
        probs = self.probabilities(rows, vectors)
        seen: dict[tuple[int, int], int] = {}
        out = []
        for row, span in zip(probs, spans, strict=True):
            rank = seen.get(span, 0)
            seen[span] = rank + 1
            c = int(np.argsort(-row)[min(rank, len(self.labels) - 1)])
            out.append((self.labels[c], float(row[c])))
        return out


@dataclass
class TechniqueModel:
    tagger: SpanTagger
    scorer: SpanScorer
    classifier: TechniqueClassifier
    # as saved with the model: its dev figures and the articles it was fitted on (``fitted_on``: ``train`` or
    # ``train+dev``, the splits of ``newsift.techniques.corpus.Corpus.split``)
    meta: dict = field(default_factory=dict)

    def candidates(self, art: ArticleTokens,
                   encoding: Encoding | None = None) -> tuple[list[Candidate], np.ndarray]:
        """The article's candidate spans and their :meth:`SpanScorer.estimates` (``encoding``: see
        :meth:`SpanTagger.candidates`)."""
        if not art.tokens:
            return [], np.zeros((2, 0))
        cands, features, numbers = self.tagger.candidates(art, encoding)
        return cands, self.scorer.estimates(features, numbers)

    def spans(self, art: ArticleTokens, encoding: Encoding | None = None) -> list[tuple[int, int, float]]:
        """Technique spans ``(start, end, score)`` of an article; ``score`` is the scorer's ``q``."""
        cands, estimates = self.candidates(art, encoding)
        return self.scorer.choose(art, cands, self.scorer.scores(estimates))

    def techniques(self, art: ArticleTokens, spans: list[tuple[int, int]],
                   encoding: Encoding) -> list[tuple[str, float]]:
        """The technique of each span and its probability (:meth:`TechniqueClassifier.assign`); ``encoding``:
        the token encoder's reading of the article."""
        return self.classifier.assign(spans, span_rows(art, spans), span_vectors(art, spans, encoding))

    def save(self, path: Path, meta: dict | None = None) -> None:
        header = {  # ``meta`` first, so a stale copy of a loaded header cannot override the model's own values
            **(meta or {}),
            "scorer_mix": list(self.scorer.mix),
            "scorer_threshold": self.scorer.threshold,
            "tagger_scale": self.tagger.scale,
            "tagger_bias": self.tagger.bias,
            "gate_bias": self.tagger.gate.bias,
            "gate_offset": self.tagger.gate.offset,
            "labels": self.classifier.labels,
            "format": FORMAT,
            "span_bits": SPAN_BITS,
            "candidate_bits": CANDIDATE_BITS,
        }
        np.savez_compressed(
            path,
            header=np.array(json.dumps(header)),
            gate=self.tagger.gate.weights.astype(np.float32),
            scorer=self.scorer.weights.astype(np.float16),
            scorer_numeric=self.scorer.numeric_weights.astype(np.float32),
            scorer_bias=self.scorer.bias.astype(np.float32),
            classifier=self.classifier.weights.astype(np.float16),
            classifier_bias=self.classifier.bias.astype(np.float32),
            classifier_dense=self.classifier.dense_weights.astype(np.float32),
            **(self.scorer.trees.arrays() if self.scorer.trees else {}),
        )

    @classmethod
    def load(cls, path: Path) -> TechniqueModel:
        with np.load(path) as z:
            header = json.loads(str(z["header"]))
            layout = (header.get("format"), header["span_bits"], header.get("candidate_bits"))
            if layout != (FORMAT, SPAN_BITS, CANDIDATE_BITS):
                raise ValueError(f"{path}: made for another version of newsift (format or feature sizes differ)")
            gate = SentenceGate(z["gate"], float(header["gate_bias"]), float(header["gate_offset"]))
            tagger = SpanTagger(float(header["tagger_scale"]), float(header["tagger_bias"]), gate)
            scorer = SpanScorer(z["scorer"].astype(np.float32), z["scorer_numeric"], z["scorer_bias"],
                                tuple(header["scorer_mix"]), float(header["scorer_threshold"]),
                                TreeCorrection.from_arrays(z))
            classifier = TechniqueClassifier(z["classifier"].astype(np.float32), z["classifier_bias"],
                                             list(header["labels"]), z["classifier_dense"])
        return cls(tagger, scorer, classifier, header)

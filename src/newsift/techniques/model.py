"""The two linear models of the techniques layer and how they are stored.

* :class:`SpanTagger` scores each token ``p(t) = sigmoid(b + w·x_token + w·x_sentence)`` (logistic
  regression over hashed token and sentence features) and reads spans off the tokens with
  ``p >= threshold``, bridging gaps of at most ``max_gap`` tokens inside a sentence; a span's score is
  the mean ``p`` of its tokens.
* :class:`TechniqueClassifier` gives each span a softmax over the 14 techniques,
  ``p(c | span) ∝ exp(b_c + W_c·x_span)`` (multinomial logistic regression over hashed span features).

Both are stored as float16 weight vectors in one compressed ``.npz`` with a JSON header.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsift.techniques.features import (
    ArticleTokens,
    hashed,
    sentence_features,
    span_features,
    token_features,
)

TOKEN_BITS = 20
SPAN_BITS = 18

Candidate = tuple[int, int, float, float]  # start, end, mean token probability, threshold level


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


@dataclass
class TokenRows:
    """Hashed features of an article's tokens: local rows and one row per sentence."""

    local: list[list[int]]
    sentence: list[list[int]]

    @classmethod
    def of(cls, art: ArticleTokens) -> TokenRows:
        return cls(
            local=[hashed(token_features(art, i), TOKEN_BITS) for i in range(len(art.tokens))],
            sentence=[hashed(sentence_features(art, k), TOKEN_BITS) for k in range(len(art.sentences))],
        )


def span_rows(art: ArticleTokens, spans: list[tuple[int, int]]) -> list[list[int]]:
    return [hashed(span_features(art, s, e), SPAN_BITS) for s, e in spans]


@dataclass
class SpanTagger:
    weights: np.ndarray
    bias: float
    threshold: float = 0.5
    max_gap: int = 1

    def token_probs(self, art: ArticleTokens, rows: TokenRows | None = None) -> np.ndarray:
        if not art.tokens:
            return np.zeros(0)
        rows = rows or TokenRows.of(art)
        sentence_score = row_sums(self.weights, rows.sentence)
        z = self.bias + row_sums(self.weights, rows.local) + sentence_score[np.asarray(art.sentence)]
        return 1.0 / (1.0 + np.exp(-z))

    def decode(self, art: ArticleTokens, probs: np.ndarray) -> list[tuple[int, int, float]]:
        """Spans ``(start, end, score)`` from token probabilities (see the module docstring)."""
        spans = []
        for s0, s1 in art.sentences:
            run: list[int] = []
            for i in range(s0, s1):
                if probs[i] < self.threshold:
                    continue
                if run and i - run[-1] - 1 > self.max_gap:
                    spans.append(self._span(art, probs, run))
                    run = []
                run.append(i)
            if run:
                spans.append(self._span(art, probs, run))
        return [s for s in spans if s is not None]

    @staticmethod
    def _span(art: ArticleTokens, probs: np.ndarray, run: list[int]) -> tuple[int, int, float] | None:
        i, j = run[0], run[-1] + 1
        while i < j and art.tokens[i].is_punct:
            i += 1
        while j > i and art.tokens[j - 1].is_punct:
            j -= 1
        if i == j:
            return None
        return art.starts[i], art.ends[j - 1], float(np.mean(probs[i:j]))


CANDIDATE_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)


def candidates(tagger: SpanTagger, art: ArticleTokens, probs: np.ndarray) -> list[Candidate]:
    """Candidate spans ``(start, end, mean p, level)``: the tagger's spans at each threshold of
    :data:`CANDIDATE_THRESHOLDS` (coarse to fine), without duplicates."""
    seen: dict[tuple[int, int], Candidate] = {}
    for level in CANDIDATE_THRESHOLDS:
        for s, e, p in SpanTagger(tagger.weights, tagger.bias, level, tagger.max_gap).decode(art, probs):
            seen.setdefault((s, e), (s, e, p, level))
    return list(seen.values())


def candidate_rows(art: ArticleTokens, cands: list[Candidate]) -> list[list[int]]:
    """Span features of each candidate plus its tagger probability (in tenths) and threshold level."""
    rows = []
    for s, e, p, level in cands:
        i, j = art.token_range(s, e)
        extra = [f"pm={int(p * 10)}", f"lvl={level}", f"pm|n={int(p * 10)}|{min(j - i, 12)}"]
        rows.append(hashed(span_features(art, s, e) + extra, SPAN_BITS))
    return rows


@dataclass
class SpanSelector:
    """Keeps candidates with ``q = sigmoid(b + v·x_candidate) >= threshold``, greedily by ``q`` and never
    overlapping one already kept; ``q`` estimates that most of the candidate is inside a gold span."""

    weights: np.ndarray
    bias: float
    threshold: float = 0.5

    def scores(self, art: ArticleTokens, cands: list[Candidate]) -> np.ndarray:
        if not cands:
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(self.bias + row_sums(self.weights, candidate_rows(art, cands)))))

    def select(self, cands: list[Candidate], q: np.ndarray) -> list[tuple[int, int, float]]:
        kept: list[tuple[int, int, float]] = []
        for k in np.argsort(-q, kind="stable"):
            s, e = cands[k][0], cands[k][1]
            if q[k] < self.threshold:
                break
            if all(e <= ks or s >= ke for ks, ke, _ in kept):
                kept.append((s, e, float(q[k])))
        return sorted(kept)


@dataclass
class TechniqueClassifier:
    weights: np.ndarray  # (classes, 2**SPAN_BITS)
    bias: np.ndarray  # (classes,)
    labels: list[str]

    def probabilities(self, art: ArticleTokens, spans: list[tuple[int, int]]) -> np.ndarray:
        """``(len(spans), classes)`` softmax probabilities."""
        if not spans:
            return np.zeros((0, len(self.labels)))
        z = row_sums(self.weights, span_rows(art, spans)).T + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def assign(self, art: ArticleTokens, spans: list[tuple[int, int]]) -> list[tuple[str, float]]:
        """A technique and its probability for each span. A span listed k times gets its k most probable
        techniques (the corpus labels one stretch with several techniques by listing it again)."""
        probs = self.probabilities(art, spans)
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
    selector: SpanSelector
    classifier: TechniqueClassifier

    def spans(self, art: ArticleTokens) -> list[tuple[int, int, float]]:
        """Technique spans ``(start, end, score)`` of an article."""
        cands = candidates(self.tagger, art, self.tagger.token_probs(art))
        return self.selector.select(cands, self.selector.scores(art, cands))

    def save(self, path: Path, meta: dict | None = None) -> None:
        header = {
            "threshold": self.tagger.threshold,
            "max_gap": self.tagger.max_gap,
            "tagger_bias": self.tagger.bias,
            "selector_bias": self.selector.bias,
            "selector_threshold": self.selector.threshold,
            "labels": self.classifier.labels,
            "token_bits": TOKEN_BITS,
            "span_bits": SPAN_BITS,
            **(meta or {}),
        }
        np.savez_compressed(
            path,
            header=np.array(json.dumps(header)),
            tagger=self.tagger.weights.astype(np.float16),
            selector=self.selector.weights.astype(np.float16),
            classifier=self.classifier.weights.astype(np.float16),
            classifier_bias=self.classifier.bias.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> TechniqueModel:
        with np.load(path) as z:
            header = json.loads(str(z["header"]))
            if header["token_bits"] != TOKEN_BITS or header["span_bits"] != SPAN_BITS:
                raise ValueError(f"{path}: feature sizes differ from this version of newsift")
            tagger = SpanTagger(z["tagger"].astype(np.float32), float(header["tagger_bias"]),
                                float(header["threshold"]), int(header["max_gap"]))
            selector = SpanSelector(z["selector"].astype(np.float32), float(header["selector_bias"]),
                                    float(header["selector_threshold"]))
            classifier = TechniqueClassifier(z["classifier"].astype(np.float32), z["classifier_bias"],
                                             list(header["labels"]))
        return cls(tagger, selector, classifier)

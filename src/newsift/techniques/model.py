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
    neighbour_features,
    sentence_features,
    span_features,
    token_features,
)

TOKEN_BITS = 20
SPAN_BITS = 18


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
    """Features of each span of a list: its own and how it sits among the others."""
    return [hashed(span_features(art, s, e) + neighbour_features(spans, k), SPAN_BITS)
            for k, (s, e) in enumerate(spans)]


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
    classifier: TechniqueClassifier

    def spans(self, art: ArticleTokens) -> list[tuple[int, int, float]]:
        """Technique spans ``(start, end, score)`` of an article."""
        return self.tagger.decode(art, self.tagger.token_probs(art))

    def save(self, path: Path, meta: dict | None = None) -> None:
        header = {
            "threshold": self.tagger.threshold,
            "max_gap": self.tagger.max_gap,
            "tagger_bias": self.tagger.bias,
            "labels": self.classifier.labels,
            "token_bits": TOKEN_BITS,
            "span_bits": SPAN_BITS,
            **(meta or {}),
        }
        np.savez_compressed(
            path,
            header=np.array(json.dumps(header)),
            tagger=self.tagger.weights.astype(np.float16),
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
            classifier = TechniqueClassifier(z["classifier"].astype(np.float32), z["classifier_bias"],
                                             list(header["labels"]))
        return cls(tagger, classifier)

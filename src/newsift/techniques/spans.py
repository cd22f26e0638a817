"""Candidate spans read off the tagger's token probabilities and the parse, and their features for the
span scorer (``newsift.techniques.model.SpanScorer``).

Candidates of a sentence (only sentences whose likeliest token has ``p >= SENTENCE_FLOOR``): the runs of
tokens over each threshold and gap of ``RUN_SETTINGS``, each run widened to the dependency subtrees of its
roots and to the clause (the subtree of the nearest verb above its first root), and the whole sentence;
edge punctuation trimmed, duplicates kept once with every way they were made. Features
(:func:`candidate_features`): hashed strings (how it was made, length, binned tagger probabilities, edge
words, tags and dependencies, its words) and ``N_NUMERIC`` numbers (the tagger's probabilities inside,
just around and across the sentence, the sentence gate's logit, length and position in the sentence).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from newsift.techniques.features import ArticleTokens, count_bin, hashed

CANDIDATE_BITS = 18
SENTENCE_FLOOR = 0.1
RUN_SETTINGS = ((0.2, 0), (0.3, 0), (0.3, 3), (0.3, 20), (0.4, 2), (0.5, 0), (0.5, 6))
_VERBS = {"VERB", "AUX"}
N_NUMERIC = 16


def runs(probs: np.ndarray, s0: int, s1: int, threshold: float, max_gap: int) -> list[tuple[int, int]]:
    """Token ranges ``[i, j)`` of the runs of tokens with ``p >= threshold`` in ``[s0, s1)``, bridging
    gaps of at most ``max_gap`` tokens."""
    out = []
    first = last = -1
    for i in range(s0, s1):
        if probs[i] < threshold:
            continue
        if first >= 0 and i - last - 1 > max_gap:
            out.append((first, last + 1))
            first = -1
        if first < 0:
            first = i
        last = i
    if first >= 0:
        out.append((first, last + 1))
    return out


def trim(art: ArticleTokens, i: int, j: int) -> tuple[int, int] | None:
    """``[i, j)`` without punctuation at either edge (None when nothing is left)."""
    while i < j and art.tokens[i].is_punct:
        i += 1
    while j > i and art.tokens[j - 1].is_punct:
        j -= 1
    return (i, j) if i < j else None


def _subtree(art: ArticleTokens, k: int, s0: int, s1: int) -> tuple[int, int]:
    """Token range of the dependency subtree of token ``k``, clipped to its sentence ``[s0, s1)``."""
    tok = art.tokens[k]
    offset = art.starts[k] - tok.idx
    left, right = tok.left_edge, tok.right_edge
    i = bisect.bisect_left(art.starts, offset + left.idx)
    j = bisect.bisect_left(art.ends, offset + right.idx + len(right.text)) + 1
    return max(s0, min(i, k)), min(s1, max(j, k + 1))


def _roots(art: ArticleTokens, i: int, j: int) -> list[int]:
    """Tokens of ``[i, j)`` whose head lies outside it (or who are their own head)."""
    out = []
    for k in range(i, j):
        tok = art.tokens[k]
        head = k + tok.head.i - tok.i
        if head == k or not i <= head < j:
            out.append(k)
    return out


def _widened(art: ArticleTokens, i: int, j: int, s0: int, s1: int) -> list[tuple[str, int, int]]:
    """The run ``[i, j)`` widened to its roots' subtrees and to the clause of its first root."""
    roots = _roots(art, i, j)
    ranges = [_subtree(art, k, s0, s1) for k in roots]
    out = [("tree", min(i, *(a for a, _ in ranges)), max(j, *(b for _, b in ranges)))]
    k = roots[0]
    for _ in range(20):
        tok = art.tokens[k]
        if tok.pos_ in _VERBS or tok.head.i == tok.i:
            break
        head = k + tok.head.i - tok.i
        if not s0 <= head < s1:
            break
        k = head
    a, b = _subtree(art, k, s0, s1)
    out.append(("clause", min(i, a), max(j, b)))
    return out


@dataclass(frozen=True)
class Candidate:
    """A candidate span: token range ``[i, j)`` in sentence ``sentence``, how it was made (``kinds``)."""

    i: int
    j: int
    sentence: int
    kinds: tuple[str, ...]


def candidates(art: ArticleTokens, probs: np.ndarray) -> list[Candidate]:
    """Candidate spans of every sentence that holds a token with ``p >= SENTENCE_FLOOR``."""
    out = []
    for k, (s0, s1) in enumerate(art.sentences):
        if probs[s0:s1].max() < SENTENCE_FLOOR:
            continue
        found: dict[tuple[int, int], set[str]] = {}
        raw = [("sentence", s0, s1)]
        for threshold, gap in RUN_SETTINGS:
            for i, j in runs(probs, s0, s1, threshold, gap):
                raw.append((f"run{threshold}/{gap}", i, j))
                raw += _widened(art, i, j, s0, s1)
        for kind, i, j in raw:
            span = trim(art, i, j)
            if span:
                found.setdefault(span, set()).add(kind)
        out += [Candidate(i, j, k, tuple(sorted(kinds))) for (i, j), kinds in sorted(found.items())]
    return out


def _bin(p: float) -> str:
    return str(min(9, int(p * 10)))


def _range_reduce(ufunc: np.ufunc, values: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(values[i[k]:j[k]])`` for every ``k`` (every range non-empty)."""
    padded = np.append(values, values[-1:])  # so that j may equal len(values)
    return ufunc.reduceat(padded, np.column_stack([i, j]).ravel())[::2]


def _range_means(values: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Mean of ``values[i[k]:j[k]]`` for every ``k`` (0 for an empty range)."""
    cum = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    n = j - i
    return np.where(n > 0, (cum[j] - cum[i]) / np.maximum(n, 1), 0.0)


def candidate_numbers(art: ArticleTokens, probs: np.ndarray, gate: np.ndarray, cands: list[Candidate]) -> np.ndarray:
    """The ``N_NUMERIC`` numbers of each candidate, in float64 (see the module docstring; ``gate``: each token's
    sentence logit)."""
    if not cands:
        return np.zeros((0, N_NUMERIC))
    i = np.fromiter((c.i for c in cands), np.int64, len(cands))
    j = np.fromiter((c.j for c in cands), np.int64, len(cands))
    bounds = np.asarray(art.sentences, np.int64)[[c.sentence for c in cands]]
    s0, s1 = bounds[:, 0], bounds[:, 1]
    logits = np.log(np.clip(probs, 1e-6, 1 - 1e-6) / np.clip(1 - probs, 1e-6, 1))
    mean, sent_mean = _range_means(probs, i, j), _range_means(probs, s0, s1)
    length = j - i
    return np.column_stack([
        mean, _range_reduce(np.maximum, probs, i, j), _range_reduce(np.minimum, probs, i, j),
        _range_means(logits, i, j), _range_means(probs >= 0.3, i, j), _range_means(probs >= 0.5, i, j),
        _range_means(probs, np.maximum(s0, i - 3), i), _range_means(probs, j, np.minimum(s1, j + 3)),
        sent_mean, _range_reduce(np.maximum, probs, s0, s1), gate[i], np.log1p(length), length / (s1 - s0),
        i == s0, j >= s1 - 1, mean - sent_mean,
    ])


def candidate_rows(art: ArticleTokens, numbers: np.ndarray, cands: list[Candidate]) -> list[list[int]]:
    """The hashed features (``CANDIDATE_BITS``) of each candidate; ``numbers``: its
    :func:`candidate_numbers`, whose probabilities some of them bin."""
    words = hashed(["w=" + t.lower_ for t in art.tokens], CANDIDATE_BITS)
    rows = []
    for c, (mean, high, low, _, _, _, left, right, *_, starts, ends, _) in zip(cands, numbers.tolist(),
                                                                              strict=True):
        s0, s1 = art.sentences[c.sentence]
        length = c.j - c.i
        first, last = art.tokens[c.i], art.tokens[c.j - 1]
        n_bin, mean_bin = count_bin(length), _bin(mean)
        feats = ["k=" + kind for kind in c.kinds]
        feats += ["n=" + n_bin, "mean=" + mean_bin + "|" + n_bin, "max=" + _bin(high) + "|" + n_bin,
                  "min=" + _bin(low), "cover=" + str(min(4, length * 4 // (s1 - s0))),
                  "edges=" + str(bool(starts)) + str(bool(ends)),
                  "lo=" + _bin(left), "ro=" + _bin(right),
                  "fp=" + first.pos_, "lp=" + last.pos_, "fd=" + first.dep_, "ld=" + last.dep_,
                  "fw=" + first.lower_, "lw=" + last.lower_, "fp|lp=" + first.pos_ + "|" + last.pos_]
        feats += ["k|mean=" + kind + "|" + mean_bin for kind in c.kinds]
        rows.append(hashed(feats, CANDIDATE_BITS) + words[c.i : c.j])
    return rows


def candidate_features(art: ArticleTokens, probs: np.ndarray, gate: np.ndarray,
                       cands: list[Candidate]) -> tuple[list[list[int]], np.ndarray]:
    """Hashed features (``CANDIDATE_BITS``) and the ``N_NUMERIC`` numbers of each candidate (``gate``: each
    token's sentence logit)."""
    numbers = candidate_numbers(art, probs, gate, cands)
    return candidate_rows(art, numbers, cands), numbers.astype(np.float32)

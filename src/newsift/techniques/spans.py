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


def candidate_features(art: ArticleTokens, probs: np.ndarray, gate: np.ndarray,
                       cands: list[Candidate]) -> tuple[list[list[int]], np.ndarray]:
    """Hashed features (``CANDIDATE_BITS``) and the ``N_NUMERIC`` numbers of each candidate (``gate``: each
    token's sentence logit)."""
    rows, numbers = [], np.zeros((len(cands), N_NUMERIC), np.float32)
    logits = np.log(np.clip(probs, 1e-6, 1 - 1e-6) / np.clip(1 - probs, 1e-6, 1))
    for n, c in enumerate(cands):
        s0, s1 = art.sentences[c.sentence]
        p, z = probs[c.i : c.j], logits[c.i : c.j]
        left, right = probs[max(s0, c.i - 3) : c.i], probs[c.j : min(s1, c.j + 3)]
        left_mean = left.mean() if len(left) else 0.0
        right_mean = right.mean() if len(right) else 0.0
        sent = probs[s0:s1]
        length = c.j - c.i
        first, last = art.tokens[c.i], art.tokens[c.j - 1]
        numbers[n] = [p.mean(), p.max(), p.min(), z.mean(), (p >= 0.3).mean(), (p >= 0.5).mean(),
                      left_mean, right_mean,
                      sent.mean(), sent.max(), gate[c.i], np.log1p(length), length / (s1 - s0),
                      float(c.i == s0), float(c.j >= s1 - 1), p.mean() - sent.mean()]
        n_bin = count_bin(length)
        feats = ["k=" + kind for kind in c.kinds]
        feats += ["n=" + n_bin, "mean=" + _bin(p.mean()) + "|" + n_bin, "max=" + _bin(p.max()) + "|" + n_bin,
                  "min=" + _bin(p.min()), "cover=" + str(min(4, length * 4 // (s1 - s0))),
                  "edges=" + str(c.i == s0) + str(c.j >= s1 - 1),
                  "lo=" + _bin(left_mean), "ro=" + _bin(right_mean),
                  "fp=" + first.pos_, "lp=" + last.pos_, "fd=" + first.dep_, "ld=" + last.dep_,
                  "fw=" + first.lower_, "lw=" + last.lower_, "fp|lp=" + first.pos_ + "|" + last.pos_]
        feats += ["k|mean=" + kind + "|" + _bin(p.mean()) for kind in c.kinds]
        feats += ["w=" + t.lower_ for t in art.tokens[c.i : c.j]]
        rows.append(hashed(feats, CANDIDATE_BITS))
    return rows, numbers

"""Okapi BM25 over an inverted index held in numpy arrays.

score(q, d) = sum over terms t of q of idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl)),
tf = tf(t, d),
idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5)).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|\bwww\.\S+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be but by for from has have he her his i if in into is it its of on or our she so"
    " that the their them they this to was we were what when which who will with you your".split()
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens without links and stop words."""
    words = _WORD.findall(_URL.sub(" ", text).lower())
    return [w for w in words if w not in STOPWORDS]


class BM25:
    """A BM25 index over a fixed list of texts."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths = np.zeros(len(texts), dtype=np.float32)
        for i, text in enumerate(texts):
            counts = Counter(tokenize(text))
            lengths[i] = sum(counts.values())
            for term, tf in counts.items():
                postings.setdefault(term, []).append((i, tf))
        self.n_docs = len(texts)
        norm = k1 * (1 - b + b * lengths / max(float(lengths.mean()) if len(texts) else 1.0, 1e-9))
        self._index: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, plist in postings.items():
            ids = np.fromiter((i for i, _ in plist), dtype=np.int32, count=len(plist))
            tf = np.fromiter((t for _, t in plist), dtype=np.float32, count=len(plist))
            df = len(plist)
            idf = np.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))
            self._index[term] = (ids, (idf * tf * (k1 + 1) / (tf + norm[ids])).astype(np.float32))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every indexed text for ``query`` (repeated query terms count once)."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term in set(tokenize(query)):
            hit = self._index.get(term)
            if hit is not None:
                out[hit[0]] += hit[1]
        return out

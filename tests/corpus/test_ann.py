from __future__ import annotations

import numpy as np

from newsift.corpus.ann import similar_pairs


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_near_neighbours_above_the_threshold_come_once_each():
    rng = np.random.default_rng(0)
    base = unit(rng.normal(size=(50, 32)))
    twins = unit(base[:10] + 0.05 * rng.normal(size=(10, 32)))  # rows 50..59 are close to rows 0..9
    vectors = np.vstack([base, twins]).astype(np.float32)
    pairs = list(similar_pairs(vectors, k=5, threshold=0.9))
    assert sorted((i, j) for i, j, _ in pairs) == [(i, 50 + i) for i in range(10)]
    assert all(abs(c - float(vectors[i] @ vectors[j])) < 1e-6 for i, j, c in pairs)


def test_no_pairs_below_the_threshold_or_without_two_vectors():
    vectors = np.eye(4, dtype=np.float32)
    assert list(similar_pairs(vectors, k=3, threshold=0.5)) == []
    assert list(similar_pairs(vectors[:1], k=3, threshold=0.0)) == []

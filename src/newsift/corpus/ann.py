"""Approximate nearest neighbours of L2-normalised vectors: a usearch HNSW index over cosine distance.

The index (``connectivity`` M = 16, f16 storage) is built over all vectors; each vector then asks for its
``k`` approximate nearest neighbours. A pair is proposed once, as (i, j) with i < j, when j is among i's
neighbours (or i among j's) and the exact cosine of the full float32 vectors, u . v, is at least
``threshold``; callers then apply their own precise check. Building costs O(N log N), searching O(N k log N),
instead of the N^2 / 2 dot products of an exact all-pairs search.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

CONNECTIVITY = 16
EXPANSION_SEARCH = 64
BATCH = 4096


def similar_pairs(
    vectors: np.ndarray, k: int, threshold: float, threads: int = 1
) -> Iterator[tuple[int, int, float]]:
    """Pairs (i, j, cosine), i < j, of rows of ``vectors`` (normalised) that are near neighbours with an exact
    cosine >= ``threshold``; each pair once."""
    n = len(vectors)
    if n < 2:
        return
    from usearch.index import Index

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index = Index(
        ndim=vectors.shape[1],
        metric="cos",
        dtype="f16",
        connectivity=CONNECTIVITY,
        expansion_search=max(EXPANSION_SEARCH, k + 1),
    )
    index.add(np.arange(n, dtype=np.uint64), vectors, threads=threads)
    seen: set[tuple[int, int]] = set()
    for start in range(0, n, BATCH):
        batch = vectors[start : start + BATCH]
        matches = index.search(batch, min(k + 1, n), threads=threads)
        for row in range(len(batch)):
            i = start + row
            for j in matches.keys[row, : matches.counts[row]].astype(np.int64):
                j = int(j)
                pair = (min(i, j), max(i, j))
                if i == j or pair in seen:
                    continue
                cosine = float(vectors[i] @ vectors[j])
                if cosine >= threshold:
                    seen.add(pair)
                    yield pair[0], pair[1], cosine

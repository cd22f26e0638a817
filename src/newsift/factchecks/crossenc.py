"""A cross-encoder for fact-check matching: all-MiniLM-L6-v2 reading a query and a checked claim together.

The pair is one input, ``[CLS] query [SEP] claim title [SEP]`` (at most :data:`MAX_LENGTH` word pieces), its
mean-pooled, normalised output goes through a linear head, and the result scores how well the claim matches
the query (higher is better; only differences between a query's candidates mean anything). The transformer
layers, the segment embeddings and the head were trained by ``training/factchecks/train_cross_encoder.py`` on
CheckThat! 2020 train queries; they ship as a float16 delta over the packaged base model
(``data/factchecks/cross-encoder.safetensors``), loaded on first use, offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import torch
from sentence_transformers import SentenceTransformer

from newsift.factchecks.embed import DIMENSIONS, apply_delta, load_base_encoder, packaged_bytes, read_delta

CROSS_DELTA = "cross-encoder.safetensors"
MAX_LENGTH = 128
BATCH_SIZE = 32


class CrossEncoder(torch.nn.Module):
    """A sentence encoder over (query, claim) pairs with a linear head on the pooled output."""

    def __init__(self, encoder: SentenceTransformer) -> None:
        super().__init__()
        encoder.max_seq_length = MAX_LENGTH
        self.encoder = encoder
        self.head = torch.nn.Linear(DIMENSIONS, 1)

    def forward(self, pairs: Sequence[tuple[str, str]]) -> torch.Tensor:
        """One score per (query, claim text) pair."""
        features = self.encoder.preprocess(list(pairs))
        return self.head(self.encoder(features)["sentence_embedding"]).squeeze(-1)

    def scores(self, query: str, texts: Sequence[str]) -> np.ndarray:
        """The scores of ``query`` paired with each of ``texts`` (float32), without gradients."""
        out = np.zeros(len(texts), dtype=np.float32)
        with torch.inference_mode():
            for i in range(0, len(texts), BATCH_SIZE):
                batch = [(query, t) for t in texts[i : i + BATCH_SIZE]]
                out[i : i + len(batch)] = self(batch).float().numpy()
        return out


@lru_cache(maxsize=1)
def load_cross_encoder() -> CrossEncoder:
    """The packaged cross-encoder (base model + delta), loaded once."""
    model = apply_delta(CrossEncoder(load_base_encoder()), read_delta(packaged_bytes(CROSS_DELTA)))
    return model.eval()


def pair_scores(query: str, texts: Sequence[str]) -> np.ndarray:
    """:meth:`CrossEncoder.scores` of the packaged cross-encoder (loaded on the first call)."""
    return load_cross_encoder().scores(query, texts)

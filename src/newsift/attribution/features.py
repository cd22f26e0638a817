"""Hashed sparse n-gram features of a sentence, shared by training and inference.

A sentence becomes a set of string features (lower-cased word 1- and 2-grams, with digits folded to ``0``;
character 3- to 5-grams of each word; a few shape flags), each hashed with CRC-32 into ``DIMS`` buckets.
The vector is binary and L2-normalised: ``x_i = 1/sqrt(n)`` for each of the ``n`` distinct buckets hit.
"""

from __future__ import annotations

import math
import re
import zlib

DIMS = 1 << 20
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[%$€£]")
_DIGIT = re.compile(r"\d")


def words(text: str) -> list[str]:
    """Lower-cased word tokens with every digit folded to ``0``."""
    return [_DIGIT.sub("0", w.lower()) for w in _WORD.findall(text)]


def feature_strings(text: str) -> set[str]:
    """The string features of one sentence (see the module docstring)."""
    toks = words(text)
    feats = {"w:" + t for t in toks}
    padded = ["<s>", *toks, "</s>"]
    feats.update(f"b:{a} {b}" for a, b in zip(padded, padded[1:], strict=False))
    for t in toks:
        w = f"<{t}>"
        for n in (3, 4, 5):
            feats.update("c:" + w[i : i + n] for i in range(len(w) - n + 1))
    feats.add(f"len:{min(len(toks) // 5, 8)}")
    if any(c.isdigit() for c in text):
        feats.add("has:digit")
    if "%" in text or "percent" in text.lower():
        feats.add("has:percent")
    return feats


def hashed(text: str) -> tuple[list[int], float]:
    """Bucket indices of the sentence's features and the value each carries (``1/sqrt(n)``)."""
    idx = sorted({zlib.crc32(f.encode("utf-8")) % DIMS for f in feature_strings(text)})
    return idx, (1.0 / math.sqrt(len(idx)) if idx else 0.0)

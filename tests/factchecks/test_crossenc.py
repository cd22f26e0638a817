from __future__ import annotations

import json

import numpy as np
import pytest
from safetensors import safe_open

from newsift.factchecks import crossenc, embed


@pytest.fixture(scope="module")
def model() -> crossenc.CrossEncoder:
    return crossenc.load_cross_encoder()


def test_packaged_cross_encoder_reproduces_the_trained_one(model):
    """The training script records the trained model's scores of probe pairs in the delta's metadata; base
    model + packaged delta must give them again (up to float16 rounding)."""
    path = embed.resources.files("newsift") / "data" / "factchecks" / crossenc.CROSS_DELTA
    with safe_open(str(path), framework="pt") as fh:
        meta, names = fh.metadata(), set(fh.keys())
    assert {"head.weight", "head.bias"} <= names and not any("word_embeddings" in n for n in names)
    query, *texts = json.loads(meta["probe"])
    expected = np.asarray(json.loads(meta["probe_scores"]), dtype=np.float32)
    assert np.allclose(model.scores(query, texts), expected, atol=0.01)
    untrained = crossenc.CrossEncoder(embed.load_base_encoder()).eval()
    assert not np.allclose(untrained.scores(query, texts), expected, atol=0.05)


def test_cross_encoder_prefers_the_matching_claim(model):
    query = "BREAKING: Bill Gates wants to put microchips in all of us with the coronavirus vaccine!!"
    claims = [
        "Drinking bleach cures the flu.",
        "Bill Gates plans to implant microchips in people through COVID-19 vaccines.",
        "The Eiffel Tower will be demolished in 2027.",
    ]
    scores = model.scores(query, claims)
    assert scores.argmax() == 1 and scores.shape == (3,) and scores.dtype == np.float32
    assert np.allclose(crossenc.pair_scores(query, claims[1:]), scores[1:], atol=1e-4)  # batch-independent

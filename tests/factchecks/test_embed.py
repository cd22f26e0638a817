from __future__ import annotations

import json

import numpy as np
import pytest

from newsift.factchecks import embed


@pytest.fixture(scope="module")
def base():
    return embed.load_base_encoder().eval()


def test_delta_round_trips_through_a_fresh_base_model(base):
    torch = pytest.importorskip("torch")
    tuned = embed.load_base_encoder().eval()
    names = [n for n, _ in tuned.named_parameters() if ".encoder.layer.5." in n]
    with torch.no_grad():
        for name, p in tuned.named_parameters():
            if name in names:
                p.add_(0.05 * torch.randn_like(p))
    delta = embed.delta_of(tuned, names)
    assert set(delta) == set(names) and all(t.dtype == torch.float16 for t in delta.values())
    rebuilt = embed.apply_delta(embed.load_base_encoder().eval(), delta)
    texts = ["Drinking bleach cures the flu.", "A shark swims on a flooded highway."]
    a, b, c = (m.encode(texts, normalize_embeddings=True) for m in (tuned, rebuilt, base))
    assert np.allclose(a, b, atol=2e-3)
    assert not np.allclose(a, c, atol=2e-3)


def test_apply_delta_rejects_foreign_parameters(base):
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="lacks"):
        embed.apply_delta(base, {"decoder.weight": torch.zeros(2)})
    name, p = next(iter(base.named_parameters()))
    with pytest.raises(ValueError, match="shape"):
        embed.apply_delta(base, {name: torch.zeros(p.shape[0] + 1)})


def test_packaged_query_encoder_reproduces_the_trained_one(base):
    """The training script records the fine-tuned encoder's vector of a probe sentence in the delta's
    metadata; base model + packaged delta must give it again (up to float16 rounding)."""
    from safetensors import safe_open
    from safetensors.torch import load

    path = embed.resources.files("newsift") / "data" / "factchecks" / embed.QUERY_DELTA
    with safe_open(str(path), framework="pt") as fh:
        meta = fh.metadata()
    assert all(".encoder.layer." in name for name in load(embed.query_delta_bytes()))
    expected = np.asarray(json.loads(meta["probe_vector"]), dtype=np.float32)
    tuned = embed.load_encoder(query=True).encode([meta["probe"]], normalize_embeddings=True)[0]
    plain = base.encode([meta["probe"]], normalize_embeddings=True)[0]
    assert float(tuned @ expected) > 0.9999
    assert float(plain @ expected) < 0.999


def test_encoders_have_separate_cache_keys():
    texts = ["Drinking bleach cures the flu."]
    assert embed.texts_key(texts, embed.encoder_name()) != embed.texts_key(texts, embed.encoder_name(query=True))


def test_repeated_texts_are_encoded_once(monkeypatch):
    calls = []

    class Counting:
        def encode(self, texts, **_):
            calls.append(list(texts))
            return np.array([[float(len(t))] * embed.DIMENSIONS for t in texts], dtype=np.float32)

    monkeypatch.setattr(embed, "load_encoder", lambda query=False: Counting())
    texts = ["Kyiv said so.", "Paris too.", "Kyiv said so.", "Kyiv said so."]
    vectors = embed.encode(texts, cache=False)
    assert calls == [["Kyiv said so.", "Paris too."]]
    assert vectors.shape == (4, embed.DIMENSIONS)
    assert [v[0] for v in vectors] == [13.0, 10.0, 13.0, 13.0]
    assert embed.encode([], cache=False).shape == (0, embed.DIMENSIONS)


def test_loading_a_model_prints_no_progress_bar_and_leaves_the_setting_as_it_was(capfd):
    from transformers.utils import logging

    shown = logging.is_progress_bar_enabled()
    embed.load_base_encoder()
    assert "Loading weights" not in capfd.readouterr().err
    assert logging.is_progress_bar_enabled() == shown

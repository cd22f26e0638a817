import numpy as np
import pytest
import torch

from newsift.errors import InputError
from newsift.factchecks.embed import read_delta
from newsift.techniques.encoder import (
    DELTA_PATH,
    FROZEN,
    LOGIT_CLIP,
    MAX_PIECES,
    NO_PIECE,
    PRECISIONS,
    WIDTH,
    Encoding,
    article_windows,
    batch_tensors,
    for_inference,
    inference_precision,
    load_token_encoder,
    packed_states,
    read_token_encoder,
    token_logits,
)
from newsift.techniques.features import ArticleTokens
from newsift.techniques.predict import parse

TEXT = ("The meeting of the committee is scheduled for Tuesday at ten.\n"
        "These corrupt, treacherous traitors are destroying our great nation!\n"
        "Minutes will be published on the website afterwards.")


def test_windows_pack_whole_sentences_and_keep_article_offsets():
    art = ArticleTokens.of(parse(TEXT))
    windows = article_windows(art)
    assert len(windows) == 1  # three short sentences fit one window
    ids, offsets = windows[0]
    assert len(ids) == len(offsets)
    assert [TEXT[a:b].lower() for a, b in offsets[:3]] == ["the", "meeting", "of"]
    assert offsets == sorted(offsets) and offsets[-1][1] == len(TEXT)


def test_a_long_line_is_cut_into_windows_within_the_limit():
    text = " ".join(["the army moved east and"] * 600)
    art = ArticleTokens.of(parse(text))
    windows = article_windows(art)
    assert len(windows) > 20
    assert all(0 < len(ids) <= MAX_PIECES - 2 for ids, _ in windows)
    assert sum(len(ids) for ids, _ in windows) == 3000


def test_padding_windows_to_the_full_length_leaves_their_reading_unchanged():
    art = ArticleTokens.of(parse(TEXT + " And then the vote was postponed."))
    windows = article_windows(art) + article_windows(ArticleTokens.of(parse("Short one.")))
    model = read_token_encoder(DELTA_PATH)  # float32
    ids, mask = batch_tensors(windows)
    full_ids, full_mask = batch_tensors(windows, MAX_PIECES)
    assert full_ids.shape == (2, MAX_PIECES) and ids.shape[1] < MAX_PIECES
    assert full_mask.sum(1).tolist() == mask.sum(1).tolist() == [len(w) + 2 for w, _ in windows]
    with torch.inference_mode():
        short, full = model(ids, mask), model(full_ids, full_mask)
    for r, (w, _) in enumerate(windows):
        np.testing.assert_allclose(full[r, : len(w) + 2].numpy(), short[r, : len(w) + 2].numpy(), atol=1e-4)


def test_packed_states_match_the_padded_model_at_the_real_pieces():
    windows = article_windows(ArticleTokens.of(parse(TEXT * 6))) + article_windows(ArticleTokens.of(parse("Short.")))
    model = read_token_encoder(DELTA_PATH)  # float32
    ids, mask = batch_tensors(windows, MAX_PIECES)
    assert len(windows) > 2 and mask.sum() < mask.numel()
    with torch.inference_mode():
        padded = model.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        packed = [packed_states(model.bert, ids, mask, rows) for rows in (1, MAX_PIECES)]
    real = mask.bool()
    for states in packed:
        np.testing.assert_allclose(states[real].numpy(), padded[real].numpy(), atol=1e-4)
        assert (states[~real] == 0).all()


def test_a_token_takes_its_largest_piece_logit():
    art = ArticleTokens.of(parse("Unbelievably bad."))
    windows = article_windows(art)
    ids, offsets = windows[0]
    logits = np.arange(len(ids), dtype=np.float32) - 1.0
    out = token_logits(art, windows, [logits])
    assert len(out) == len(art.tokens) == 3
    first_word = [k for k, (a, b) in enumerate(offsets) if b <= len("Unbelievably")]
    assert len(first_word) > 1  # the word is cut into several pieces
    assert out[0] == logits[first_word[-1]]
    assert out[-1] == logits[-1]
    big = token_logits(art, windows, [np.full(len(ids), 100.0, np.float32)])
    assert (big == LOGIT_CLIP).all()
    none = token_logits(art, [], [])
    assert (none == NO_PIECE).all()


def test_packaged_encoder_rates_loaded_words_above_a_schedule():
    art = ArticleTokens.of(parse(TEXT))
    logits = load_token_encoder().token_logits(art)
    assert logits.shape == (len(art.tokens),) and np.isfinite(logits).all()
    by_sentence = [logits[s0:s1].max() for s0, s1 in art.sentences]
    assert by_sentence[1] > by_sentence[0] and by_sentence[1] > by_sentence[2]


def test_delta_holds_the_trained_tensors_only_as_float16():
    delta = read_delta(DELTA_PATH.read_bytes())
    assert not any(name.removeprefix("bert.") in FROZEN for name in delta)
    assert {"head.weight", "head.bias"} <= set(delta)
    assert all(str(t.dtype) == "torch.float16" for t in delta.values())
    assert DELTA_PATH.stat().st_size < 25e6


@pytest.mark.parametrize(("precision", "mean_gap", "correlation"), [("bfloat16", 0.05, 0.999), ("int8", 0.3, 0.98)])
def test_each_inference_precision_gives_the_float32_reading_closely(precision, mean_gap, correlation):
    art = ArticleTokens.of(parse(TEXT))
    exact = read_token_encoder(DELTA_PATH).encode(art)
    run = for_inference(read_token_encoder(DELTA_PATH), precision).encode(art)
    assert run.hidden.dtype == np.float32 and run.hidden.shape == exact.hidden.shape
    assert (run.offsets == exact.offsets).all()
    assert np.abs(run.token_logits - exact.token_logits).mean() < mean_gap
    assert np.corrcoef(run.token_logits, exact.token_logits)[0, 1] > correlation
    assert np.corrcoef(run.hidden.ravel(), exact.hidden.ravel())[0, 1] > correlation


def test_int8_quantises_the_transformer_layers_and_keeps_the_head_in_float32():
    model = for_inference(read_token_encoder(DELTA_PATH), "int8")
    assert isinstance(model.bert.encoder.layer[0].intermediate.dense, torch.ao.nn.quantized.dynamic.Linear)
    assert type(model.head) is torch.nn.Linear and model.head.weight.dtype == torch.float32


def test_the_packaged_encoder_runs_in_this_cpus_precision():
    layer = load_token_encoder().bert.encoder.layer[0].intermediate.dense
    expected = {"bfloat16": torch.nn.Linear, "int8": torch.ao.nn.quantized.dynamic.Linear,
                "float32": torch.nn.Linear}[inference_precision()]
    assert type(layer) is expected
    if inference_precision() != "int8":
        assert layer.weight.dtype == getattr(torch, inference_precision())


@pytest.fixture
def precision_setting(monkeypatch):
    """Set ``NEWSIFT_TECHNIQUES_PRECISION`` for one test, with :func:`inference_precision` read afresh."""
    inference_precision.cache_clear()
    yield lambda value: monkeypatch.setenv("NEWSIFT_TECHNIQUES_PRECISION", value)
    inference_precision.cache_clear()


@pytest.mark.parametrize("precision", PRECISIONS)
def test_the_environment_chooses_the_precision(precision_setting, precision):
    precision_setting(precision)
    assert inference_precision() == precision


def test_an_unknown_precision_is_refused_with_the_choices(precision_setting):
    precision_setting("fp8")
    with pytest.raises(InputError, match="bfloat16, int8, float32, not 'fp8'"):
        inference_precision()


def test_span_means_average_the_pieces_a_span_overlaps():
    hidden = np.arange(4 * WIDTH, dtype=np.float32).reshape(4, WIDTH)
    encoding = Encoding(np.zeros(0), hidden, np.array([[0, 3], [3, 5], [6, 9], [10, 12]]))
    means = encoding.span_means([(0, 5), (4, 7), (9, 10), (11, 40)])
    np.testing.assert_allclose(means[0], hidden[:2].mean(axis=0))
    np.testing.assert_allclose(means[1], hidden[1:3].mean(axis=0))
    assert not means[2].any()  # the span falls between pieces
    np.testing.assert_allclose(means[3], hidden[3])
    assert encoding.span_means([]).shape == (0, WIDTH)


def test_the_head_reads_the_hidden_state_of_each_piece():
    art = ArticleTokens.of(parse(TEXT))
    model = load_token_encoder()
    encoding = model.encode(art)
    windows = article_windows(art)
    ids, offsets = windows[0]
    assert encoding.hidden.shape == (len(ids), WIDTH)
    assert encoding.offsets.tolist() == [list(o) for o in offsets]
    weight = model.head.weight.detach().float().numpy()[0]
    bias = float(model.head.bias.detach().float())
    again = token_logits(art, windows, [encoding.hidden @ weight + bias])
    np.testing.assert_allclose(again, encoding.token_logits, atol=0.1)

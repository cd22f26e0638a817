import numpy as np

from newsift.techniques.encoder import WIDTH, load_token_encoder
from newsift.techniques.features import ArticleTokens
from newsift.techniques.model import SpanScorer, TechniqueModel
from newsift.techniques.predict import load_model, parse
from newsift.techniques.spans import (
    CANDIDATE_BITS,
    N_NUMERIC,
    SENTENCE_FLOOR,
    Candidate,
    candidate_features,
    candidate_numbers,
    candidates,
    runs,
    trim,
)

TEXT = ("The corrupt elites betrayed us, and they will stop at nothing.\n"
        "The council met on Tuesday. Stop them now, before it is too late!")


def test_runs_bridge_gaps_up_to_max_gap():
    probs = np.array([0.9, 0.1, 0.8, 0.1, 0.1, 0.1, 0.7, 0.2])
    assert runs(probs, 0, 8, 0.5, 0) == [(0, 1), (2, 3), (6, 7)]
    assert runs(probs, 0, 8, 0.5, 1) == [(0, 3), (6, 7)]
    assert runs(probs, 0, 8, 0.5, 3) == [(0, 7)]
    assert runs(probs, 1, 6, 0.5, 3) == [(2, 3)]
    assert runs(probs, 0, 8, 0.95, 3) == []


def test_trim_drops_edge_punctuation():
    art = ArticleTokens.of(parse("“Stop them!” he said."))
    words = [t.text for t in art.tokens]
    i, j = trim(art, 0, words.index("”") + 1)
    assert [t.text for t in art.tokens[i:j]] == ["Stop", "them"]
    assert trim(art, 0, 1) is None


def test_candidates_stay_in_their_sentence_and_skip_quiet_ones():
    art = ArticleTokens.of(parse(TEXT))
    probs = np.full(len(art.tokens), SENTENCE_FLOOR / 2)
    loud = 0
    s0, s1 = art.sentences[loud]
    probs[s0 + 1 : s0 + 3] = 0.9  # "corrupt elites"
    cands = candidates(art, probs)
    assert cands and all(c.sentence == loud for c in cands)
    assert all(s0 <= c.i < c.j <= s1 for c in cands)
    assert all(not art.tokens[c.i].is_punct and not art.tokens[c.j - 1].is_punct for c in cands)
    assert len({(c.i, c.j) for c in cands}) == len(cands)
    spans = {art.text[art.starts[c.i] : art.ends[c.j - 1]]: c.kinds for c in cands}
    assert any(k.startswith("run") for k in spans["corrupt elites"])
    assert "sentence" in spans["The corrupt elites betrayed us, and they will stop at nothing"]
    rows, numbers = candidate_features(art, probs, np.zeros(len(art.tokens)), cands)
    assert len(rows) == len(cands) and numbers.shape == (len(cands), N_NUMERIC)
    assert all(0 <= k < 1 << CANDIDATE_BITS for row in rows for k in row)


def test_candidate_numbers_read_the_probabilities_inside_and_around_the_span():
    art = ArticleTokens.of(parse(TEXT))
    rng = np.random.default_rng(0)
    probs, gate = rng.random(len(art.tokens)), rng.random(len(art.tokens))
    cands = candidates(art, probs)
    numbers = candidate_numbers(art, probs, gate, cands)
    for c, row in zip(cands, numbers, strict=True):
        s0, s1 = art.sentences[c.sentence]
        p = probs[c.i : c.j]
        left, right = probs[max(s0, c.i - 3) : c.i], probs[c.j : s1][:3]
        expected = {0: p.mean(), 1: p.max(), 2: p.min(), 4: (p >= 0.3).mean(), 5: (p >= 0.5).mean(),
                    6: left.mean() if len(left) else 0,
                    7: right.mean() if len(right) else 0, 9: probs[s0:s1].max(), 10: gate[c.i],
                    12: (c.j - c.i) / (s1 - s0), 13: c.i == s0, 14: c.j >= s1 - 1,
                    15: p.mean() - probs[s0:s1].mean()}
        for k, value in expected.items():
            assert abs(row[k] - value) < 1e-9, (c, k)


def test_choose_takes_the_best_non_overlapping_spans_over_the_threshold():
    art = ArticleTokens.of(parse(TEXT))
    s0, s1 = art.sentences[0]
    cands = [Candidate(s0, s1 - 1, 0, ("sentence",)), Candidate(s0 + 1, s0 + 3, 0, ("run",)),
             Candidate(s0 + 4, s0 + 5, 0, ("run",)), Candidate(s0 + 6, s0 + 7, 0, ("run",))]
    scorer = SpanScorer(np.zeros((2, 1)), np.zeros((2, N_NUMERIC)), np.zeros(2), threshold=0.3)
    spans = scorer.choose(art, cands, np.array([0.5, 0.6, 0.4, 0.2]))
    assert [(s, e) for s, e, _ in spans] == [(art.starts[s0 + 1], art.ends[s0 + 2]),
                                             (art.starts[s0 + 4], art.ends[s0 + 4])]
    assert [q for _, _, q in spans] == [0.6, 0.4]
    whole = scorer.choose(art, cands, np.array([0.9, 0.6, 0.4, 0.2]))
    assert [(s, e) for s, e, _ in whole] == [(art.starts[s0], art.ends[s1 - 2])]


def test_packaged_model_scores_lie_between_zero_and_one_and_spans_do_not_overlap():
    art = ArticleTokens.of(parse(TEXT))
    model = load_model()
    cands, estimates = model.candidates(art)
    assert estimates.shape == (2, len(cands))
    assert ((estimates > 0) & (estimates < 1)).all()
    spans = model.spans(art)
    assert all(e1 <= s2 for (_, e1, _), (s2, _, _) in zip(spans, spans[1:], strict=False))
    assert all(q >= model.scorer.threshold for _, _, q in spans)


def test_saved_model_loads_back_with_its_scorer(tmp_path):
    model = load_model()
    path = tmp_path / "model.npz"
    model.save(path)
    again = TechniqueModel.load(path)
    assert again.scorer.mix == model.scorer.mix and again.scorer.threshold == model.scorer.threshold
    np.testing.assert_array_equal(again.scorer.weights, model.scorer.weights)
    assert again.scorer.trees is not None and again.scorer.trees.blend == model.scorer.trees.blend
    np.testing.assert_array_equal(again.scorer.trees.recall.threshold, model.scorer.trees.recall.threshold)
    art = ArticleTokens.of(parse(TEXT))
    assert again.spans(art) == model.spans(art)


def test_scorer_numbers_end_with_the_encoders_mean_state_over_each_candidate():
    art = ArticleTokens.of(parse(TEXT))
    model = load_model()
    encoding = load_token_encoder().encode(art)
    cands, rows, numbers = model.tagger.candidates(art, encoding)
    assert cands and len(rows) == len(cands)
    assert numbers.shape == (len(cands), N_NUMERIC + WIDTH)
    spans = [(art.starts[c.i], art.ends[c.j - 1]) for c in cands]
    np.testing.assert_allclose(numbers[:, N_NUMERIC:], encoding.span_means(spans))
    assert model.scorer.numeric_weights.shape == (2, N_NUMERIC + WIDTH)

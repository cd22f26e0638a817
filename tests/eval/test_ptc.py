import pytest

from newsift.eval.ptc import merge_overlapping, si_scores, tc_per_technique, tc_scores


def test_si_perfect_prediction_scores_one():
    gold = [("1", 0, 10), ("1", 20, 30), ("2", 5, 8)]
    prf = si_scores(gold, gold)
    assert (prf.precision, prf.recall, prf.f1) == (1.0, 1.0, 1.0)


def test_si_partial_overlap_is_normalised_by_each_span_length():
    # predicted [0, 10) covers 5 of its 10 characters of gold [5, 25) (20 characters)
    prf = si_scores([("1", 0, 10)], [("1", 5, 25)])
    assert prf.precision == pytest.approx(0.5)
    assert prf.recall == pytest.approx(0.25)
    assert prf.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_si_one_prediction_over_two_gold_spans_earns_credit_from_both():
    prf = si_scores([("1", 0, 20)], [("1", 0, 5), ("1", 10, 20)])
    assert prf.precision == pytest.approx(15 / 20)
    assert prf.recall == pytest.approx((1 + 1) / 2)


def test_si_spans_of_other_articles_never_overlap():
    prf = si_scores([("1", 0, 10)], [("2", 0, 10)])
    assert prf.f1 == 0.0


def test_si_overlapping_predictions_are_merged_first():
    merged = si_scores([("1", 0, 6), ("1", 4, 10)], [("1", 0, 10)])
    assert merged.precision == pytest.approx(1.0) and merged.recall == pytest.approx(1.0)


def test_si_no_predictions_scores_zero_without_dividing_by_zero():
    assert si_scores([], [("1", 0, 3)]).f1 == 0.0


def test_merge_overlapping_keeps_touching_spans_apart_and_drops_empty():
    assert merge_overlapping([(5, 9), (0, 5), (3, 4), (7, 7), (8, 12)]) == [(0, 5), (5, 12)]


def test_tc_micro_f1_counts_repeated_spans_as_a_multiset():
    gold = [("1", 0, 5, "Doubt"), ("1", 0, 5, "Loaded_Language"), ("1", 9, 12, "Slogans")]
    pred = [("1", 0, 5, "Doubt"), ("1", 0, 5, "Doubt"), ("1", 9, 12, "Slogans")]
    prf = tc_scores(pred, gold)
    assert prf.precision == pytest.approx(2 / 3) and prf.recall == pytest.approx(2 / 3)
    per = tc_per_technique(pred, gold)
    assert per["Slogans"].f1 == 1.0
    assert per["Loaded_Language"].recall == 0.0
    assert per["Doubt"].precision == pytest.approx(0.5)

import json

from click.testing import CliRunner

from newsift.cli import main
from newsift.eval import dates as eval_dates
from newsift.eval import places as eval_places


def test_shipped_sets_are_large_enough_and_consistent():
    date_items = eval_dates.load_items()
    assert sum(len(i["dates"]) for i in date_items) >= 150
    assert any(i["published"] is None for i in date_items)
    place_items = eval_places.load_items()
    assert sum(len(i["places"]) for i in place_items) >= 150
    for item in place_items:
        eval_places.expected_spans(item["text"], item["places"])  # every mention is in its sentence


def test_date_scorer_counts_hits_misses_and_extras():
    items = [{"published": "2026-05-07", "text": "It happened yesterday, in 2019 and on Mars.",
              "dates": [{"text": "yesterday", "value": "2026-05-06"}, {"text": "Mars", "value": None}]}]
    scores = eval_dates.score(items)
    assert (scores.expected, scores.found, scores.correct, scores.predicted, scores.matched_predictions) == (
        2, 1, 1, 2, 1)


def test_place_scorer_on_one_sentence():
    items = [{"text": "Protesters marched in Paris and Lyon.", "places": [
        {"text": "Paris", "geonames_id": 2988507, "country": "FR", "gazetteer_name": "Paris"},
        {"text": "Lyon", "geonames_id": 2996944, "country": "FR", "gazetteer_name": "Lyon"}]}]
    scores = eval_places.score(items)
    assert scores.expected == 2 and scores.correct == 2


def test_eval_cli_prints_scores_and_rejects_bad_sets(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["eval", "dates"])
    assert result.exit_code == 0 and "value accuracy" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    result = runner.invoke(main, ["eval", "dates", "--data", str(bad)])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    missing = runner.invoke(main, ["eval", "places", "--data", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2
    small = tmp_path / "small.jsonl"
    small.write_text(json.dumps({"text": "Talks in Kyiv.", "places": [
        {"text": "Kyiv", "geonames_id": 703448, "country": "UA", "gazetteer_name": "Kyiv"}]}) + "\n")
    assert "accuracy (id):     1.000" in runner.invoke(main, ["eval", "places", "--data", str(small)]).output

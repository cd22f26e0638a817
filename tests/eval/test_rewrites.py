from __future__ import annotations

from click.testing import CliRunner

from newsift.cli import main
from newsift.eval.rewrites import Labelled, evaluate, load_set, pair_measures, pair_scores


def test_the_packaged_set_is_complete():
    articles, truth = load_set()
    assert len(articles) == len(truth) >= 25
    assert {t.kind for t in truth.values()} == {"origin", "near-copy", "paraphrase", "distractor"}
    assert {t.split for t in truth.values()} == {"dev", "test"}
    dev, dev_truth = load_set(split="dev")
    assert 0 < len(dev) < len(articles) and all(t.split == "dev" for t in dev_truth.values())
    assert all(a["text"] and a["published"] for a in articles)


def test_pair_scores_by_kind():
    truth = {
        "o": Labelled("s", "origin", "dev"),
        "c": Labelled("s", "near-copy", "dev"),
        "p": Labelled("s", "paraphrase", "dev"),
        "x": Labelled("x", "distractor", "dev"),
    }
    scores = pair_scores([[("o", "origin"), ("c", "near-copy"), ("x", "paraphrase")]], truth)
    # predicted: o-c (near-copy, right), o-x and c-x (paraphrase, wrong); true: o-c, o-p, c-p
    assert (scores["all"].predicted, scores["all"].true, scores["all"].correct_predicted) == (3, 3, 1)
    assert scores["near-copy"].precision == 1.0 and scores["near-copy"].recall == 1.0
    assert scores["paraphrase"].precision == 0.0 and scores["paraphrase"].recall == 0.0


def test_paraphrases_raise_recall_on_the_dev_stories():
    with_paraphrases, near_only = evaluate("dev"), evaluate("dev", paraphrases=False)
    assert near_only["paraphrase"].recall == 0.0 and near_only["near-copy"].recall == 1.0
    assert with_paraphrases["paraphrase"].recall > 0.8 and with_paraphrases["all"].precision > 0.8


def test_pair_measures_cover_every_same_story_pair():
    measures = pair_measures("dev")
    _, truth = load_set(split="dev")
    stories = [t.story for t in truth.values()]
    same_story_pairs = sum(stories.count(s) * (stories.count(s) - 1) // 2 for s in set(stories))
    assert sum(m.same_story for m in measures) == same_story_pairs
    assert all(m.same_story or m.signature_cosine >= 0.3 for m in measures)


def test_cli_prints_the_scores():
    result = CliRunner().invoke(main, ["eval", "rewrites", "--split", "test", "--near-copies-only"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].startswith("all ") and "recall" in lines[1] and lines[3].startswith("paraphrase")

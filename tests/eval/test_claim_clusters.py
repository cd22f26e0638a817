from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from newsift.cli import main
from newsift.corpus.claim_clusters import DEFAULT_THRESHOLD, ClaimMember
from newsift.eval.claim_clusters import ClaimSet, data_dir, load_claims, sweep
from newsift.eval.rewrites import load_set
from newsift.pipeline import rule_sentences
from tests.conftest import ROOT


def test_every_labelled_pair_names_an_existing_sentence_of_one_story():
    articles, truth = load_set()
    sentences = {a["url"]: [a["text"][s:e] for s, e in rule_sentences(a["text"])] for a in articles}
    with (data_dir() / "pairs.tsv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        for x in "ab":
            url = row[f"url_{x}"]
            assert sentences[url][int(row[f"sentence_{x}"])] == row[f"text_{x}"], row
            assert (truth[url].story, truth[url].split) == (row["story"], row["split"]), row
        assert row["url_a"] != row["url_b"]
    dev, test, every = (load_claims(split) for split in ("dev", "test", "all"))
    assert len(every.same) == len(rows) == len(dev.same) + len(test.same)
    assert {truth[m.article_id].split for m in dev.members} == {"dev"}
    assert len(every.members) == sum(map(len, sentences.values())) == len(dev.members) + len(test.members)


def test_a_row_whose_text_differs_from_the_sentence_is_rejected(tmp_path):
    shutil.copy(data_dir() / "pairs.tsv", tmp_path / "pairs.tsv")
    lines = (tmp_path / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("collapsed", "burst", 1)
    (tmp_path / "pairs.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: .* has no sentence 0 with that text"):
        load_claims(folder=tmp_path)


def test_clusters_score_the_pairs_leader_clustering_joins():
    members = [ClaimMember(a, "0", f"claim {a}", None, None, "", None) for a in "abcd"]
    rows = [[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.28, 0.96, 0.0], [0.6, 0.0, 0.8]]
    vectors = np.array(rows, dtype=np.float32)  # a-b 0.80, b-c 0.80, a-c 0.28, a-d 0.60
    claims = ClaimSet(members, {frozenset((0, 1)), frozenset((1, 2)), frozenset((0, 3))})
    low, high = sweep(claims, vectors, (0.55, 0.7))
    assert (low.links.predicted, low.links.correct_predicted, low.links.true) == (3, 3, 3)
    # a leads; b and d join it; c is linked only to b, which leads nothing, so c stays alone
    assert (low.clusters.predicted, low.clusters.correct_predicted) == (3, 2)  # b-d joined through a
    assert low.clusters.recall == pytest.approx(2 / 3) and low.clusters.precision == pytest.approx(2 / 3)
    assert (high.links.predicted, high.clusters.predicted, high.clusters.correct_predicted) == (2, 1, 1)


@pytest.fixture(scope="module")
def dev_output() -> str:
    result = CliRunner().invoke(main, ["eval", "claim-clusters", "--split", "dev", "--errors"])
    assert result.exit_code == 0, result.output
    return result.output


def test_dev_sweep_links_shrink_as_the_threshold_rises(dev_output):
    rows = {
        float(m[1]): [float(x) for x in m[2].split()]
        for m in re.finditer(r"^(\d\.\d\d) +([\d. ]+)$", dev_output, re.MULTILINE)
    }
    assert len(rows) >= 10 and DEFAULT_THRESHOLD in rows
    links_recall = [rows[t][1] for t in sorted(rows)]
    assert links_recall == sorted(links_recall, reverse=True)  # a higher threshold keeps a subset of links


@pytest.mark.shared
def test_the_default_threshold_is_the_lowest_with_ptc_link_precision_090(shared_data):
    articles = shared_data / "ptc-semeval2020" / "train-articles"
    command = [sys.executable, str(ROOT / "benchmarks" / "claim_clusters.py"), "--articles", str(articles)]
    labels = ["--labels", str(data_dir() / "ptc-links.tsv")]
    out = subprocess.run(command + labels, capture_output=True, text=True, check=True).stdout
    estimates = {float(m[1]): float(m[2]) for m in re.finditer(r"^(\d\.\d\d)-\S+ .* (\d\.\d\d)$", out, re.M)}
    assert len(estimates) == 8
    assert DEFAULT_THRESHOLD == min(edge for edge, precision in estimates.items() if precision >= 0.9)


def test_errors_list_every_miss_and_false_pair(dev_output):
    clusters = re.search(r"^clusters +precision \S+ \((\d+)/(\d+)\) +recall \S+ \((\d+)/(\d+)\)", dev_output, re.M)
    correct, predicted, found, true = map(int, clusters.groups())
    assert true == 49 and 0 < found < true
    assert len(re.findall(r"^miss ", dev_output, re.M)) == true - found
    assert len(re.findall(r"^false ", dev_output, re.M)) == predicted - correct


@pytest.mark.parametrize("args", [["--split", "train"], ["--threshold", "1.5"]])
def test_bad_options_get_one_message_and_exit_2(args):
    result = CliRunner().invoke(main, ["eval", "claim-clusters", *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value" in result.output

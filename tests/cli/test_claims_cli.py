"""``newsift claims score`` and ``newsift eval checkworthy|polnear``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newsift.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_claims_score_writes_labels_and_scores(tmp_path):
    infile, outfile = tmp_path / "in.tsv", tmp_path / "out.tsv"
    infile.write_text("Sentence_id\tText\n7\tUnemployment fell to 3 percent in 2019.\n8\tThank you.\n",
                      encoding="utf-8")
    result = run("claims", "score", str(infile), "-o", str(outfile))
    assert result.exit_code == 0, result.output
    header, *rows = [line.split("\t") for line in outfile.read_text(encoding="utf-8").splitlines()]
    assert header == ["Sentence_id", "class_label", "score"]
    assert [(r[0], r[1]) for r in rows] == [("7", "Yes"), ("8", "No")]
    assert all(0.0 <= float(r[2]) <= 1.0 for r in rows)


@pytest.mark.parametrize("content", [None, "not a tsv at all\n", "\x00\x01binary"])
def test_claims_score_bad_input_is_one_line(tmp_path, content):
    infile = tmp_path / "in.tsv"
    if content is not None:
        infile.write_text(content, encoding="utf-8")
    result = run("claims", "score", str(infile), "-o", str(tmp_path / "out.tsv"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("newsift: error:")


def test_eval_unknown_split_is_one_line():
    for layer in ("checkworthy", "polnear"):
        result = run("eval", layer, "--split", "no-such-split")
        assert result.exit_code == 2 and result.stderr.startswith("newsift: error:")


@pytest.mark.shared
def test_eval_checkworthy_dev_prints_scores(shared_data):
    result = run("eval", "checkworthy", "--split", "dev")
    assert result.exit_code == 0 and "Yes F1:" in result.output

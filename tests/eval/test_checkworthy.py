"""CheckThat! reading and Yes-class scoring."""

from __future__ import annotations

import pytest

from newsift.attribution.corpora import checkthat_split, read_checkthat
from newsift.errors import InputError
from newsift.eval.checkworthy import best_threshold, evaluate, prf


def test_prf():
    assert prf([True, True, False, False], [True, False, True, False]) == (0.5, 0.5, 0.5)
    assert prf([False], [True]) == (0.0, 0.0, 0.0)


def test_best_threshold_separates():
    threshold, f1 = best_threshold([0.1, 0.2, 0.8, 0.9], [False, False, True, True])
    assert 0.2 < threshold < 0.8 and f1 == 1.0


def test_read_keeps_quotes_and_splits_glued_records(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text('Sentence_id\tText\tclass_label\n1\t"Quoted ""text"" here\tYes\n'
                    "2\tWe grew.\tNo3\tJobs fell 5%.\tYes\n", encoding="utf-8")
    rows = read_checkthat(path)
    assert [(r.sentence_id, r.text, r.label) for r in rows] == [
        ("1", '"Quoted ""text"" here', "Yes"), ("2", "We grew.", "No"), ("3", "Jobs fell 5%.", "Yes")]


@pytest.mark.parametrize("content", ["id\ttext\n", "Sentence_id\tText\tclass_label\n1\tx\tMaybe\n",
                                     "Sentence_id\tText\tclass_label\n1\n"])
def test_bad_tsv_is_an_input_error(tmp_path, content):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError):
        read_checkthat(path)


@pytest.mark.shared
def test_dev_f1_is_recorded_level(shared_data):
    rows = read_checkthat(shared_data / "checkthat2024-checkworthy-en" / "CT24_checkworthy_english_dev.tsv")
    assert len(rows) == 1032
    assert evaluate(rows).f1 > 0.85


def test_split_files_are_found_by_name(tmp_path, monkeypatch):
    folder = tmp_path / "checkthat2024-checkworthy-en"
    folder.mkdir()
    (folder / "CT24_checkworthy_english_dev.tsv").write_text("", encoding="utf-8")
    (folder / "CT24_checkworthy_english_test_gold.tsv").write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSIFT_SHARED_DATA", str(tmp_path))
    assert checkthat_split("dev").name == "CT24_checkworthy_english_dev.tsv"
    assert checkthat_split("test").name == "CT24_checkworthy_english_test_gold.tsv"

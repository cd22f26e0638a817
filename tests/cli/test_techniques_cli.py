import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsift.cli import main

PTC = Path(__file__).parents[2].parent / "shared" / "data" / "ptc-semeval2020"
PROPAGANDA = (
    "Traitors in Washington Are Selling Out America\n\n"
    "The corrupt, treasonous elites have once again betrayed the American people. These radical "
    "globalist thugs will stop at nothing to destroy our great nation. Everyone knows the truth: the "
    "mainstream media lies, lies and lies again. Make America great again! Either you stand with "
    "the patriots or you stand with the terrorists.\n"
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write(folder: Path, article_id: str, text: str) -> Path:
    path = folder / f"article{article_id}.txt"
    path.write_bytes(text.encode("utf-8"))
    return path


def read_rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def test_predict_writes_si_spans_in_file_offsets(tmp_path):
    write(tmp_path, "1", PROPAGANDA)
    write(tmp_path, "2", PROPAGANDA.replace("\n", "\r\n"))
    out = tmp_path / "out.labels"
    result = run("techniques", "predict", str(tmp_path), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    assert {r[0] for r in rows} == {"1", "2"}
    for article_id, start, end in rows:
        text = (tmp_path / f"article{article_id}.txt").read_bytes().decode("utf-8")
        assert 0 <= int(start) < int(end) <= len(text)
        assert text[int(start) : int(end)].strip() == text[int(start) : int(end)]
    # with and without carriage returns the same spans (the CRLF offsets mapped to the LF text by dropping the
    # carriage returns before them)
    crlf = (tmp_path / "article2.txt").read_bytes().decode()
    spans = {"1": [(int(s), int(e)) for a, s, e in rows if a == "1"],
             "2": [(int(s) - crlf[: int(s)].count("\r"), int(e) - crlf[: int(e)].count("\r"))
                   for a, s, e in rows if a == "2"]}
    assert spans["1"] and spans["1"] == spans["2"]


def test_predict_with_template_labels_exactly_its_spans(tmp_path):
    write(tmp_path, "7", PROPAGANDA)
    start = PROPAGANDA.index("thugs")
    template = tmp_path / "template.labels"
    template.write_text(f"7\t?\t{start}\t{start + 5}\n7\t?\t{start}\t{start + 5}\n7\t?\t0\t10\n")
    out = tmp_path / "tc.labels"
    result = run("techniques", "predict", str(tmp_path), "--tc-template", str(template), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    assert [(r[0], r[2], r[3]) for r in rows] == [("7", str(start), str(start + 5))] * 2 + [("7", "0", "10")]
    from newsift.labels import TECHNIQUES

    assert all(r[1] in TECHNIQUES for r in rows)
    assert rows[0][1] != rows[1][1]  # a span listed twice gets two different techniques


@pytest.mark.parametrize(
    "template_text, message",
    [("7\t?\t0\n", "tab-separated"), ("9\t?\t0\t5\n", "not in the folder"), ("7\t?\t0\t999999\n", "outside")],
)
def test_bad_template_is_one_line_error(tmp_path, template_text, message):
    write(tmp_path, "7", PROPAGANDA)
    template = tmp_path / "t.labels"
    template.write_text(template_text)
    result = run("techniques", "predict", str(tmp_path), "--tc-template", str(template), "-o",
                 str(tmp_path / "o"))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_missing_folder_and_empty_folder_are_errors(tmp_path):
    assert run("techniques", "predict", str(tmp_path / "nope"), "-o", str(tmp_path / "o")).exit_code == 2
    result = run("techniques", "predict", str(tmp_path), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "no article" in result.output


def test_non_utf8_article_is_an_error(tmp_path):
    (tmp_path / "article3.txt").write_bytes(b"\xff\xfe caf\xe9")
    result = run("techniques", "predict", str(tmp_path), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2 and "UTF-8" in result.output


def test_non_english_article_is_skipped_with_a_note(tmp_path):
    write(tmp_path, "5", "Die korrupten Eliten haben das Volk wieder einmal verraten. Diese radikalen "
          "Verbrecher werden vor nichts zurückschrecken, um unser großes Land zu zerstören.\n")
    out = tmp_path / "out.labels"
    result = run("techniques", "predict", str(tmp_path), "-o", str(out))
    assert result.exit_code == 0
    assert out.read_text() == ""
    assert "article5: techniques skipped: needs English text" in result.stderr


@pytest.mark.shared
@pytest.mark.skipif(not PTC.is_dir(), reason="needs ../shared/data")
def test_eval_ptc_prints_si_and_tc_scores():
    result = run("eval", "ptc", "--split", "dev", "--data", str(PTC), "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "SI  P=" in result.output and "TC  micro-F1=" in result.output


@pytest.mark.shared
@pytest.mark.skipif(not PTC.is_dir(), reason="needs ../shared/data")
def test_eval_ptc_reads_a_model_folder_and_says_when_the_split_is_not_held_out(tmp_path):
    from newsift.techniques.encoder import DELTA_PATH
    from newsift.techniques.model import TechniqueModel
    from newsift.techniques.predict import MODEL_PATH

    model = TechniqueModel.load(MODEL_PATH)
    outputs = {}
    for fitted_on in ("train", "train+dev"):
        folder = tmp_path / fitted_on
        folder.mkdir()
        model.save(folder / MODEL_PATH.name, {**model.meta, "fitted_on": fitted_on})
        shutil.copyfile(DELTA_PATH, folder / DELTA_PATH.name)
        result = run("eval", "ptc", "--split", "dev", "--data", str(PTC), "--limit", "2", "--model", str(folder))
        assert result.exit_code == 0, result.output
        outputs[fitted_on] = result.output
    assert "not held out" not in outputs["train"] and "not held out" in outputs["train+dev"]
    # the packaged model, read from the folders and by default: the same figures
    outputs["packaged"] = run("eval", "ptc", "--split", "dev", "--data", str(PTC), "--limit", "2").output
    figures = {k: re.findall(r"SI  P=\S+ R=\S+ F1=\S+|TC  micro-F1=\S+", out) for k, out in outputs.items()}
    assert figures["train"] == figures["train+dev"] == figures["packaged"] and len(figures["train"]) == 2


@pytest.mark.shared
@pytest.mark.skipif(not PTC.is_dir(), reason="needs ../shared/data")
def test_eval_ptc_with_a_folder_that_holds_no_model_is_an_error(tmp_path):
    result = run("eval", "ptc", "--data", str(PTC), "--model", str(tmp_path))
    assert result.exit_code != 0 and "not a model folder" in result.output
    assert "Traceback" not in result.output


def test_eval_ptc_without_corpus_is_an_error(tmp_path):
    result = run("eval", "ptc", "--data", str(tmp_path))
    assert result.exit_code == 2 and "no PTC corpus" in result.output


def test_unwritable_output_is_an_error(tmp_path):
    write(tmp_path, "1", PROPAGANDA)
    result = run("techniques", "predict", str(tmp_path), "-o", str(tmp_path / "missing" / "out.labels"))
    assert result.exit_code == 2 and "cannot write" in result.output

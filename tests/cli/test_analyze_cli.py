"""``newsift analyze`` end to end: formats, --out, batches, and one clear line for every bad input."""

import json
import subprocess
import sys

import jsonschema
import pytest
from click.testing import CliRunner

from newsift.cli import main
from newsift.report import json_schema
from tests.conftest import EXAMPLE

ARTICLE = ("Officials in Kyiv said on Tuesday that power had been restored to 12,000 homes. "
           "\"The grid is stable,\" said Olena Petrenko, a spokeswoman for the utility.\n")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "grid.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_validates_against_schema(article_file):
    result = run("analyze", str(article_file), "--format", "json", "--published", "2026-05-07")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, json_schema())
    assert report["article"]["published"] == "2026-05-07"
    assert report["article"]["text"] == ARTICLE


def test_schema_command_prints_the_schema():
    result = run("schema")
    assert json.loads(result.stdout) == json_schema()


def test_example_json_validates():
    result = run("analyze", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0
    jsonschema.validate(json.loads(result.stdout), json.loads(run("schema").stdout))


def test_overrides(article_file):
    result = run("analyze", str(article_file), "--format", "json", "--title", "Grid", "--url",
                 "https://x.example/grid")
    article = json.loads(result.stdout)["article"]
    assert (article["title"], article["url"]) == ("Grid", "https://x.example/grid")


def test_stdin():
    result = run("analyze", "-", "--format", "json", input=ARTICLE.encode())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["article"]["text"] == ARTICLE


@pytest.mark.parametrize("fmt, suffix", [("json", ".json"), ("html", ".html"), ("md", ".md"), ("text", ".txt")])
def test_out_dir_writes_one_file_per_input(tmp_path, article_file, fmt, suffix):
    second = tmp_path / "second.txt"
    second.write_text("The ministry said the talks would resume in May.", encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", str(article_file), str(second), "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"grid{suffix}", f"second{suffix}"]


def test_directory_input_and_batch_failure(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps({"text": "The SES said four people died."}), encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    result = run("analyze", str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(json.loads(x)["schema_version"] == 1 for x in lines)
    assert "b.txt: no text" in result.stderr
    assert "analysed 2 article(s); 1 failed" in result.stderr


BAD_INPUTS = {
    "empty.txt": (b"", "no text"),
    "blank.txt": (b" \n\t\r\n ", "no text"),
    "binary.txt": (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(200), "binary"),
    "nav.html": (b"<html><body><nav>Home</nav></body></html>", "no article text"),
    "bad.json": (b'{"text": ', "not valid JSON"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_one_line_exit_2(tmp_path, name):
    data, message = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = run("analyze", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_too_large(tmp_path, article_file):
    result = run("analyze", str(article_file), "--max-bytes", "10")
    assert result.exit_code == 2 and "larger than the cap" in result.stderr


def test_bad_published(article_file):
    result = run("analyze", str(article_file), "--published", "2026-13-01")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_missing_file(tmp_path):
    result = run("analyze", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_unreachable_url_in_a_real_process():
    """A real process: exit status 2, one line, no traceback."""
    proc = subprocess.run([sys.executable, "-m", "newsift", "analyze", "http://no-such-host.invalid/x"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("newsift: error:") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_text_summary(article_file):
    result = run("analyze", str(article_file), "--published", "2026-05-07")
    assert result.exit_code == 0
    assert "check-worthy claim" in result.stdout


@pytest.mark.parametrize("fmt, suffix", [("text", ".txt"), ("md", ".md")])
def test_a_place_found_through_a_venue_shows_its_note(tmp_path, fmt, suffix):
    path = tmp_path / "fair.txt"
    path.write_text("Al Franken spoke to reporters at the Minnesota State Fair on Thursday.\n", encoding="utf-8")
    result = run("analyze", str(path), "--format", fmt, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "Minnesota (place of the Minnesota State Fair)" in (tmp_path / "out" / f"fair{suffix}").read_text()

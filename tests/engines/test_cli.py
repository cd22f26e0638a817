"""``newsift corpus analyze`` engine options: bad ones give one clear line and exit status 2."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from newsift.cli import main
from tests.engines.fakes import fill_store, short_articles


def free_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def analyze(*args: str):
    return CliRunner().invoke(main, ["corpus", "analyze", *args])


def test_an_unreachable_ray_address_is_one_clear_line(tmp_path: Path):
    url = fill_store(tmp_path / "c.db", short_articles(2))
    result = analyze("--db", url, "--engine", "ray", "--address", f"127.0.0.1:{free_port()}")
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert (
        line.startswith("newsift: error: no Ray cluster answers at 127.0.0.1:") and "ray start --head" in line
    )


def test_bad_engine_options(tmp_path: Path):
    url = fill_store(tmp_path / "c.db", short_articles(2))
    for args, message in [
        (["--address", "10.0.0.1:6379"], "--address is for --engine ray"),
        (["--workers", "0"], "must be at least 1"),
        (["--engine", "ray", "--address", "no-port:x"], "is not host:port"),
    ]:
        result = analyze("--db", url, *args)
        assert result.exit_code == 2 and message in result.output, result.output


def test_nothing_pending_says_so(tmp_path: Path):
    url = fill_store(tmp_path / "c.db", [])
    result = analyze("--db", url)
    assert result.exit_code == 0 and "nothing to analyse" in result.output


def test_load_shards_stores_what_a_run_with_out_wrote(tmp_path: Path):
    from newsift.corpus.store import Store
    from newsift.engines.runner import pending_rows
    from newsift.engines.shards import ShardSink
    from newsift.engines.work import Worker, WorkerSpec
    from tests.engines.fakes import marker_pipeline, stored_reports

    url = fill_store(tmp_path / "c.db", short_articles(3))
    sink = ShardSink(tmp_path / "shards")
    with Store(url) as store:
        for outcome in Worker(WorkerSpec(marker_pipeline)).analyze(list(pending_rows(store))):
            sink.write(outcome)
    sink.close()
    result = CliRunner().invoke(main, ["corpus", "load-shards", str(tmp_path / "shards"), "--db", url])
    assert result.exit_code == 0 and "3 report(s) and 0 error(s) stored" in result.output
    assert len(stored_reports(url)) == 3
    assert analyze("--db", url).output.strip() == "nothing to analyse"

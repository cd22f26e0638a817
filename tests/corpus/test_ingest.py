from __future__ import annotations

import http.server
import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsift.corpus.ingest import IngestOptions, ingest, parse_map, source_kind
from newsift.corpus.store import Store
from newsift.errors import InputError

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Daily Example</title>
<item><title>Dam breached</title><link>https://daily.example/dam</link>
<pubDate>Tue, 05 May 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The dam near the town was breached on Monday, officials said.&lt;/p&gt;
</description></item>
<item><title>Prices rise</title><link>https://daily.example/prices</link>
<description>Bread prices rose by a third this spring.</description></item>
</channel></rss>"""

PAGE = (
    "<html><head><title>Bridge closed</title></head><body><article><h1>Bridge closed</h1>"
    "<p>The old bridge over the river was closed to traffic on Tuesday after engineers found cracks "
    "in two of its supports, the city council said in a statement.</p>"
    "<p>Repairs are expected to take at least three months, according to the council.</p>"
    "</article></body></html>"
)


def rows(store: Store, columns: str = "url, title, text") -> list[tuple]:
    return store.db.execute(f"SELECT {columns} FROM articles ORDER BY url, text")


def test_csv_with_column_map(tmp_path: Path, store: Store):
    src = tmp_path / "a.csv"
    src.write_text(
        "headline,body,link,day\nA,First body.,https://x.example/1,2026-05-01\nB,,https://x.example/2,\n",
        encoding="utf-8",
    )
    options = IngestOptions(csv_map=parse_map("text=body,title=headline,url=link,published=day"))
    report = ingest(store, [str(src)], options)
    assert report.added == 1 and "row 3 has no text" in report.skipped[0]
    assert rows(store, "url, title, text, published") == [
        ("https://x.example/1", "A", "First body.", "2026-05-01")
    ]


def test_csv_missing_text_column_is_refused(tmp_path: Path, store: Store):
    src = tmp_path / "a.csv"
    src.write_text("headline,content\nA,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column.*text"):
        ingest(store, [str(src)], IngestOptions())
    with pytest.raises(InputError, match="not in the file: title=head"):
        ingest(store, [str(src)], IngestOptions(csv_map=parse_map("text=content,title=head")))
    assert store.count() == 0


def test_csv_with_a_nul_byte_is_refused_whole(tmp_path: Path, store: Store):
    src = tmp_path / "a.csv"
    src.write_bytes(b"text,title\nGood row,A\nBad\x00row,B\n")
    with pytest.raises(InputError, match="line 3 contains a NUL byte"):
        ingest(store, [str(src)], IngestOptions())
    assert store.count() == 0


def test_bad_map_option():
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_map("body")
    with pytest.raises(InputError, match="FIELD=COLUMN"):
        parse_map("colour=x")


def test_rss_feed(tmp_path: Path, store: Store):
    src = tmp_path / "daily.rss"
    src.write_text(RSS, encoding="utf-8")
    assert ingest(store, [str(src)], IngestOptions()).added == 2
    got = rows(store, "url, site, published, text")
    assert got[0] == (
        "https://daily.example/dam",
        "Daily Example",
        "2026-05-05",
        "The dam near the town was breached on Monday, officials said.",
    )
    assert got[1][3] == "Bread prices rose by a third this spring."


def test_broken_feed_xml_is_refused_with_nothing_stored(tmp_path: Path, store: Store):
    src = tmp_path / "broken.xml"
    src.write_text(RSS.replace("</item>\n<item>", "</itm>\n<item>"), encoding="utf-8")
    with pytest.raises(InputError, match="broken|well-formed"):
        ingest(store, [str(src)], IngestOptions())
    assert store.count() == 0


def _warc(path: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("x.warc.gz", {"software": "test"}))
        for url, ctype, body in [
            ("https://city.example/bridge", "text/html; charset=utf-8", PAGE.encode()),
            ("https://city.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )
    return path


def test_warc_keeps_html_responses_and_skips_other_records(tmp_path: Path, store: Store):
    report = ingest(store, [str(_warc(tmp_path / "crawl.warc.gz"))], IngestOptions())
    assert report.added == 1
    assert "2 record(s) that are not HTML responses" in report.skipped[0]
    url, title, text = rows(store)[0]
    assert url == "https://city.example/bridge" and title == "Bridge closed" and "closed to traffic" in text


def test_not_a_warc_file_is_refused(tmp_path: Path, store: Store):
    src = tmp_path / "x.warc"
    src.write_text("this is not a warc file\n")
    with pytest.raises(InputError, match="not a readable WARC"):
        ingest(store, [str(src)], IngestOptions())


@pytest.fixture
def server(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "bridge.html").write_text(PAGE, encoding="utf-8")
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=str(site), **kw)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.RequestHandlerClass.log_message = lambda *a: None
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_url_list(tmp_path: Path, store: Store, server: str):
    src = tmp_path / "list.txt"
    src.write_text(f"{server}/bridge.html\n{server}/missing.html\n")
    assert source_kind(str(src)) == "urls"
    report = ingest(store, [str(src)], IngestOptions(allow_private=True))
    assert report.added == 1 and "HTTP 404" in report.skipped[0]
    again = ingest(store, [str(src)], IngestOptions(allow_private=True))
    assert again.added == 0 and store.count() == 1


def test_folder_of_mixed_files(tmp_path: Path, store: Store):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("A plain text story about the harbour.")
    (folder / "sub" / "b.html").write_text(PAGE)
    (folder / "c.rss").write_text(RSS)
    (folder / "notes.bin").write_bytes(b"\x00\x01")
    report = ingest(store, [str(folder)], IngestOptions())
    assert report.added == 4
    assert any("notes.bin" in s for s in report.skipped)


def test_a_refused_file_in_a_folder_is_noted_and_the_rest_are_read(tmp_path: Path, db_url: str):
    from click.testing import CliRunner

    from newsift.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A plain text story about the harbour.")
    (folder / "b.json").write_text('{"title": "no text here"}')
    (folder / "c.txt").write_text("Another story about the strike at the port.")
    with Store(db_url) as store:
        report = ingest(store, [str(folder)], IngestOptions())
        assert report.added == 2 and store.count() == 2
    assert len(report.failed) == 1 and "b.json" in report.failed[0] and 'no "text"' in report.failed[0]
    result = CliRunner().invoke(main, ["corpus", "ingest", str(folder), "--db", db_url])
    assert result.exit_code == 1 and "0 added, 2 already stored" in result.output
    assert "failed:" in result.output and "b.json" in result.output


KILLER = """
import os, signal, sys
from newsift.corpus import sql
from newsift.corpus.ingest import IngestOptions, ingest
from newsift.corpus.store import Store

calls = 0
original = sql.Database.executemany
def executemany(self, statement, rows):
    global calls
    original(self, statement, rows)
    calls += 1
    if calls == 3:  # die inside the third batch's transaction, after its rows are written, before commit
        os.kill(os.getpid(), signal.SIGKILL)
sql.Database.executemany = executemany
with Store(sys.argv[1]) as store:
    ingest(store, [sys.argv[2]], IngestOptions())
"""


def test_killed_ingest_resumes_with_nothing_lost_or_doubled(tmp_path: Path, db_url: str, write_jsonl):
    from newsift.corpus import ingest as ingest_module

    n = ingest_module.BATCH_SIZE * 5 + 17
    src = write_jsonl("big.jsonl", [{"text": f"Report number {i} on the floods."} for i in range(n)])
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, db_url, str(src)], capture_output=True, timeout=120
    )
    assert killed.returncode == -9
    with Store(db_url) as store:
        assert store.count() == 2 * ingest_module.BATCH_SIZE  # two whole batches, none of the third
        report = ingest(store, [str(src)], IngestOptions())
        assert (report.added, report.unchanged) == (
            n - 2 * ingest_module.BATCH_SIZE,
            2 * ingest_module.BATCH_SIZE,
        )
        assert store.count() == n
        texts = {t for (t,) in store.db.execute("SELECT text FROM articles")}
        assert texts == {f"Report number {i} on the floods." for i in range(n)}


def test_missing_source_is_a_clear_error(tmp_path: Path, store: Store):
    with pytest.raises(InputError, match="no such file"):
        ingest(store, [str(tmp_path / "nope.jsonl")], IngestOptions())


def test_cli_ingest_search_export(tmp_path: Path, db_url: str):
    from click.testing import CliRunner

    from newsift.cli import main

    src = tmp_path / "daily.rss"
    src.write_text(RSS, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["corpus", "ingest", str(src), "--db", db_url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["corpus", "search", "dam breached", "--db", db_url, "--json"])
    assert result.exit_code == 0 and '"url": "https://daily.example/dam"' in result.output
    bad = runner.invoke(main, ["corpus", "ingest", str(tmp_path / "none.csv"), "--db", db_url])
    assert bad.exit_code == 2 and "no such file" in bad.output
    started = time.monotonic()
    out = tmp_path / "a.parquet"
    result = runner.invoke(main, ["corpus", "export", "--db", db_url, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0 and out.exists() and time.monotonic() - started < 60


def test_cli_commands_on_a_missing_or_foreign_database(tmp_path: Path):
    from click.testing import CliRunner

    from newsift.cli import main

    runner = CliRunner()
    missing = str(tmp_path / "none.db")
    for args in (["search", "x"], ["export"], ["analyze"], ["clusters"]):
        result = runner.invoke(main, ["corpus", *args, "--db", missing])
        assert result.exit_code == 2 and "no such database" in result.output, args
    assert not Path(missing).exists()
    foreign = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    result = runner.invoke(main, ["corpus", "search", "x", "--db", str(foreign)])
    assert result.exit_code == 2 and "not a newsift corpus" in result.output

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from newsift.corpus.ingest import IngestOptions, ingest
from newsift.corpus.store import Store, StoredArticle, canonical_url, content_hash
from newsift.document import Article
from newsift.errors import InputError


def test_canonical_url_drops_tracking_fragment_www_and_trailing_slash():
    assert (
        canonical_url("HTTPS://www.Example.com/a/b/?utm_source=x&b=2&a=1#top")
        == "https://example.com/a/b?a=1&b=2"
    )
    assert canonical_url("http://example.com:80/") == "http://example.com/"


def test_content_hash_ignores_case_and_spacing_only():
    assert content_hash("Hello  World\n") == content_hash("hello world")
    assert content_hash("Hello world") != content_hash("Hello word")


def test_key_is_url_when_present_else_content_hash():
    assert (
        StoredArticle.of(Article(text="x", url="https://a.org/1?utm_medium=m"), "file").id
        == "url:https://a.org/1"
    )
    assert StoredArticle.of(Article(text="Some text"), "file").id.startswith("sha:")


def test_reingesting_changes_nothing(tmp_path: Path, store: Store, write_jsonl):
    src = write_jsonl(
        "a.jsonl", [{"text": f"Story {i}.", "url": f"https://news.example/{i}"} for i in range(5)]
    )
    first = ingest(store, [str(src)], IngestOptions())
    second = ingest(store, [str(src)], IngestOptions())
    assert (first.added, second.added, second.unchanged) == (5, 0, 5)
    assert store.count() == 5


def test_duplicate_url_with_different_text_keeps_the_first_and_reports_it(store: Store, write_jsonl):
    src = write_jsonl(
        "dup.jsonl",
        [
            {"text": "The first version.", "url": "https://news.example/a"},
            {"text": "A rewritten version.", "url": "https://www.news.example/a/?utm_source=tw"},
        ],
    )
    report = ingest(store, [str(src)], IngestOptions())
    assert report.added == 1
    assert report.conflicts == ["https://www.news.example/a/?utm_source=tw"]
    assert store.db.execute("SELECT text FROM articles") == [("The first version.",)]


def test_same_text_without_url_is_stored_once(store: Store, write_jsonl):
    src = write_jsonl("same.jsonl", [{"text": "Same  text."}, {"text": "same text."}])
    report = ingest(store, [str(src)], IngestOptions())
    assert (report.added, report.unchanged) == (1, 1)


def test_locked_database_is_a_clear_error(db_url: str, write_jsonl):
    Store(db_url).create()
    holder = sqlite3.connect(db_url, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        src = write_jsonl("a.jsonl", [{"text": "Locked out."}])
        with Store(db_url, timeout=0.2) as store, pytest.raises(InputError, match="locked"):
            ingest(store, [str(src)], IngestOptions())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(db_url) as store:
        assert store.count() == 0


def test_read_only_database_is_a_clear_error(db_url: str, write_jsonl):
    Store(db_url).create()
    src = write_jsonl("a.jsonl", [{"text": "Read only."}])
    with Store(f"file:{db_url}?mode=ro") as store, pytest.raises(InputError, match="read-only"):
        ingest(store, [str(src)], IngestOptions())


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a file whatever its mode")
def test_read_only_database_file_is_a_clear_error(db_url: str, write_jsonl):
    Store(db_url).create()
    os.chmod(db_url, 0o444)
    src = write_jsonl("a.jsonl", [{"text": "Read only."}])
    with pytest.raises(InputError, match="read-only|cannot open"):
        with Store(db_url) as store:
            ingest(store, [str(src)], IngestOptions())


def test_database_in_missing_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError, match="does not exist"):
        Store(str(tmp_path / "nope" / "x.db"))


@pytest.mark.postgres
def test_postgres_ingest_is_idempotent_and_keeps_the_first_text(postgres_url: str, write_jsonl):
    with Store(postgres_url) as store:
        src = write_jsonl(
            "a.jsonl", [{"text": f"Story {i}.", "url": f"https://news.example/{i}"} for i in range(3)]
        )
        dup = write_jsonl("b.jsonl", [{"text": "Other text.", "url": "https://news.example/1"}])
        assert ingest(store, [str(src)], IngestOptions()).added == 3
        again = ingest(store, [str(src), str(dup)], IngestOptions())
        assert (again.added, again.unchanged, again.conflicts) == (0, 3, ["https://news.example/1"])
        assert store.db.execute("SELECT text FROM articles WHERE url = ?", ("https://news.example/1",)) == [
            ("Story 1.",)
        ]


def test_bad_postgres_url_is_a_clear_error():
    with pytest.raises(InputError, match="cannot connect"):
        Store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_create_adds_columns_to_an_older_store(db_url: str):
    conn = sqlite3.connect(db_url)
    conn.execute(
        "CREATE TABLE articles (id TEXT PRIMARY KEY, key_kind TEXT NOT NULL, url TEXT, site TEXT, title TEXT, "
        "text TEXT NOT NULL, content_hash TEXT NOT NULL, published TEXT, authors TEXT NOT NULL, "
        "source_kind TEXT NOT NULL, origin TEXT NOT NULL, ingested_at TEXT NOT NULL, language TEXT, "
        "analyzed_version TEXT, report TEXT)"
    )
    conn.execute(
        "CREATE TABLE clusters (cluster_id TEXT NOT NULL, article_id TEXT NOT NULL, is_origin INTEGER NOT NULL, "
        "similarity REAL NOT NULL, alignment TEXT, PRIMARY KEY (cluster_id, article_id))"
    )
    conn.close()
    with Store(db_url) as store:
        store.create()
        store.create()
        assert [row[1] for row in store.db.execute("PRAGMA table_info(clusters)")][-1] == "method"
        assert [row[1] for row in store.db.execute("PRAGMA table_info(articles)")][-1] == "analysis_error"
        store.insert_articles([StoredArticle.of(Article(text="A story."), "file")])
        (article_id,) = store.db.execute("SELECT id FROM articles")[0]
        store.save_failure(article_id, "parse failed", "0.0")
        assert store.db.execute("SELECT analysis_error FROM articles") == [("parse failed",)]


def test_store_has_the_indexes_the_web_lists_walk(store: Store):
    from newsift.web.queries import SORT_INDEXES

    names = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(SORT_INDEXES.values()) <= names
    assert "entities_canonical_lower" in names

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsift.corpus.store import Store


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return str(tmp_path / "corpus.db")


@pytest.fixture
def store(db_url: str):
    with Store(db_url) as s:
        s.create()
        yield s


TABLES = (
    "meta, claim_vectors, sentence_vectors, claim_clusters, clusters, fact_checks, sources, entities, techniques, "
    "attributions, claims, articles"
)


def fresh_postgres_url() -> str:
    """The test server's URL, its newsift tables dropped first (the test is skipped without a server)."""
    url = os.environ.get("NEWSIFT_TEST_POSTGRES")
    if not url:
        pytest.skip("no PostgreSQL server: set NEWSIFT_TEST_POSTGRES=postgresql://...")
    with Store(url) as store:
        store.db.execute(f"DROP TABLE IF EXISTS {TABLES} CASCADE")
    return url


@pytest.fixture
def write_jsonl(tmp_path: Path):
    """Write records as a JSON Lines file under tmp_path; returns its path."""

    def write(name: str, records: list[dict]) -> Path:
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return path

    return write


@pytest.fixture
def postgres_url() -> str:
    return fresh_postgres_url()

"""Fixtures for the web tests: a small corpus in a SQLite store and a TestClient over the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsift.web import create_app
from tests.web.corpus import sample_specs, store_specs


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[str, list[str]]:
    """(db url, article ids) of the sample corpus."""
    db = str(tmp_path / "web.db")
    return db, store_specs(db, sample_specs())


@pytest.fixture
def client(corpus) -> TestClient:
    return TestClient(create_app(corpus[0]), raise_server_exceptions=False)


def csrf_of(client: TestClient) -> str:
    """The CSRF token the app gave this client (a page is loaded first if needed)."""
    if "newsift_csrf" not in client.cookies:
        client.get("/analyze")
    return client.cookies["newsift_csrf"]

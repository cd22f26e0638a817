"""The pages and the API over a PostgreSQL store (skipped without $NEWSIFT_TEST_POSTGRES)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsift.web import create_app
from newsift.web.app import _link, article_link
from tests.corpus.conftest import fresh_postgres_url
from tests.web.corpus import sample_specs, store_specs

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_client():
    url = fresh_postgres_url()
    ids = store_specs(url, sample_specs())
    return TestClient(create_app(url), raise_server_exceptions=False), ids


def test_pages_over_postgres(pg_client):
    client, ids = pg_client
    paths = [
        "/",
        "/articles",
        "/articles?q=bridge",
        "/articles?q=bridge&sort=oldest&entity=kyiv",
        article_link(ids[0]),
        "/clusters",
        _link("/clusters", ids[0]),
        "/entities",
        "/places/Kherson",
        f"/claim?article={ids[0]}&claim=c0",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
    found = client.get("/api/articles", params={"q": "bridge", "sort": "oldest"}).json()
    assert [a["title"] for a in found["items"]] == [
        "Bridge destroyed in overnight shelling",
        "Bridge hit, four dead",
        "Shelling destroys bridge",
    ]
    assert client.get("/api/articles", params={"technique": "Loaded_Language"}).json()["total"] == 1
    assert client.get("/api/entities/Kherson").json()["total"] == 3
    assert client.get("/articles/nope").status_code == 404

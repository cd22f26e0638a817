"""Bad input gets one clear response each: unknown ids, malformed parameters, a 50 MB upload, a URL that
is not an article, and writes to the store while people browse."""

from __future__ import annotations

import http.server
import threading
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient

from newsift import __version__
from newsift.corpus.store import Store, StoredArticle
from newsift.document import Article
from newsift.web import create_app
from tests.web.conftest import csrf_of
from tests.web.corpus import Spec, make_report

MB = 1024 * 1024


def assert_page(response, status: int, words: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert words in unescape(response.text)
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/articles/url:https://nowhere.example/x",
        "/clusters/nope",
        "/entities/Nobody",
        "/places/Atlantis",
        "/no/such/page",
        "/static/nope.css",
    ],
)
def test_unknown_ids_are_404_pages(client, path):
    assert_page(client.get(path), 404, "Not found")


@pytest.mark.parametrize("path", ["/api/articles/nope", "/api/clusters/nope", "/api/entities/Nobody"])
def test_unknown_ids_in_the_api_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize(
    "query, words",
    [
        ({"page": "abc"}, "page: Input should be a valid integer"),
        ({"page": "0"}, "page: Input should be greater than or equal to 1"),
        ({"per_page": "100000"}, "per_page: Input should be less than or equal to 100"),
        ({"since": "yesterday"}, "since: String should match pattern"),
        ({"until": "2026-02-30"}, "is not a date"),
        ({"technique": "Mind_Control"}, "technique: unknown value 'Mind_Control'"),
        ({"source_kind": "aliens"}, "source_kind: unknown value"),
        ({"sort": "title; DROP TABLE articles"}, "sort: String should match pattern"),
        ({"q": "***"}, "has no words to search for"),
        ({"q": "x" * 600}, "q: String should have at most 500 characters"),
    ],
)
def test_malformed_query_parameters(client, query, words):
    assert_page(client.get("/articles", params=query), 400, words)
    assert client.get("/api/articles", params=query).status_code in (400, 422)


def test_search_syntax_is_not_sql_or_fts(client):
    for q in ['"unbalanced', "NEAR(bridge shelling)", "bridge AND", "-bridge", "title:bridge", "a' OR '1'='1"]:
        response = client.get("/articles", params={"q": q})
        assert response.status_code in (200, 400), q
        assert "Traceback" not in response.text


def test_fifty_megabyte_upload_is_refused(client):
    csrf = csrf_of(client)
    big = b"word " * (10 * MB)
    response = client.post("/analyze", data={"csrf": csrf}, files={"file": ("big.txt", big, "text/plain")})
    assert_page(response, 413, "larger than the upload cap of 5,000,000 bytes")
    api = client.post("/api/analyze", content=b'{"text": "' + big + b'"}', headers={"content-type": "application/json"})
    assert api.status_code == 413 and "upload cap" in api.json()["detail"]


def test_chunked_body_over_the_cap_is_cut(corpus):
    client = TestClient(create_app(corpus[0], max_upload_bytes=1000), raise_server_exceptions=False)
    csrf = csrf_of(client)

    def chunks():
        yield f"csrf={csrf}&text=".encode()
        for _ in range(100):
            yield b"a" * 100

    response = client.post("/analyze", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert_page(response, 413, "upload cap of 1,000 bytes")


class _Server(http.server.BaseHTTPRequestHandler):
    pages = {
        "/logo.png": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
        "/menu.html": ("text/html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
    }

    def do_GET(self):
        content_type, body = self.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_non_article_urls(corpus, local_site):
    client = TestClient(create_app(corpus[0], allow_private=True), raise_server_exceptions=False)
    csrf = csrf_of(client)
    image = client.post("/analyze", data={"csrf": csrf, "url": f"{local_site}/logo.png"})
    assert_page(image, 400, "not an article (content type image/png)")
    menu = client.post("/api/analyze", json={"url": f"{local_site}/menu.html"})
    assert menu.status_code == 400 and menu.json()["detail"]
    not_url = client.post("/api/analyze", json={"url": "file:///etc/passwd"})
    assert not_url.status_code == 400 and "not an http(s) URL" in not_url.json()["detail"]


def test_private_addresses_are_not_fetched_by_default(client, local_site):
    response = client.post("/api/analyze", json={"url": f"{local_site}/menu.html"})
    assert response.status_code == 400 and "127.0.0.1" in response.json()["detail"]


def test_one_input_at_a_time(client):
    response = client.post("/api/analyze", json={"text": "Some text here.", "url": "https://example.org/a"})
    assert response.status_code == 400 and "exactly one of" in response.json()["detail"]
    assert client.post("/api/analyze", json={}).status_code == 400


def _writer(db: str, stop: threading.Event, written: list[int]) -> None:
    with Store(db) as store:
        n = 0
        while not stop.is_set() and n < 200:
            text = f"Report number {n}: the council in Lviv approved the budget on Tuesday."
            article = Article(
                text=text,
                title=f"Budget {n}",
                url=f"https://writer.example/{n}",
                published=date(2026, 6, 1),
                origin="writer",
            )
            item = StoredArticle.of(article, "file")
            store.insert_articles([item])
            spec = Spec(
                text,
                article.title,
                article.url,
                "2026-06-01",
                entities=[("Lviv", "GPE")],
                claims=[("the council in Lviv approved the budget", "unattributed", 0.5)],
            )
            store.save_report(item.id, make_report(article, spec), __version__)
            n += 1
            written.append(n)


def test_concurrent_writes_while_browsing(client, corpus):
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(corpus[0], stop, written))
    writer.start()
    try:
        statuses = []
        for i in range(40):
            for path in (
                "/",
                "/articles?q=budget",
                "/articles?entity=Lviv",
                "/api/articles?sort=newest",
                "/entities/Lviv",
            ):
                response = client.get(path)
                statuses.append(response.status_code)
                assert response.status_code in (200, 404), (path, response.text[:200])
            if i == 20:
                assert written, "the writer made no progress while pages were read"
    finally:
        stop.set()
        writer.join()
    total = client.get("/api/articles").json()["total"]
    assert total == 5 + len(written)
    assert statuses.count(200) >= len(statuses) - 1  # /entities/Lviv may be read before the first write


def test_read_only_store_is_served(corpus, tmp_path):
    db, ids = corpus
    client = TestClient(create_app(f"file:{db}?mode=ro"), raise_server_exceptions=False)
    assert client.get("/articles", params={"q": "bridge"}).status_code == 200
    assert client.get("/api/articles/" + ids[3]).json()["title"] == "Grain exports rise"
    csrf = csrf_of(client)
    refused = client.post("/analyze", data={"csrf": csrf, "text": "A short article about the harbour.", "keep": "1"})
    assert refused.status_code == 400 and "read-only" in refused.text


def test_read_only_store_without_the_list_indexes_is_searched(corpus):
    import sqlite3

    from newsift.web.queries import SORT_INDEXES

    db, _ = corpus
    conn = sqlite3.connect(db)
    for index in set(SORT_INDEXES.values()):  # as a store made by an older newsift has them
        conn.execute(f"DROP INDEX {index}")
    conn.commit()
    conn.close()
    client = TestClient(create_app(f"file:{db}?mode=ro"), raise_server_exceptions=False)
    for sort in ("newest", "title", "site"):
        page = client.get("/articles", params={"q": "bridge", "sort": sort})
        assert page.status_code == 200 and "Traceback" not in page.text


def test_internal_errors_show_no_traceback(client, monkeypatch):
    from newsift.web import queries

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail /etc/passwd")

    monkeypatch.setattr(queries, "dashboard", broken)
    page = client.get("/")
    assert page.status_code == 500 and "internal error (RuntimeError)" in page.text
    assert "secret detail" not in page.text and "Traceback" not in page.text

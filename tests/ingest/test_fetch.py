"""URL input against a real HTTP server on loopback (the only address tests may use)."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsift.errors import InputError
from newsift.ingest import load
from newsift.ingest.fetch import check_host

PAGE = (b"<html><head><title>Port reopens</title></head><body><article><p>The port of Odesa reopened on "
        b"Monday after three days of repairs, the regional administration said in a statement.</p>"
        b"</article></body></html>")


class Handler(BaseHTTPRequestHandler):
    routes = {
        "/article": ("text/html; charset=utf-8", PAGE),
        "/big": ("text/html", b"<p>" + b"x" * 5000 + b"</p>"),
        "/image": ("image/png", b"\x89PNG\r\n\x1a\n"),
    }

    def do_GET(self):  # noqa: N802 - http.server API
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path not in self.routes:
            self.send_error(404)
            return
        ctype, body = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_loopback_refused_by_default(server):
    with pytest.raises(InputError, match="non-public address 127.0.0.1"):
        load(server + "/article")


@pytest.mark.parametrize("url", ["http://10.1.2.3/", "http://192.168.0.1/a", "http://169.254.169.254/latest",
                                 "http://[::1]/", "http://0.0.0.0/"])
def test_private_and_link_local_refused(url):
    with pytest.raises(InputError, match="non-public"):
        check_host(url, allow_private=False)


def test_fetch_with_allow_private(server):
    (article,) = load(server + "/article", allow_private=True)
    assert "port of Odesa reopened" in article.text
    assert article.title == "Port reopens"


def test_redirect_followed(server):
    (article,) = load(server + "/redirect", allow_private=True)
    assert "Odesa" in article.text


def test_size_cap(server):
    with pytest.raises(InputError, match="larger than the cap"):
        load(server + "/big", allow_private=True, max_bytes=1000)


def test_not_an_article(server):
    with pytest.raises(InputError, match="not an article"):
        load(server + "/image", allow_private=True)


def test_http_error(server):
    with pytest.raises(InputError, match="HTTP 404"):
        load(server + "/missing", allow_private=True)


def test_unreachable():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="unreachable|connection failed"):
        load(f"http://127.0.0.1:{port}/", allow_private=True)


def test_unresolvable_host():
    with pytest.raises(InputError, match="cannot resolve"):
        load("http://no-such-host.invalid/article")


def test_only_http_schemes():
    with pytest.raises(InputError, match="only http"):
        check_host("ftp://example.org/a", allow_private=True)

"""The web workbench: a FastAPI app over the corpus store, with server-rendered pages (Jinja2, autoescaped)
and a REST API under ``/api``. Every asset is served by the app itself; nothing loads from elsewhere.

``create_app(db_url, token=None)`` builds it; ``newsift serve`` runs it with uvicorn.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsift import __version__
from newsift.corpus.store import Store
from newsift.errors import InputError
from newsift.ingest.text import DEFAULT_MAX_BYTES
from newsift.web.security import CSRF_COOKIE, BodyTooLarge, Guard, Refused, new_csrf

log = logging.getLogger("newsift.web")


@dataclass
class Settings:
    """How the app runs: its store, write token, upload cap, and whether URL analysis may fetch private
    addresses."""

    db_url: str
    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_BYTES
    allow_private: bool = False


class Stores:
    """One store connection per worker thread (SQLite connections stay in the thread that made them)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.url)
        return store


class Snapshots:
    """Corpus-wide aggregates (dashboard, entity lists), reused for ``ttl`` seconds while the number of
    articles is unchanged: new articles show at once, new analyses within ``ttl``."""

    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._values: dict[str, tuple[int, float, Any]] = {}

    def get(self, name: str, store: Store, compute: Callable[[Store], Any]) -> Any:
        articles = store.count()
        with self._lock:
            cached = self._values.get(name)
        if cached and cached[0] == articles and time.monotonic() - cached[1] < self.ttl:
            return cached[2]
        value = compute(store)
        with self._lock:
            self._values[name] = (articles, time.monotonic(), value)
        return value


def _link(prefix: str, key: str) -> str:
    return f"{prefix}/{quote(key, safe='')}"


def article_link(article_id: str) -> str:
    return _link("/articles", article_id)


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` of ``params`` updated with ``changes``, empty values left out (shareable URLs)."""
    merged = {**params, **changes}
    clean = {k: v for k, v in merged.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([PackageLoader("newsift.web", "templates"), PackageLoader("newsift.render", "templates")]),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        article_href=article_link,
        entity_href=lambda key: _link("/entities", key),
        place_href=lambda key: _link("/places", key),
        cluster_href=lambda key: _link("/clusters", key),
        query_string=query_string,
        version=__version__,
    )
    return env


def page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A rendered page. The CSRF cookie is set on first visit and its value given to the forms."""
    csrf = request.cookies.get(CSRF_COOKIE) or new_csrf()
    settings: Settings = request.app.state.settings
    html = (
        environment()
        .get_template(template)
        .render(request=request, csrf=csrf, token_required=settings.token is not None, **context)
    )
    response = HTMLResponse(html, status_code=status)
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
    return response


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def error_response(request: Request, status: int, message: str) -> Response:
    """The error as JSON under /api, else as a page."""
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return page(request, "error.html.j2", {"status": status, "message": message}, status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing here: {request.url.path}"
        return error_response(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        status = 422 if wants_json(request) else 400
        return error_response(request, status, _validation_message(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        status = 503 if "locked" in str(exc) else 400
        return error_response(request, status, str(exc))

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        return error_response(request, 413, str(exc))

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return error_response(request, exc.status, exc.reason)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return error_response(request, 500, f"internal error ({type(exc).__name__}); the server log has details")


STATIC = {
    "web.css": ("newsift.web", "static/web.css", "text/css"),
    "web.js": ("newsift.web", "static/web.js", "text/javascript"),
    "report.css": ("newsift.render", "templates/report.css", "text/css"),
    "report.js": ("newsift.render", "templates/report.js", "text/javascript"),
}


@lru_cache(maxsize=len(STATIC))
def static_asset(name: str) -> tuple[bytes, str]:
    package, path, media_type = STATIC[name]
    return files(package).joinpath(path).read_bytes(), media_type


def _prepare(db_url: str) -> None:
    """Create the store's tables and indexes; a read-only store is served as it is (the pages read it;
    changes are refused with the database's message)."""
    with Store(db_url) as store:
        try:
            store.create()
        except InputError as exc:
            if "read-only" not in str(exc):
                raise
            log.warning("serving a read-only store: %s", exc)


def create_app(
    db_url: str,
    token: str | None = None,
    *,
    max_upload_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """The web app over the store at ``db_url`` (created if missing). With a ``token``, every write needs
    it (see :mod:`newsift.web.security`); with ``allowed_hosts``, other Host headers are refused."""
    from newsift.web import api, pages

    settings = Settings(db_url, token or None, max_upload_bytes, allow_private)
    _prepare(db_url)
    app = FastAPI(
        title="newsift",
        version=__version__,
        description="Anchored analysis of news articles and a corpus store: articles, search, claims, "
        "rewrite clusters, entities, export.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.stores = Stores(db_url)
    app.state.snapshots = Snapshots()
    _install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC:
            raise HTTPException(404, f"no asset {name}")
        body, media_type = static_asset(name)
        return Response(body, media_type=media_type, headers={"Cache-Control": "public, max-age=3600"})

    def on_refused(scope, refused: Refused):
        async def respond(scope, receive, send):
            await error_response(Request(scope, receive), refused.status, refused.reason)(scope, receive, send)

        return respond

    app.add_middleware(Guard, cap=max_upload_bytes, token=settings.token, on_refused=on_refused)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    return app

"""The HTML pages: dashboard, article list, article view, analysis of a pasted/uploaded/fetched article,
rewrite clusters, entities and places, sign-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from newsift.corpus.store import Store
from newsift.labels import SOURCE_KINDS, TECHNIQUES
from newsift.render.html import report_context
from newsift.web import analysis, queries
from newsift.web.app import Settings, article_link, page
from newsift.web.params import ArticleQuery, article_query
from newsift.web.security import CSRF_COOKIE, TOKEN_COOKIE, check_form_csrf, same

router = APIRouter(include_in_schema=False)
FORM_FIELDS = 20


def store_of(request: Request) -> Store:
    return request.app.state.stores.get()


StoreDep = Annotated[Store, Depends(store_of)]


def snapshot(request: Request, store: Store, name: str, compute):
    """``compute(store)``, reused while the corpus is unchanged (:class:`newsift.web.app.Snapshots`)."""
    return request.app.state.snapshots.get(name, store, compute)


@router.get("/")
def dashboard(request: Request, store: StoreDep) -> Response:
    return page(request, "dashboard.html.j2", {"d": snapshot(request, store, "dashboard", queries.dashboard)})


@router.get("/articles")
def articles(request: Request, store: StoreDep, aq: Annotated[ArticleQuery, Depends(article_query)]) -> Response:
    result = queries.list_articles(store, aq.q, aq.filters, aq.sort, aq.page, aq.per_page)
    return page(
        request,
        "articles.html.j2",
        {
            "aq": aq,
            "params": aq.params(),
            "result": result,
            "techniques": TECHNIQUES,
            "source_kinds": SOURCE_KINDS,
            "sorts": [queries.RELEVANCE, *queries.SORTS],
        },
    )


@router.get("/articles/{article_id:path}")
def article(request: Request, store: StoreDep, article_id: str) -> Response:
    view = queries.get_article(store, article_id)
    if view is None:
        raise HTTPException(404, f"no article with id {article_id!r} in this corpus")
    context = report_context(view.report) if view.report else {}
    return page(request, "article.html.j2", {"view": view, **context})


@router.get("/claim")
def claim(request: Request, store: StoreDep, article: str, claim: str) -> Response:
    trace = queries.trace_claim(store, article, claim)
    if trace is None:
        raise HTTPException(404, f"no claim {claim!r} in article {article!r}")
    return page(request, "claim.html.j2", {"t": trace})


@router.get("/clusters")
def clusters(request: Request, store: StoreDep) -> Response:
    return page(request, "clusters.html.j2", {"clusters": queries.list_clusters(store)})


@router.get("/clusters/{cluster_id:path}")
def cluster(request: Request, store: StoreDep, cluster_id: str, member: str = "") -> Response:
    members = queries.cluster(store, cluster_id)
    if not members:
        raise HTTPException(404, f"no rewrite cluster {cluster_id!r}")
    copies = members[1:]
    shown = next((m for m in copies if m.id == member), copies[0] if copies else None)
    return page(request, "cluster.html.j2", {"members": members, "origin": members[0], "shown": shown})


@router.get("/entities")
def entities(request: Request, store: StoreDep) -> Response:
    def lists(store: Store) -> dict:
        return {
            "entities": queries.top_entities(store, places=False),
            "places": queries.top_entities(store, places=True),
        }

    return page(request, "entities.html.j2", snapshot(request, store, "entities", lists))


def _entity_page(request: Request, store: Store, name: str, kind: str) -> Response:
    view = queries.entity(store, name)
    if view is None:
        raise HTTPException(404, f"no {kind} named {name!r} in this corpus")
    map_svg = queries.place_map(store, name) if kind == "place" else None
    return page(request, "entity.html.j2", {"e": view, "kind": kind, "map_svg": map_svg})


@router.get("/entities/{name:path}")
def entity(request: Request, store: StoreDep, name: str) -> Response:
    return _entity_page(request, store, name, "entity")


@router.get("/places/{name:path}")
def place(request: Request, store: StoreDep, name: str) -> Response:
    return _entity_page(request, store, name, "place")


@router.get("/analyze")
def analyze_form(request: Request) -> Response:
    return page(request, "analyze.html.j2", {})


async def checked_form(request: Request) -> dict:
    """The posted form, once its CSRF field matches the cookie."""
    settings: Settings = request.app.state.settings
    form = await request.form(max_files=1, max_fields=FORM_FIELDS, max_part_size=settings.max_upload_bytes)
    check_form_csrf(request.cookies.get(CSRF_COOKIE), form.get("csrf"))
    return dict(form)


@router.post("/analyze")
async def analyze_submit(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    form = await checked_form(request)
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    sub = analysis.Submission(
        text=str(form.get("text", "")),
        data=data,
        filename=getattr(upload, "filename", "") or "",
        url=str(form.get("url", "")),
        title=str(form.get("title", "")),
        published=str(form.get("published", "")),
    )
    article = await run_in_threadpool(analysis.article_of, sub, settings.max_upload_bytes, settings.allow_private)
    report = await run_in_threadpool(analysis.analyse, article)
    if form.get("keep"):
        article_id = await run_in_threadpool(lambda: analysis.keep(store_of(request), article, report))
        return RedirectResponse(article_link(article_id), status_code=303)
    return page(request, "analysis.html.j2", report_context(report))


@router.get("/login")
def login_form(request: Request) -> Response:
    return page(request, "login.html.j2", {"failed": False})


@router.post("/login")
async def login(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    form = await checked_form(request)
    if settings.token is None:
        return RedirectResponse("/", status_code=303)
    if not same(str(form.get("token", "")), settings.token):
        return page(request, "login.html.j2", {"failed": True}, 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, settings.token, httponly=True, samesite="strict", path="/")
    return response

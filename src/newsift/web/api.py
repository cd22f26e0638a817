"""The REST API under ``/api`` (OpenAPI document at ``/api/openapi.json``): analyse an article, list and
search the corpus, read an article's report, claims, rewrite clusters, entities, and export tables."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsift.corpus.export import EXPORTS, rows, write_csv, write_jsonl, write_parquet
from newsift.corpus.store import Store
from newsift.report import Report
from newsift.web import analysis, queries
from newsift.web.app import Settings
from newsift.web.pages import StoreDep, store_of
from newsift.web.params import MAX_PER_PAGE, ArticleQuery, article_query

router = APIRouter(prefix="/api", tags=["api"])


class AnalyzeRequest(BaseModel):
    """One article: pasted ``text`` (plain text or HTML) or a ``url`` to fetch."""

    text: str = ""
    url: str = ""
    title: str = ""
    published: str = Field("", description="YYYY-MM-DD; resolves relative dates in the text")
    keep: bool = Field(False, description="Also store the article and its report in the corpus")


class AnalyzeResponse(BaseModel):
    report: Report
    article_id: str | None = Field(None, description="The id in the corpus, when kept")


class ArticleList(BaseModel):
    total: int
    total_estimated: bool = Field(False, description="Whether total is an estimate (a large filtered search)")
    page: int
    per_page: int
    unranked_sort: str | None = Field(
        None, description="Set when a search matched too many articles to rank: the order used instead"
    )
    items: list[queries.ArticleRow]


class StoredArticle(BaseModel):
    id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    language: str | None
    text: str
    rewrite_cluster: str | None
    report: Report | None


class ClusterSummary(BaseModel):
    id: str
    origin_title: str | None
    size: int


class AlignmentStep(BaseModel):
    op: str
    origin: str
    copy_text: str = Field(alias="copy")


class ClusterMember(BaseModel):
    id: str
    title: str | None
    site: str | None
    published: str | None
    similarity: float
    is_origin: bool
    method: str | None = None
    diff: list[AlignmentStep]


class Count(BaseModel):
    name: str
    articles: int


class EntityDetail(BaseModel):
    name: str
    labels: list[str]
    total: int
    articles: list[queries.ArticleRow]
    together: list[Count]
    per_month: list[Count]


def _counts(pairs: list[tuple[str, int]]) -> list[Count]:
    return [Count(name=n, articles=c) for n, c in pairs]


@router.post("/analyze", response_model=AnalyzeResponse)
async def analyze(request: Request, body: AnalyzeRequest) -> AnalyzeResponse:
    """Analyse one article; with ``keep``, store it in the corpus too."""
    settings: Settings = request.app.state.settings
    sub = analysis.Submission(text=body.text, url=body.url, title=body.title, published=body.published)
    article = await run_in_threadpool(analysis.article_of, sub, settings.max_upload_bytes, settings.allow_private)
    report = await run_in_threadpool(analysis.analyse, article)
    article_id = (
        await run_in_threadpool(lambda: analysis.keep(store_of(request), article, report)) if body.keep else None
    )
    return AnalyzeResponse(report=report, article_id=article_id)


@router.get("/articles", response_model=ArticleList)
def articles(store: StoreDep, aq: Annotated[ArticleQuery, Depends(article_query)]) -> ArticleList:
    """The article list: full-text search, filters, sort and pages, as on the /articles page."""
    result = queries.list_articles(store, aq.q, aq.filters, aq.sort, aq.page, aq.per_page)
    return ArticleList(
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        unranked_sort=result.unranked_sort,
        total_estimated=result.estimated,
        items=result.rows,
    )


@router.get("/articles/{article_id:path}", response_model=StoredArticle)
def article(store: StoreDep, article_id: str) -> StoredArticle:
    """One stored article with its report (``null`` until analysed)."""
    view = queries.get_article(store, article_id)
    if view is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    fields = {
        f.name: getattr(view, f.name) for f in dataclasses.fields(view) if f.name not in ("cluster", "cluster_size")
    }
    return StoredArticle(**fields, rewrite_cluster=view.cluster)


@router.get("/search", response_model=list[queries.ArticleRow])
def search(store: StoreDep, aq: Annotated[ArticleQuery, Depends(article_query)]) -> list[queries.ArticleRow]:
    """The first ``per_page`` articles for ``q``, best first (the article list's search, items only)."""
    return queries.list_articles(store, aq.q, aq.filters, aq.sort, 1, aq.per_page).rows


@router.get("/claims", response_model=list[queries.ClaimRow])
def claims(
    store: StoreDep,
    article_id: Annotated[str, Query(max_length=2000)] = "",
    sourcing: Annotated[str, Query(pattern="^(named|anonymous|unattributed)?$")] = "",
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    limit: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[queries.ClaimRow]:
    """Stored claims, most check-worthy first."""
    return queries.claims(store, article_id or None, sourcing or None, min_score, limit, offset)


class ClaimTrace(BaseModel):
    claim: queries.ClaimRow
    outlets: list[str]
    carriers: list[queries.Carrier]
    cluster: list[queries.ClusterClaim] = Field(description="The claim cluster, first seen first (may be empty)")


@router.get("/claims/trace", response_model=ClaimTrace)
def claim_trace(store: StoreDep, article_id: str, claim_id: str) -> ClaimTrace:
    """One claim across the corpus: the articles carrying its words (oldest first), with their outlets
    and how each sources it."""
    trace = queries.trace_claim(store, article_id, claim_id)
    if trace is None:
        raise HTTPException(404, f"no claim {claim_id!r} in article {article_id!r}")
    return ClaimTrace(claim=trace.claim, outlets=trace.outlets, carriers=trace.carriers, cluster=trace.cluster)


@router.get("/clusters", response_model=list[ClusterSummary])
def clusters(store: StoreDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[ClusterSummary]:
    """The largest rewrite clusters (id = the origin article's id)."""
    return [ClusterSummary(id=c, origin_title=t, size=n) for c, t, n in queries.list_clusters(store, limit)]


@router.get("/clusters/{cluster_id:path}", response_model=list[ClusterMember])
def cluster(store: StoreDep, cluster_id: str) -> list[ClusterMember]:
    """A rewrite cluster's members, origin first, each copy with its sentence diff against the origin."""
    members = queries.cluster(store, cluster_id)
    if not members:
        raise HTTPException(404, f"no rewrite cluster {cluster_id!r}")
    return [
        ClusterMember(
            **{**dataclasses.asdict(m), "diff": [AlignmentStep(op=d.op, origin=d.origin, copy=d.copy) for d in m.diff]}
        )
        for m in members
    ]


@router.get("/entities", response_model=list[Count])
def entities(
    store: StoreDep,
    places: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[Count]:
    """The most mentioned entities (or, with ``places``, places), by number of articles."""
    return _counts(queries.top_entities(store, places=places, limit=limit))


@router.get("/entities/{name:path}", response_model=EntityDetail)
def entity(store: StoreDep, name: str) -> EntityDetail:
    """Where an entity appears, with whom, and when."""
    view = queries.entity(store, name)
    if view is None:
        raise HTTPException(404, f"no entity named {name!r}")
    return EntityDetail(
        name=view.name,
        labels=view.labels,
        total=view.total,
        articles=view.articles,
        together=_counts(view.together),
        per_month=_counts(view.per_month),
    )


def _write_export(store: Store, what: str, fmt: str) -> str:
    """Write the export to a temporary file (memory stays bounded); its path."""
    suffix = f".{fmt}"
    handle, path = tempfile.mkstemp(prefix="newsift-export-", suffix=suffix)
    os.close(handle)
    try:
        records = rows(store, what)
        if fmt == "parquet":
            write_parquet(records, EXPORTS[what], path)
        else:
            with open(path, "w", encoding="utf-8", newline="") as out:
                write_csv(records, EXPORTS[what], out) if fmt == "csv" else write_jsonl(records, out)
    except BaseException:
        os.unlink(path)
        raise
    return path


@router.get("/export", response_class=FileResponse)
def export(
    store: StoreDep,
    what: Literal["articles", "claims", "attributions", "techniques", "entities", "clusters"] = "articles",
    format: Literal["csv", "jsonl", "parquet"] = "jsonl",
) -> FileResponse:
    """One table of the store as CSV, JSON Lines or Parquet."""
    path = _write_export(store, what, format)
    media = {"csv": "text/csv", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}
    return FileResponse(
        path, media_type=media[format], filename=f"{what}.{format}", background=BackgroundTask(os.unlink, path)
    )

"""Analyse the stored articles that have no report yet, or a report from an older newsift, page by page
(memory stays bounded by one page of articles), storing each report and its layer rows as it goes."""

from __future__ import annotations

from collections.abc import Callable

from newsift import __version__
from newsift.corpus.store import Store
from newsift.engines.work import article_of
from newsift.pipeline import Pipeline, default_pipeline

PAGE_SIZE = 50


def pending_count(store: Store, version: str = __version__) -> int:
    return store.count("WHERE analyzed_version IS NULL OR analyzed_version <> ?", (version,))


def analyze_pending(
    store: Store,
    pipeline: Pipeline | None = None,
    limit: int | None = None,
    on_article: Callable[[str], None] | None = None,
    version: str = __version__,
) -> int:
    """Analyse up to ``limit`` articles (all if ``None``) not analysed by ``version``; the number analysed."""
    pipeline = pipeline or default_pipeline()
    done = 0
    while limit is None or done < limit:
        size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - done)
        page = store.pending_analysis(version, size)
        if not page:
            break
        for row in page:
            article_id = row[0]
            store.save_report(article_id, pipeline(article_of(row)), version)
            done += 1
            if on_article:
                on_article(article_id)
    return done

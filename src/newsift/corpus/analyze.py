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
    failures: list[str] | None = None,
) -> int:
    """Analyse up to ``limit`` articles (all if ``None``) not analysed by ``version``; the number done.
    An article the pipeline fails on is recorded (``analysis_error``) and its id added to ``failures``, so
    one bad article never blocks the rest."""
    pipeline = pipeline or default_pipeline()
    done = 0
    while limit is None or done < limit:
        size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - done)
        page = store.pending_analysis(version, size)
        if not page:
            break
        for row in page:
            article_id = row[0]
            try:
                report = pipeline(article_of(row))
            except Exception as exc:  # any analyser bug must not stop a corpus run
                store.save_failure(article_id, f"{type(exc).__name__}: {exc}", version)
                if failures is not None:
                    failures.append(article_id)
            else:
                store.save_report(article_id, report, version)
            done += 1
            if on_article:
                on_article(article_id)
    return done

"""Fact-check matches for the claims of every analysed article in the store: each claim's best already
fact-checked claims go into the stored report (``claims[].fact_checks``) and the ``fact_checks`` table.
"""

from __future__ import annotations

from newsift.corpus.store import Store
from newsift.factchecks.match import Matcher
from newsift.report import Report

PAGE_SIZE = 200


def match_stored_claims(store: Store, matcher: Matcher, k: int = 3) -> tuple[int, int]:
    """Match every stored claim; returns (claims matched to at least one check, claims seen)."""
    matched = seen = 0
    last = ""
    while True:
        page = store.db.execute(
            "SELECT id, report FROM articles WHERE report IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
            (last, PAGE_SIZE),
        )
        if not page:
            return matched, seen
        for article_id, report_json in page:
            report = Report.model_validate_json(report_json)
            found = matcher.matches([c.text for c in report.claims], k=k)
            rows = []
            for claim, matches in zip(report.claims, found, strict=True):
                claim.fact_checks = matches
                rows.extend(
                    (article_id, claim.id, n, m.claim, m.rating, m.url, m.score)
                    for n, m in enumerate(matches)
                )
                matched += bool(matches)
            seen += len(report.claims)
            with store.db.transaction():
                store.db.execute("DELETE FROM fact_checks WHERE article_id = ?", (article_id,))
                if rows:
                    store.db.executemany("INSERT INTO fact_checks VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                store.db.execute(
                    "UPDATE articles SET report = ? WHERE id = ?", (report.model_dump_json(), article_id)
                )
        last = page[-1][0]

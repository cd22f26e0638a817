"""Already fact-checked claims and the CheckThat! 2020 Task 2 files (queries, qrels, runs)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsift.errors import InputError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class VerifiedClaim:
    """A claim a fact-checker has already rated: what was claimed, the check's headline and verdict."""

    id: str
    claim: str
    title: str | None = None
    rating: str | None = None
    url: str | None = None
    date: str | None = None
    publisher: str | None = None
    keywords: list[str] = field(default_factory=list)

    @property
    def search_text(self) -> str:
        """The text a query is matched against: the claim and the check's title."""
        return f"{self.claim} {self.title}" if self.title else self.claim


@dataclass
class Query:
    """A text to find already-checked claims for (a tweet, a claim sentence)."""

    id: str
    text: str


def read_tsv_rows(path: str | Path, columns: int) -> Iterator[list[str]]:
    """Rows of a tab-separated file written with CSV quoting; the header row is skipped."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh, delimiter="\t")
            next(rows, None)
            for lineno, row in enumerate(rows, start=2):
                if len(row) < columns:
                    raise InputError(f"{path}: row {lineno} has {len(row)} columns, expected {columns}")
                yield row
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def read_checkthat_vclaims(path: str | Path) -> list[VerifiedClaim]:
    """``verified_claims.docs.tsv``: ``vclaim_id<TAB>vclaim<TAB>title`` with a header row."""
    return [VerifiedClaim(id=r[0], claim=r[1], title=r[2] or None) for r in read_tsv_rows(path, 3)]


def read_queries(path: str | Path) -> list[Query]:
    """``tweets.queries.tsv``: ``tweet_id<TAB>tweet_content`` with a header row."""
    return [Query(id=r[0], text=r[1]) for r in read_tsv_rows(path, 2)]


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """``tweet-vclaim-pairs.qrels`` (``tweet_id<TAB>0<TAB>vclaim_id<TAB>1``, no header): query -> relevant."""
    qrels: dict[str, set[str]] = {}
    try:
        with Path(path).open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 4 and parts[3] != "0":
                    qrels.setdefault(parts[0], set()).add(parts[2])
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    return qrels


def run_lines(ranking: dict[str, list[tuple[str, float]]], tag: str) -> Iterable[str]:
    """CheckThat! 2020 Task 2 run lines: ``query_id<TAB>Q0<TAB>vclaim_id<TAB>rank<TAB>score<TAB>tag``."""
    for qid, hits in ranking.items():
        for rank, (vid, score) in enumerate(hits, start=1):
            yield f"{qid}\tQ0\t{vid}\t{rank}\t{score:.6f}\t{tag}"


def read_run(path: str | Path) -> dict[str, list[str]]:
    """A run file as query -> vclaim ids in rank order."""
    rows: dict[str, list[tuple[int, str]]] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split("\t")
            if len(parts) >= 4:
                rows.setdefault(parts[0], []).append((int(parts[3]), parts[2]))
    return {q: [v for _, v in sorted(hits)] for q, hits in rows.items()}

"""Export store tables as CSV, JSON Lines or Parquet, streamed in batches (memory bounded by one batch)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from newsift.corpus.store import Store

BATCH_ROWS = 5000

EXPORTS: dict[str, tuple[str, ...]] = {
    "articles": (
        "id",
        "url",
        "site",
        "title",
        "published",
        "language",
        "source_kind",
        "origin",
        "analyzed_version",
        "text",
    ),
    "claims": (
        "article_id",
        "claim_id",
        "start_char",
        "end_char",
        "text",
        "checkworthiness",
        "sourcing",
        "source_name",
        "source_kind",
    ),
    "attributions": (
        "article_id",
        "attribution_id",
        "source_name",
        "source_kind",
        "cue",
        "content",
        "start_char",
        "end_char",
        "direct",
    ),
    "techniques": ("article_id", "technique", "start_char", "end_char", "text", "score"),
    "entities": ("article_id", "entity_id", "label", "canonical", "mentions"),
    "factchecks": ("article_id", "claim_id", "n", "checked_claim", "rating", "url", "score"),
    "clusters": ("cluster_id", "article_id", "is_origin", "method", "similarity", "alignment"),
    "claim-clusters": (
        "cluster_id",
        "position",
        "article_id",
        "claim_id",
        "text",
        "site",
        "published",
        "sourcing",
        "source_name",
    ),
}
# (table, ORDER BY) of each export
_SOURCES = {
    "articles": ("articles", "id"),
    "claims": ("claims", "article_id, start_char, claim_id"),
    "attributions": ("attributions", "article_id, start_char, attribution_id"),
    "techniques": ("techniques", "article_id, n"),
    "entities": ("entities", "article_id, entity_id"),
    "factchecks": ("fact_checks", "article_id, claim_id, n"),
    "clusters": ("clusters", "cluster_id, is_origin DESC, article_id"),
    "claim-clusters": (
        "claim_clusters k JOIN claims c ON c.article_id = k.article_id AND c.claim_id = k.claim_id "
        "JOIN articles a ON a.id = k.article_id",
        "k.cluster_id, k.position",
    ),
}
# qualified select lists where column names alone would be ambiguous
_SELECT = {
    "claim-clusters": "k.cluster_id, k.position, k.article_id, k.claim_id, c.text, a.site, a.published, "
    "c.sourcing, c.source_name",
}


def rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """The rows of one export, as dicts over :data:`EXPORTS` ``[what]``, in a stable order."""
    columns = EXPORTS[what]
    table, order = _SOURCES[what]
    select = _SELECT.get(what, ", ".join(columns))
    for row in store.db.iterate(f"SELECT {select} FROM {table} ORDER BY {order}"):
        yield dict(zip(columns, row, strict=True))


def write_csv(records: Iterator[dict[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow(record)
        n += 1
    return n


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


INTEGER_COLUMNS = {"start_char", "end_char", "mentions", "is_origin", "direct", "n", "position"}
FLOAT_COLUMNS = {"checkworthiness", "score", "similarity"}


def write_parquet(records: Iterator[dict[str, Any]], columns: tuple[str, ...], path: str) -> int:
    """Write row groups of :data:`BATCH_ROWS` rows with a fixed schema (integers, floats, strings)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            (c, pa.int64() if c in INTEGER_COLUMNS else pa.float64() if c in FLOAT_COLUMNS else pa.string())
            for c in columns
        ]
    )
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        while batch := list(islice(records, BATCH_ROWS)):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n

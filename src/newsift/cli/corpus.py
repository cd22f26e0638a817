"""``newsift corpus``: ingest many articles into a store, analyse them, search and export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsift.cli import Group, main
from newsift.corpus.claim_clusters import DEFAULT_THRESHOLD

db_option = click.option(
    "--db",
    default="newsift.db",
    show_default=True,
    envvar="NEWSIFT_DB",
    help="SQLite file (WAL mode) or postgresql://user@host/dbname.",
)


def _open(db: str, *, existing: bool = True, writes: bool = False):
    """The store at ``db``; with ``existing``, one that holds a corpus already (it is not created); with
    ``writes``, tables added by newer versions are created."""
    from newsift.corpus.sql import is_postgres
    from newsift.corpus.store import Store
    from newsift.errors import InputError

    if existing and not is_postgres(db) and not db.startswith("file:") and not Path(db).is_file():
        raise InputError(f"{db}: no such database; add articles with `newsift corpus ingest --db {db}` first")
    store = Store(db)
    if existing:
        try:
            store.require()
            if writes:
                store.create()
        except InputError:
            store.db.close()
            raise
    return store


@main.group("corpus", cls=Group)
def corpus_group() -> None:
    """A store of many articles: ingest, analyse, search, export."""


@corpus_group.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option(
    "--map",
    "mapping",
    metavar="FIELD=COLUMN,...",
    help="CSV columns for text, title, url, site, authors, published (e.g. text=body,title=headline).",
)
@click.option("--max-bytes", type=int, default=None, help="Largest file or download read, in bytes.")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private and loopback addresses.")
def ingest_command(
    sources: tuple[str, ...], db: str, mapping: str | None, max_bytes: int | None, allow_private: bool
) -> None:
    """Add articles from folders, .txt/.html/.json/.jsonl/.csv files, RSS/Atom feeds, WARC files, URL lists
    (.urls, or .txt files of URLs) and URLs. Re-ingesting adds only what is missing."""
    from newsift.corpus.ingest import IngestOptions, ingest, parse_map

    options = IngestOptions(csv_map=parse_map(mapping), allow_private=allow_private)
    if max_bytes:
        options.max_bytes = max_bytes
    with _open(db, existing=False) as store:
        report = ingest(
            store,
            sources,
            options,
            on_batch=_show_progress if sys.stderr.isatty() else None,
        )
    click.echo(f"\r{report.added} added, {report.unchanged} already stored", err=True)
    for note in report.skipped:
        click.echo(f"skipped: {note}", err=True)
    for url in report.conflicts:
        click.echo(f"kept the stored version of {url}: the new copy has different text", err=True)
    for note in report.failed:
        click.echo(f"failed: {note}", err=True)
    if report.failed:
        sys.exit(1)


def _show_progress(report) -> None:
    click.echo(f"\r{report.added} added, {report.unchanged} already stored", err=True, nl=False)


@corpus_group.command("analyze")
@db_option
@click.option("--limit", type=int, default=None, help="Analyse at most this many articles.")
@click.option(
    "--engine",
    "engine_name",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="local: a process pool on this machine; ray: an actor pool on a Ray cluster.",
)
@click.option("--address", help="The Ray cluster's host:port; without it a local Ray is started.")
@click.option("--workers", type=int, help="Worker processes (default: the cores here or the cluster's CPUs).")
@click.option("--batch-size", type=int, default=4, show_default=True, help="Articles per batch.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the reports as Parquet shards in this folder instead of into the store.",
)
@click.option("--retry-failed", is_flag=True, help="Analyse again the articles that failed before.")
@click.option("--worker-memory", type=int, metavar="MB", help="Cap on each worker's heap.")
def analyze_command(db: str, limit: int | None, **engine_options) -> None:
    """Analyse every article not yet analysed (or analysed by an older newsift) and store the reports, on
    this machine's cores or on a Ray cluster. A stopped run resumes where it stopped."""
    from newsift.cli.engines import analyze_corpus

    analyze_corpus(db, limit, **engine_options)


@corpus_group.command("clusters")
@db_option
@click.option("--threshold", default=0.5, show_default=True, help="Least Jaccard similarity of near-copies.")
@click.option(
    "--paraphrase-share",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="Least share of sentences aligned by meaning for a paraphrased rewrite.",
)
@click.option("--paraphrases/--near-copies-only", default=True, show_default=True, help="Look for paraphrases.")
@click.option("--show", default=10, show_default=True, help="Clusters listed.")
def clusters_command(db: str, threshold: float, paraphrase_share: float, paraphrases: bool, show: int) -> None:
    """Recompute the rewrite clusters (near-copies by MinHash, paraphrases by sentence-embedding alignment;
    origin = earliest article) and list the largest."""
    from newsift.corpus.clusters import paraphrase_search, rebuild_clusters

    with _open(db, writes=True) as store:
        search = paraphrase_search(store, paraphrase_share, threads=0) if paraphrases else None
        clusters = rebuild_clusters(store, threshold, search)
    click.echo(f"{len(clusters)} rewrite cluster(s)", err=True)
    if search:
        click.echo(
            f"{search.checked} candidate pair(s) checked by sentence alignment, "
            f"{search.vectors.embedded} sentence(s) embedded",
            err=True,
        )
    for cluster in clusters[:show]:
        click.echo(f"{len(cluster.members)} articles, origin {cluster.origin}")
        for member in cluster.members[1:]:
            date = member.published or "----------"
            click.echo(f"    {member.similarity:.2f}  {member.method:<10}  {date}  {member.article_id}")


@corpus_group.command("claim-clusters")
@db_option
@click.option(
    "--threshold", default=DEFAULT_THRESHOLD, show_default=True, help="Least embedding cosine of two claims."
)
@click.option("--show", default=10, show_default=True, help="Clusters listed.")
def claim_clusters_command(db: str, threshold: float, show: int) -> None:
    """Recompute the claim clusters (the same claim across articles) and list the largest, first seen first,
    with each copy's outlet, date and sourcing."""
    from newsift.corpus.claim_clusters import rebuild_claim_clusters

    with _open(db, writes=True) as store:
        clusters = rebuild_claim_clusters(store, threshold)
    click.echo(f"{len(clusters)} claim cluster(s)", err=True)
    for cluster in clusters[:show]:
        click.echo(
            f"{len(cluster)} copies, first seen {cluster[0].published or 'undated'}: {cluster[0].text}"
        )
        for m in cluster:
            source = f" ({m.source_name})" if m.source_name else ""
            click.echo(f"    {m.published or '----------'}  {m.site or '-'}  {m.sourcing}{source}")


@corpus_group.command("factchecks")
@db_option
@click.option(
    "--claims",
    "claims_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Already fact-checked claims: ClaimReview JSON-LD, CSV, CheckThat! TSV or JSONL.",
)
@click.option("-k", "--top", default=3, show_default=True, help="Matches kept per claim.")
def factchecks_command(db: str, claims_path: Path, top: int) -> None:
    """Match every analysed claim in the store against already fact-checked claims; the matches go into
    the stored reports (claims[].fact_checks) and the factchecks export."""
    from newsift.corpus.factchecks import match_stored_claims
    from newsift.factchecks.importers import load_claims
    from newsift.factchecks.match import Matcher, Reranker, Rescorer

    matcher = Matcher(load_claims(claims_path), Reranker.packaged(), rescorer=Rescorer.packaged())
    with _open(db, writes=True) as store:
        matched, seen = match_stored_claims(store, matcher, k=top)
    click.echo(f"{matched} of {seen} claim(s) matched an already fact-checked claim", err=True)


@corpus_group.command("search")
@click.argument("query")
@db_option
@click.option("--site")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Published on or before this date.")
@click.option("--language", metavar="CODE")
@click.option("--technique", help="Has this persuasion technique (see newsift.labels).")
@click.option("--source-kind", help="Cites a source of this kind.")
@click.option("--entity", help="Mentions this entity (canonical name).")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search_command(query: str, db: str, limit: int, as_json: bool, **filters: str | None) -> None:
    """Full-text search (words, "phrases", OR, -exclude) with filters."""
    import dataclasses
    import json

    from newsift.corpus.search import SearchFilters, search
    from newsift.ingest.text import parse_published

    for name in ("since", "until"):
        if filters[name]:
            parse_published(filters[name])
    with _open(db) as store:
        hits = search(store, query, SearchFilters(**filters), limit=limit)
    for hit in hits:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(hit), ensure_ascii=False))
        else:
            click.echo(
                f"{hit.published or '----------'}  {hit.site or '-'}  {hit.title or hit.url or hit.id}"
            )
            click.echo(f"    {' '.join(hit.snippet.split())}")


@corpus_group.command("export")
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="jsonl", show_default=True
)
@click.option(
    "--what",
    type=click.Choice(
        [
            "articles",
            "claims",
            "attributions",
            "techniques",
            "entities",
            "factchecks",
            "clusters",
            "claim-clusters",
        ]
    ),
    default="articles",
    show_default=True,
)
@click.option("-o", "--output", default="-", help="Output file (default stdout; required for parquet).")
def export_command(db: str, fmt: str, what: str, output: str) -> None:
    """Write one table of the store as CSV, JSON Lines or Parquet."""
    from newsift.corpus.export import EXPORTS, rows, write_csv, write_jsonl, write_parquet
    from newsift.errors import InputError

    if fmt == "parquet" and output == "-":
        raise InputError("--format parquet needs -o FILE")
    with _open(db) as store:
        records = rows(store, what)
        if fmt == "parquet":
            n = write_parquet(records, EXPORTS[what], output)
        else:
            with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as out:
                n = write_csv(records, EXPORTS[what], out) if fmt == "csv" else write_jsonl(records, out)
    click.echo(f"{n} {what} row(s) exported", err=True)

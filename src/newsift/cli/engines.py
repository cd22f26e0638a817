"""``newsift corpus analyze`` on an engine (this machine's cores, or a Ray cluster), and
``newsift corpus load-shards`` for the Parquet shards such a run writes with ``--out``."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import click

from newsift.cli.corpus import _open, corpus_group, db_option

ERRORS_SHOWN = 5


def analyze_corpus(
    db: str,
    limit: int | None,
    engine_name: str,
    address: str | None,
    workers: int | None,
    batch_size: int,
    out: Path | None,
    retry_failed: bool,
    worker_memory: int | None,
) -> None:
    """Analyse the pending articles of the store ``db`` on an engine, with a progress bar; the outcomes go
    into the store, or into Parquet shards in ``out`` (the store is then only read)."""
    from newsift.engines import make_engine
    from newsift.engines.progress import AnalysisProgress
    from newsift.engines.runner import (
        StoreSink,
        pending_rows,
        pending_total,
        run_analysis,
        shard_dir_ids,
    )
    from newsift.engines.shards import ShardSink
    from newsift.errors import InputError

    if workers is not None and workers < 1 or batch_size < 1:
        raise InputError("--workers and --batch-size must be at least 1")
    engine = make_engine(engine_name, workers, address=address, memory_mb=worker_memory)
    with _open(db, writes=out is None) as store:
        query = {"retry_failed": retry_failed or out is not None, "exclude": shard_dir_ids(out)}
        total = pending_total(store, **query)
        total = min(total, limit) if limit is not None else total
        if not total:
            click.echo("nothing to analyse", err=True)
            return
        sink = ShardSink(out) if out is not None else StoreSink(store)
        click.echo(f"starting the {engine_name} engine ...", err=True)
        try:
            engine.start()
            label = f"{engine_name}, {engine.workers} worker(s)"
            with AnalysisProgress(total, label) as progress:
                result = run_analysis(
                    engine,
                    islice(pending_rows(store, **query), total),
                    sink,
                    batch_size=batch_size,
                    on_outcome=progress,
                )
        finally:
            engine.close()
        rate = (result.analysed + result.failed) / result.seconds if result.seconds else 0.0
        click.echo(
            f"{result.analysed} article(s) analysed, {result.failed} failed, {result.retried} batch(es) "
            f"sent again after losing a worker; {rate:.2f} articles/s",
            err=True,
        )
        if out is None and result.failed:
            _show_errors(store)


def _show_errors(store) -> None:
    rows = store.db.execute(
        "SELECT id, analysis_error FROM articles WHERE analysis_error IS NOT NULL LIMIT ?", (ERRORS_SHOWN,)
    )
    for article_id, error in rows:
        click.echo(f"failed: {article_id}: {error}", err=True)


@corpus_group.command("load-shards")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
def load_shards_command(folder: Path, db: str) -> None:
    """Store the reports and errors held by the Parquet shards that `corpus analyze --out FOLDER` wrote."""
    from newsift.engines.shards import load_shards

    with _open(db, writes=True) as store:
        reports, errors, unknown = load_shards(store, folder)
    click.echo(f"{reports} report(s) and {errors} error(s) stored", err=True)
    if unknown:
        click.echo(f"{unknown} outcome(s) skipped: their article is not in {db}", err=True)

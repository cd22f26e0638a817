"""``newsift analyze``: one or more articles in, anchored analysis reports out."""

from __future__ import annotations

import click

from newsift.cli import main


@main.command()
@click.argument("paths", nargs=-1, required=True)
def analyze(paths: tuple[str, ...]) -> None:
    """Analyse articles (files, folders, URLs or - for stdin)."""
    from newsift.document import Article
    from newsift.pipeline import default_pipeline

    for path in paths:
        with open(path, encoding="utf-8") as fh:
            click.echo(default_pipeline()(Article(text=fh.read(), origin=path)).model_dump_json(indent=2))

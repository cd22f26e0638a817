"""``newsift eval dates`` and ``newsift eval places``: the where-and-when layers on their annotated sets."""

from __future__ import annotations

import click

from newsift.cli import eval_group
from newsift.errors import InputError


def _echo_scores(lines: list[str], errors: list[str], show_errors: bool) -> None:
    for line in lines:
        click.echo(line)
    if show_errors:
        for err in errors:
            click.echo(f"  {err}")


def _scores(load, score, path: str | None):
    """Score the set at ``path`` (the shipped one when None); a malformed set is an input error."""
    try:
        return score(load(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot use the evaluation set {path}: {exc!r}") from exc


@eval_group.command("dates")
@click.option("--data", "path", default=None, help="A JSONL set (default: the shipped one).")
@click.option("--errors", "show_errors", is_flag=True, help="List every miss and extra.")
def eval_dates(path: str | None, show_errors: bool) -> None:
    """Recognition and resolution of date expressions."""
    from newsift.eval.dates import load_items, score

    result = _scores(load_items, score, path)
    _echo_scores(result.lines(), result.errors, show_errors)


@eval_group.command("places")
@click.option("--data", "path", default=None, help="A JSONL set (default: the shipped one).")
@click.option("--errors", "show_errors", is_flag=True, help="List every miss and wrong place.")
def eval_places(path: str | None, show_errors: bool) -> None:
    """Place mentions found and geocoded to the expected GeoNames id."""
    from newsift.eval.places import load_items, score

    result = _scores(load_items, score, path)
    _echo_scores(result.lines(), result.errors, show_errors)

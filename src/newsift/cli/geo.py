"""``newsift eval dates`` and ``newsift eval places``: the where-and-when layers on their annotated sets."""

from __future__ import annotations

import importlib

import click

from newsift.cli import eval_group
from newsift.errors import InputError


def run_scorer(module_name: str, path: str | None, show_errors: bool) -> None:
    """Score the set at ``path`` (the shipped one when None) with ``newsift.eval.<module_name>`` and print
    the scores (and every miss with ``show_errors``); a malformed set is an input error."""
    module = importlib.import_module(f"newsift.eval.{module_name}")
    try:
        result = module.score(module.load_items(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot use the evaluation set {path}: {exc!r}") from exc
    for line in result.lines():
        click.echo(line)
    if show_errors:
        for err in result.errors:
            click.echo(f"  {err}")


def register(name: str, summary: str) -> None:
    @click.option("--data", "path", default=None, help="A JSONL set (default: the shipped one).")
    @click.option("--errors", "show_errors", is_flag=True, help="List every miss and extra.")
    def command(path: str | None, show_errors: bool) -> None:
        run_scorer(name, path, show_errors)

    command.__doc__ = summary
    eval_group.command(name)(command)


register("dates", "Recognition and resolution of date expressions (data/eval/dates.jsonl).")
register("places", "Place mentions found and geocoded to the expected GeoNames id (data/eval/places.jsonl).")

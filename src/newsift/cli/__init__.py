"""The ``newsift`` command line. It mirrors the Python API; each command group lives in its own module
and registers itself on :data:`main` or :data:`eval_group` when imported below.

Bad input is reported on one line with exit status 2 (:class:`newsift.errors.InputError`), never a traceback.
"""

from __future__ import annotations

import os

import click

from newsift import __version__
from newsift.errors import InputError


class Group(click.Group):
    """A click group that turns :class:`InputError` into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"newsift: error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("newsift: interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("NEWSIFT_DEBUG"):
                raise
            click.echo(f"newsift: internal error: {type(exc).__name__}: {exc} (NEWSIFT_DEBUG=1 shows the "
                       "traceback)", err=True)
            ctx.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsift")
def main() -> None:
    """newsift: anchored analysis of news articles for fact-checkers and researchers."""


@main.group("eval", cls=Group)
def eval_group() -> None:
    """Measure a layer on its evaluation set and print the scores."""


@main.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    from newsift.report import schema_text

    click.echo(schema_text())


# Command modules register themselves on import.
from newsift.cli import analyze as _analyze  # noqa: E402,F401
from newsift.cli import claim_clusters as _claim_clusters  # noqa: E402,F401
from newsift.cli import claims as _claims  # noqa: E402,F401
from newsift.cli import corpus as _corpus  # noqa: E402,F401
from newsift.cli import engines as _engines  # noqa: E402,F401
from newsift.cli import factchecks as _factchecks  # noqa: E402,F401
from newsift.cli import geo as _geo  # noqa: E402,F401
from newsift.cli import rewrites as _rewrites  # noqa: E402,F401
from newsift.cli import serve as _serve  # noqa: E402,F401
from newsift.cli import techniques as _techniques  # noqa: E402,F401

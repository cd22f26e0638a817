"""``newsift analyze``: articles in, anchored analysis reports out.

One input that cannot be read exits with status 2 and one line saying why. With several inputs, each
failure is reported and skipped, the rest complete, and the exit status is 1 if any failed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import click

from newsift.cli import main
from newsift.errors import InputError
from newsift.ingest.text import DEFAULT_MAX_BYTES

FORMATS = {"text": ".txt", "json": ".json", "html": ".html", "md": ".md"}


@dataclass
class Overrides:
    title: str | None
    url: str | None
    published: date | None


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", metavar="YYYY-MM-DD",
              help="Publication date (overrides metadata); resolves 'May 3', 'last Tuesday'.")
@click.option("--title", help="Article title (overrides metadata).")
@click.option("--url", help="Article URL (overrides metadata).")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True,
              help="text: terminal summary; json: the report; html: self-contained report; md: Markdown.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one file per input into this folder (<stem>.json/.html/.md/.txt).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Refuse inputs larger than this.")
@click.option("--allow-private", is_flag=True, help="Allow fetching URLs on loopback or private networks.")
def analyze(paths: tuple[str, ...], published: str | None, title: str | None, url: str | None, fmt: str,
            out_dir: Path | None, max_bytes: int, allow_private: bool) -> None:
    """Analyse articles: .txt, .html, .json/.jsonl files, folders of them, http(s) URLs, or - for stdin."""
    from newsift.ingest import expand
    from newsift.ingest.text import parse_published

    overrides = Overrides(title, url, parse_published(published) if published else None)
    inputs = expand(paths)
    if not inputs:
        raise InputError("no supported files (.txt, .html, .json, .jsonl) in " + ", ".join(paths))
    if fmt == "html" and out_dir is None and len(inputs) > 1:
        raise InputError("several inputs: give --out DIR to write one HTML report per input")
    if len(inputs) == 1:
        _analyze_one(inputs[0], overrides, fmt, out_dir, max_bytes, allow_private)
    else:
        _analyze_many(inputs, overrides, fmt, out_dir, max_bytes, allow_private)


def _analyze_one(origin: str, overrides: Overrides, fmt: str, out_dir: Path | None, max_bytes: int,
                 allow_private: bool) -> None:
    from newsift.ingest import load

    articles = load(origin, max_bytes=max_bytes, allow_private=allow_private)
    if fmt == "html" and out_dir is None and len(articles) > 1:
        raise InputError(f"{origin} holds {len(articles)} articles: give --out DIR for HTML reports")
    writer = _Writer(fmt, out_dir, many=len(articles) > 1)
    failures = 0
    for stem, article in _stems(origin, articles):
        failures += not _analyze_article(replace(article, **_set(overrides)), stem, writer)
    writer.close()
    if failures:
        sys.exit(2 if len(articles) == 1 else 1)


def _analyze_many(inputs: list[str], overrides: Overrides, fmt: str, out_dir: Path | None, max_bytes: int,
                  allow_private: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from newsift.ingest import load

    writer = _Writer(fmt, out_dir, many=True)
    done = failed = 0
    progress = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=True, disable=not sys.stderr.isatty())
    with progress:
        task = progress.add_task("analyse", total=len(inputs))
        for origin in inputs:
            try:
                articles = load(origin, max_bytes=max_bytes, allow_private=allow_private)
            except InputError as exc:
                progress.console.print(f"newsift: skipped: {exc}", markup=False, highlight=False)
                failed += 1
            else:
                for stem, article in _stems(origin, articles):
                    ok = _analyze_article(replace(article, **_set(overrides)), stem, writer, progress.console)
                    done += ok
                    failed += not ok
            progress.advance(task)
    writer.close()
    click.echo(f"newsift: analysed {done} article(s); {failed} failed", err=True)
    if failed:
        sys.exit(1)


def _analyze_article(article, stem: str, writer: _Writer, console=None) -> bool:
    """Analyse and write one article; report a failure on one line and return False."""
    from newsift.pipeline import default_pipeline

    try:
        report = default_pipeline()(article)
    except Exception as exc:  # one bad article must not end a batch
        message = f"newsift: error: {article.origin}: analysis failed ({type(exc).__name__}: {exc})"
        (console.print(message, markup=False, highlight=False) if console else click.echo(message, err=True))
        return False
    writer.write(stem, report)
    return True


def _set(overrides: Overrides) -> dict:
    return {k: v for k, v in vars(overrides).items() if v is not None}


def _stems(origin: str, articles: list) -> Iterator[tuple[str, object]]:
    if origin == "-":
        base = "stdin"
    elif origin.startswith(("http://", "https://")):
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", origin.split("://", 1)[1]).strip("-")[:80] or "page"
    else:
        base = Path(origin).stem
    for i, article in enumerate(articles, 1):
        yield (base if len(articles) == 1 else f"{base}-{i}"), article


class _Writer:
    """Writes reports to stdout or to one file per report in ``out_dir`` (stems kept unique)."""

    def __init__(self, fmt: str, out_dir: Path | None, many: bool) -> None:
        self.fmt, self.out_dir, self.many = fmt, out_dir, many
        self.used: set[str] = set()
        self.count = 0
        if out_dir is not None:
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"--out {out_dir}: cannot create the folder ({exc.strerror})") from None

    def write(self, stem: str, report) -> None:
        from newsift.render import render

        self.count += 1
        if self.out_dir is None:
            if self.fmt == "text":
                from newsift.render.text import print_summary

                print_summary(report)
            elif self.fmt == "json":
                # One report: pretty JSON. Several: JSON Lines, one report per line.
                click.echo(report.model_dump_json(indent=None if self.many else 2))
            else:
                click.echo(render(report, self.fmt))
            return
        name, n = stem, 1
        while name in self.used:
            n += 1
            name = f"{stem}-{n}"
        self.used.add(name)
        path = self.out_dir / f"{name}{FORMATS[self.fmt]}"
        path.write_text(render(report, self.fmt), encoding="utf-8")

    def close(self) -> None:
        if self.out_dir is not None:
            click.echo(f"newsift: wrote {self.count} report(s) to {self.out_dir}", err=True)

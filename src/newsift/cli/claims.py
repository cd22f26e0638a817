"""``newsift claims score`` and the scorers ``newsift eval checkworthy`` / ``newsift eval polnear``."""

from __future__ import annotations

import csv
from pathlib import Path

import click

from newsift.cli import eval_group, main
from newsift.errors import InputError


@main.group("claims")
def claims_group() -> None:
    """Check-worthiness of sentences."""


@claims_group.command("score")
@click.argument("infile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "outfile", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write Sentence_id<TAB>class_label<TAB>score.")
def score(infile: Path, outfile: Path) -> None:
    """Score a CheckThat! 2024 TSV (Sentence_id, Text[, class_label]) and write Yes/No labels and scores."""
    from newsift.attribution.checkworthy import load_model
    from newsift.attribution.corpora import read_checkthat

    if not infile.is_file():
        raise InputError(f"no such file: {infile}")
    rows = read_checkthat(infile)
    model = load_model()
    try:
        with open(outfile, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
            writer.writerow(["Sentence_id", "class_label", "score"])
            for row in rows:
                s = model.score(row.text)
                writer.writerow([row.sentence_id, "Yes" if s >= model.threshold else "No", f"{s:.6f}"])
    except OSError as exc:
        raise InputError(f"cannot write {outfile}: {exc}") from exc
    click.echo(f"scored {len(rows)} sentences -> {outfile}", err=True)


@eval_group.command("checkworthy")
@click.option("--split", default="dev", show_default=True, help="CheckThat! 2024 split (train, dev, …).")
def eval_checkworthy(split: str) -> None:
    """P/R/F1 of the Yes class on a CheckThat! 2024 English split."""
    from newsift.attribution.corpora import checkthat_split, read_checkthat
    from newsift.eval.checkworthy import evaluate

    path = checkthat_split(split)
    if not path.is_file():
        raise InputError(f"no CheckThat! 2024 split {split!r} at {path}")
    rows = read_checkthat(path)
    if any(r.label is None for r in rows):
        raise InputError(f"{path} has no class_label column")
    for line in evaluate(rows).lines():
        click.echo(line)


@eval_group.command("polnear")
@click.option("--split", default="dev", show_default=True, help="PolNeAR split (train, dev, …).")
def eval_polnear(split: str) -> None:
    """Content-span P/R/F1 and source accuracy of the attribution layer on a PolNeAR split."""
    from newsift.attribution.corpora import read_polnear
    from newsift.eval.polnear import evaluate, parsed

    articles = read_polnear(split)
    if not articles:
        raise InputError(f"no PolNeAR articles in split {split!r}")
    click.echo(f"articles: {len(articles)}")
    for line in evaluate(parsed(articles)).lines():
        click.echo(line)

"""``newsift eval rewrites``: rewrite clusters scored on the packaged labelled set of rewrites."""

from __future__ import annotations

import click

from newsift.cli import eval_group


@eval_group.command("rewrites")
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True)
@click.option("--paraphrases/--near-copies-only", default=True, show_default=True, help="Also look for paraphrases.")
def rewrites_command(split: str, paraphrases: bool) -> None:
    """Pairwise precision and recall of the rewrite clusters on newsift's hand-written set of rewrites,
    for all pairs and separately for near-copy and paraphrase pairs."""
    from newsift.eval.rewrites import evaluate, load_set

    articles, truth = load_set(split=split)
    click.echo(f"{len(articles)} articles, {len({t.story for t in truth.values()})} stories ({split})")
    for kind, s in evaluate(split, paraphrases).items():
        precision = f"{s.precision:.3f}" if s.predicted else "  n/a"
        click.echo(
            f"{kind:<11} precision {precision} ({s.correct_predicted}/{s.predicted} pairs)  "
            f"recall {s.recall:.3f} ({s.found_true}/{s.true} pairs)"
        )

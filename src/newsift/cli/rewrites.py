"""``newsift eval rewrites``: rewrite clusters scored on the packaged labelled set of rewrites."""

from __future__ import annotations

import click

from newsift.cli import eval_group


@eval_group.command("rewrites")
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True)
@click.option("--paraphrases/--near-copies-only", default=True, show_default=True, help="Also look for paraphrases.")
@click.option("--pairs", is_flag=True, help="Also list each same-story or similar pair's measures.")
def rewrites_command(split: str, paraphrases: bool, pairs: bool) -> None:
    """Pairwise precision and recall of the rewrite clusters on newsift's hand-written set of rewrites,
    for all pairs and separately for near-copy and paraphrase pairs."""
    from newsift.eval.rewrites import evaluate, load_set, pair_measures

    articles, truth = load_set(split=split)
    click.echo(f"{len(articles)} articles, {len({t.story for t in truth.values()})} stories ({split})")
    for kind, s in evaluate(split, paraphrases).items():
        precision = f"{s.precision:.3f}" if s.predicted else "  n/a"
        click.echo(
            f"{kind:<11} precision {precision} ({s.correct_predicted}/{s.predicted} pairs)  "
            f"recall {s.recall:.3f} ({s.found_true}/{s.true} pairs)"
        )
    if pairs:
        click.echo("pair measures: same story?, signature cosine, aligned-sentence share")
        for m in pair_measures(split):
            same = "same" if m.same_story else "diff"
            click.echo(f"{same}  {m.signature_cosine:.2f}  {m.aligned_share:.2f}  {m.a}  {m.b}")

"""``newsift eval claim-clusters``: claim clusters scored on the packaged same-claim sentence pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from newsift.cli import eval_group
from newsift.corpus.claim_clusters import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from newsift.eval.scores import PairScores


def _scores(name: str, s: PairScores) -> str:
    return (
        f"{name:<9} precision {s.precision:.3f} ({s.correct_predicted}/{s.predicted})  "
        f"recall {s.recall:.3f} ({s.found_true}/{s.true})  F1 {s.f1:.3f}"
    )


@eval_group.command("claim-clusters")
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True)
@click.option(
    "--threshold", type=click.FloatRange(0.0, 1.0), default=DEFAULT_THRESHOLD, show_default=True,
    help="Least cosine of a claim pair.",
)
@click.option("--errors", "show_errors", is_flag=True, help="List the cluster-level misses and false pairs.")
def claim_clusters_command(split: str, threshold: float, show_errors: bool) -> None:
    """Pairwise precision, recall and F1 of claim links and claim clusters on newsift's hand-labelled
    same-claim sentence pairs, at the threshold and over a sweep of thresholds."""
    from newsift.eval.claim_clusters import THRESHOLDS, embed, errors, load_claims, sweep

    claims = load_claims(split)
    vectors = embed(claims.members)
    n = len(claims.members)
    articles = len({m.article_id for m in claims.members})
    click.echo(
        f"{articles} articles, {n} sentences as claims, {n * (n - 1) // 2} sentence pairs, "
        f"{len(claims.same)} labelled same-claim ({split})"
    )
    (at,) = sweep(claims, vectors, (threshold,))
    click.echo(f"threshold {threshold:.2f}")
    click.echo(_scores("links", at.links))
    click.echo(_scores("clusters", at.clusters))
    click.echo("sweep      links: P      R      F1   clusters: P      R      F1")
    for s in sweep(claims, vectors, tuple(sorted({*THRESHOLDS, threshold}))):
        click.echo(
            f"{s.threshold:.2f}  {s.links.precision:13.3f} {s.links.recall:6.3f} {s.links.f1:6.3f}"
            f"  {s.clusters.precision:13.3f} {s.clusters.recall:6.3f} {s.clusters.f1:6.3f}"
        )
    if show_errors:
        for e in errors(claims, vectors, threshold):
            click.echo(f"{e.kind:<5} {e.cosine:.2f}  {e.why}")
            for m in (e.a, e.b):
                click.echo(f"      {m.article_id}#{m.claim_id}: {m.text}")

"""``newsift factchecks``: import already fact-checked claims and match texts against them;
``newsift eval factchecks``: MAP@k on CheckThat! 2020 Task 2."""

from __future__ import annotations

from pathlib import Path

import click

from newsift.cli import Group, eval_group, main


@main.group("factchecks", cls=Group)
def factchecks_group() -> None:
    """Already fact-checked claims: import them, find them for new texts."""


@factchecks_group.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="-",
    help="JSONL file of verified claims (default: stdout).",
)
def import_command(sources: tuple[Path, ...], output: Path) -> None:
    """Read ClaimReview JSON-LD (.json/.jsonld/.html), CSV, or CheckThat! TSV into one JSONL file."""
    import dataclasses
    import json

    from newsift.factchecks.importers import load_claims

    claims = [c for src in sources for c in load_claims(src)]
    lines = "".join(json.dumps(dataclasses.asdict(c), ensure_ascii=False) + "\n" for c in claims)
    with click.open_file(str(output), "w", encoding="utf-8", atomic=str(output) != "-") as fh:
        fh.write(lines)
    click.echo(f"{len(claims)} verified claims", err=True)


@factchecks_group.command("match")
@click.option(
    "--claims",
    "claims_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Verified claims: CheckThat! TSV, ClaimReview JSON-LD, CSV or JSONL.",
)
@click.option(
    "--queries",
    "queries_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Queries TSV: id<TAB>text with a header row.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="-",
    help="Run file (default: stdout).",
)
@click.option("--top", default=1000, show_default=True, help="Claims listed per query.")
@click.option("--tag", default="newsift", show_default=True, help="Run tag (last column).")
def match_command(claims_path: Path, queries_path: Path, output: Path, top: int, tag: str) -> None:
    """Rank verified claims for every query; write a CheckThat! 2020 Task 2 run file."""
    from newsift.factchecks.importers import load_claims
    from newsift.factchecks.match import Matcher, Reranker, Rescorer
    from newsift.factchecks.records import read_queries, run_lines

    matcher = Matcher(load_claims(claims_path), Reranker.packaged(), progress=True, rescorer=Rescorer.packaged())
    ranking = matcher.rank(read_queries(queries_path), top=top)
    with click.open_file(str(output), "w", encoding="utf-8", atomic=str(output) != "-") as fh:
        for line in run_lines(ranking, tag):
            fh.write(line + "\n")


@eval_group.command("factchecks")
@click.option("--split", type=click.Choice(["train", "dev"]), default="dev", show_default=True)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="CheckThat! 2020 Task 2 English folder (default: ../shared/data/checkthat2020-claim-retrieval-en).",
)
@click.option(
    "--plain", is_flag=True, help="Rank by embedding cosine only, without the re-ranker and the cross-encoder."
)
def eval_factchecks(split: str, data: Path | None, plain: bool) -> None:
    """MAP@1/3/5 (and @10, @20) of fact-check matching on CheckThat! 2020 Task 2."""
    from newsift.errors import InputError
    from newsift.eval.factchecks import checkthat_dir, scores
    from newsift.factchecks.match import Matcher, Reranker, Rescorer
    from newsift.factchecks.records import read_checkthat_vclaims, read_qrels, read_queries

    root = data or checkthat_dir()
    if not (root / split).is_dir():
        raise InputError(f"no {split} split under {root}")
    matcher = Matcher(
        read_checkthat_vclaims(root / "verified_claims.docs.tsv"),
        None if plain else Reranker.packaged(),
        progress=True,
        rescorer=None if plain else Rescorer.packaged(),
    )
    ranking = matcher.rank(read_queries(root / split / "tweets.queries.tsv"), top=20)
    run = {q: [v for v, _ in hits] for q, hits in ranking.items()}
    qrels = read_qrels(root / split / "tweet-vclaim-pairs.qrels")
    click.echo(f"CheckThat! 2020 Task 2 English, {split}: {len(qrels)} queries")
    for name, value in scores(qrels, run).items():
        click.echo(f"{name}\t{value:.4f}")

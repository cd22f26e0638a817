"""``newsift techniques predict`` (SemEval-2020 Task 11 SI and TC files) and ``newsift eval ptc``."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsift.cli import eval_group, main
from newsift.errors import InputError

if TYPE_CHECKING:
    from newsift.techniques.corpus import LabelledSpan
    from newsift.techniques.encoder import TokenEncoder
    from newsift.techniques.model import TechniqueModel


@main.group()
def techniques() -> None:
    """Persuasion techniques (SemEval-2020 Task 11)."""


@techniques.command()
@click.argument("articles_dir", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="labels file to write")
@click.option("--tc-template", type=click.Path(path_type=Path),
              help="TC template (technique column '?'): label exactly its spans")
def predict(articles_dir: Path, output: Path, tc_template: Path | None) -> None:
    """Write SI spans (or, with --tc-template, TC labels) for every article<ID>.txt in ARTICLES_DIR."""
    from newsift.techniques.corpus import article_files, read_labels

    files = article_files(articles_dir)
    if tc_template is None:
        if not files:
            raise InputError(f"{articles_dir}: no article<ID>.txt files")
        lines = [line for aid, path in files.items() for line in _si_lines(aid, path)]
    else:
        if not tc_template.is_file():
            raise InputError(f"{tc_template}: no such file")
        lines = _tc_lines(files, read_labels(tc_template, with_technique=True))
    try:
        output.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror})") from exc
    click.echo(f"wrote {len(lines)} spans to {output}", err=True)


def _si_lines(article_id: str, path: Path) -> list[str]:
    """SI lines of one article: the techniques layer's spans (none, with a note, if it is skipped)."""
    from newsift.analyze.techniques import TechniqueAnalyzer
    from newsift.document import Article
    from newsift.pipeline import Pipeline
    from newsift.techniques.corpus import read_text

    pipeline = Pipeline(analyzers=[TechniqueAnalyzer()])
    doc = pipeline.analyze(pipeline.document(Article(text=read_text(path))))
    for skipped in doc.skipped:
        click.echo(f"article{article_id}: {skipped.layer} skipped: {skipped.reason}", err=True)
    return [f"{article_id}\t{t.start}\t{t.end}" for t in doc.techniques]


def _tc_lines(files: dict[str, Path], template: list[LabelledSpan]) -> list[str]:
    """TC lines for exactly the template's spans, in its order."""
    from newsift.techniques.corpus import read_text
    from newsift.techniques.predict import Reading, classify, parse

    by_article: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for span in template:
        if span.article_id not in files:
            raise InputError(f"template names article {span.article_id}, which is not in the folder")
        by_article[span.article_id].append((span.start, span.end))
    labels: dict[str, list[str]] = {}
    for aid, spans in by_article.items():
        text = read_text(files[aid])
        bad = [(s, e) for s, e in spans if not 0 <= s < e <= len(text)]
        if bad:
            raise InputError(f"article{aid}: template span {bad[0]} outside its {len(text)} characters")
        labels[aid] = classify(Reading.of(parse(text)), spans)
    taken: dict[str, int] = defaultdict(int)
    lines = []
    for span in template:
        k = taken[span.article_id]
        taken[span.article_id] += 1
        lines.append(f"{span.article_id}\t{labels[span.article_id][k]}\t{span.start}\t{span.end}")
    return lines


@eval_group.command("ptc")
@click.option("--split", "split_name", default="dev", show_default=True, help="train, dev or all")
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="PTC folder [default: ../shared/data/ptc-semeval2020]")
@click.option("--model", "model_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="a folder with model.npz and encoder.safetensors written by training/techniques/train.py "
                   "[default: the packaged model]")
@click.option("--limit", type=int, default=0, help="score only the first N articles of the split")
def eval_ptc(split_name: str, data: Path | None, model_dir: Path | None, limit: int) -> None:
    """SI precision/recall/F1 (official SemEval-2020 formula) and TC micro-F1 on a split of the PTC."""
    from newsift.eval.ptc import si_scores, tc_per_technique, tc_scores
    from newsift.techniques.corpus import DEFAULT_DIR, Corpus
    from newsift.techniques.predict import Reading, classify, detect, load_model, parse

    corpus = Corpus(data or DEFAULT_DIR)
    ids = corpus.split(split_name)[: limit or None]
    model, encoder = load_model(), None
    if model_dir:
        model, encoder = load_model_dir(model_dir)
    if split_name != "train" and "dev" in str(model.meta.get("fitted_on", "train")).split("+"):
        click.echo(f"note: this model was fitted on the {split_name} articles too, so these figures are not "
                   f"held out; its held-out dev figures: SI F1 {model.meta.get('dev_si_f1')}, TC "
                   f"{model.meta.get('dev_tc_f1')} (training/techniques/train.py --dev-out DIR writes the train "
                   "fit they come from, for --model DIR)")
    si_pred, si_gold, tc_pred, tc_gold = [], [], [], []
    for aid in ids:
        reading = Reading.of(parse(corpus.text(aid)), encoder)
        si_pred += [(aid, d.start, d.end) for d in detect(reading, model)]
        si_gold += [(aid, s.start, s.end) for s in corpus.si(aid)]
        gold = corpus.tc(aid)
        spans = [(s.start, s.end) for s in gold]
        tc_pred += [(aid, s, e, t) for (s, e), t in zip(spans, classify(reading, spans, model), strict=True)]
        tc_gold += [(aid, s.start, s.end, s.technique) for s in gold]
    si, tc = si_scores(si_pred, si_gold), tc_scores(tc_pred, tc_gold)
    click.echo(f"PTC {split_name}: {len(ids)} articles, {len(si_gold)} SI spans, {len(tc_gold)} TC spans")
    click.echo(f"SI  P={si.precision:.4f} R={si.recall:.4f} F1={si.f1:.4f} ({len(si_pred)} predicted spans)")
    click.echo(f"TC  micro-F1={tc.f1:.4f}")
    for tech, prf in tc_per_technique(tc_pred, tc_gold).items():
        click.echo(f"    {tech:<36} P={prf.precision:.3f} R={prf.recall:.3f} F1={prf.f1:.3f}")


def load_model_dir(folder: Path) -> tuple[TechniqueModel, TokenEncoder]:
    """The technique model and token encoder saved in ``folder``; a clear error if they are missing or unreadable."""
    from newsift.techniques.encoder import DELTA_PATH, load_token_encoder
    from newsift.techniques.predict import MODEL_PATH, load_model

    try:
        return load_model(folder / MODEL_PATH.name), load_token_encoder(folder / DELTA_PATH.name)
    except (OSError, ValueError, KeyError) as e:
        raise InputError(f"{folder}: not a model folder written by training/techniques/train.py ({e})") from None

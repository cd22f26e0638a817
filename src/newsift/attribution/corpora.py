"""Readers for the labelled corpora this layer trains and is measured on (CheckThat! 2024, PolNeAR).

The corpora are never part of the repository: they are looked up in ``$NEWSIFT_SHARED_DATA``, then
``../shared/data`` from the working directory, then ``shared/data`` next to the checkout.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

from newsift.errors import InputError

CHECKTHAT = "checkthat2024-checkworthy-en"
_GLUED_LABEL = re.compile(r"^(Yes|No)(\d+)$")
POLNEAR = "polnear"


def shared_data_dir() -> Path:
    """The folder holding the labelled corpora; raises :class:`InputError` when there is none."""
    candidates = [Path(os.environ["NEWSIFT_SHARED_DATA"])] if os.environ.get("NEWSIFT_SHARED_DATA") else []
    candidates += [Path.cwd().parent / "shared" / "data", Path(__file__).resolve().parents[3].parent / "shared"
                   / "data"]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise InputError("no labelled corpora found: set NEWSIFT_SHARED_DATA to the shared data folder")


@dataclass(frozen=True)
class CheckworthyRow:
    sentence_id: str
    text: str
    label: str | None  # "Yes", "No" or None when the file has no class_label column


def read_checkthat(path: Path) -> list[CheckworthyRow]:
    """Rows of a CheckThat! 2024 TSV (``Sentence_id``, ``Text``, optional ``class_label``), read with
    ``csv.QUOTE_NONE`` so that quote characters stay part of the text."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, None)
            if not header or [h.strip().lower() for h in header[:2]] != ["sentence_id", "text"]:
                raise InputError(f"{path}: expected a header 'Sentence_id<TAB>Text[<TAB>class_label]'")
            has_label = len(header) > 2 and header[2].strip().lower() == "class_label"
            rows = []
            for n, rec in enumerate(reader, start=2):
                if not rec:
                    continue
                glued = _GLUED_LABEL.match(rec[2]) if has_label and len(rec) == 5 else None
                if glued:  # two records on one line (a lost newline in the train file): split them
                    rows.append(CheckworthyRow(rec[0].strip(), rec[1], glued.group(1)))
                    rec = [glued.group(2), rec[3], rec[4]]
                if len(rec) < (3 if has_label else 2):
                    raise InputError(f"{path}:{n}: expected {3 if has_label else 2} tab-separated fields")
                label = rec[2].strip() if has_label else None
                if label is not None and label not in ("Yes", "No"):
                    raise InputError(f"{path}:{n}: class_label must be Yes or No, not {label!r}")
                rows.append(CheckworthyRow(rec[0].strip(), rec[1], label))
            return rows
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def checkthat_split(split: str) -> Path:
    """The TSV of a CheckThat! 2024 English split: ``CT24_checkworthy_english_<split>.tsv``, else
    ``…_<split>_gold.tsv`` (the name of the released test labels), else the one file ``…_<split>*.tsv``."""
    folder = shared_data_dir() / CHECKTHAT
    stem = f"CT24_checkworthy_english_{split}"
    for name in (f"{stem}.tsv", f"{stem}_gold.tsv"):
        if (folder / name).is_file():
            return folder / name
    matches = sorted(folder.glob(f"{stem}*.tsv"))
    return matches[0] if len(matches) == 1 else folder / f"{stem}.tsv"


@dataclass(frozen=True)
class GoldAttribution:
    """One PolNeAR attribution: character spans of its content, source and cue (any may be empty)."""

    content: list[tuple[int, int]]
    source: list[tuple[int, int]]
    cue: list[tuple[int, int]]


@dataclass(frozen=True)
class PolnearArticle:
    name: str
    text: str
    annotator: str
    attributions: list[GoldAttribution]


_T_LINE = re.compile(r"^(T\d+)\t(\w+) ([\d ;]+)\t")


def parse_brat(ann: str) -> list[GoldAttribution]:
    """The attribution events of a BRAT standoff file (``T`` spans linked by ``E`` lines); discontinuous
    spans (``start end;start end``) keep each piece."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events = []
    for line in ann.splitlines():
        m = _T_LINE.match(line)
        if m:
            pieces = [p.split() for p in m.group(3).split(";")]
            spans[m.group(1)] = [(int(a), int(b)) for a, b in pieces]
        elif line.startswith("E"):
            args = dict(a.split(":", 1) for a in line.split("\t")[1].split() if ":" in a)
            events.append(args)
    out = []
    for args in events:
        def role(name: str, args: dict = args) -> list[tuple[int, int]]:
            return [s for key, tid in args.items() if key.rstrip("0123456789") == name for s in spans.get(tid, [])]
        if role("Content"):
            out.append(GoldAttribution(role("Content"), role("Source"), role("Cue")))
    return out


def read_polnear(split: str) -> list[PolnearArticle]:
    """The articles of a PolNeAR split, each with ONE annotator's attributions: where several annotators
    marked the same article, the alphabetically first annotator id is the gold (a fixed, label-blind rule)."""
    root = shared_data_dir() / POLNEAR / split
    by_name: dict[str, list[Path]] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        by_name.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    articles = []
    for name, anns in sorted(by_name.items()):
        text_path = root / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        ann = anns[0]
        text = text_path.read_text(encoding="utf-8")
        articles.append(PolnearArticle(name, text, ann.stem.rsplit("_", 1)[1],
                                       parse_brat(ann.read_text(encoding="utf-8"))))
    return articles

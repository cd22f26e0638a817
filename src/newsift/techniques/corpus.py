"""The Propaganda Techniques Corpus (SemEval-2020 Task 11) on disk: articles, SI and TC labels, and the
project's split of its training articles into ``train`` and ``dev`` (by article, fixed seed)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from newsift.errors import InputError

DEFAULT_DIR = Path("../shared/data/ptc-semeval2020")
SPLIT_SEED = 2020
DEV_FRACTION = 0.2
_ARTICLE_FILE = re.compile(r"^article(\w+)\.txt$")


@dataclass(frozen=True)
class LabelledSpan:
    """One gold span: ``technique`` is None for SI labels."""

    article_id: str
    start: int
    end: int
    technique: str | None = None


def read_text(path: Path) -> str:
    """An article file as UTF-8 with its line endings kept as they are in the file."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc


def article_files(folder: Path) -> dict[str, Path]:
    """``article<ID>.txt`` files of a folder, by ID."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    files = {}
    for path in sorted(folder.iterdir()):
        m = _ARTICLE_FILE.match(path.name)
        if m:
            files[m.group(1)] = path
    return files


def parse_labels(lines: list[str], with_technique: bool, origin: str) -> list[LabelledSpan]:
    """Labels in SI (``id start end``) or TC (``id technique start end``) format; ``?`` techniques read
    as None."""
    spans = []
    width = 4 if with_technique else 3
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) != width or not cols[-2].isdigit() or not cols[-1].isdigit():
            raise InputError(f"{origin}:{n}: expected {width} tab-separated columns ending in two offsets")
        technique = cols[1] if with_technique and cols[1] != "?" else None
        spans.append(LabelledSpan(cols[0], int(cols[-2]), int(cols[-1]), technique))
    return spans


def read_labels(path: Path, with_technique: bool) -> list[LabelledSpan]:
    with open(path, encoding="utf-8") as fh:
        return parse_labels(fh.readlines(), with_technique, str(path))


class Corpus:
    """The PTC training folder: ``train-articles``, ``train-labels-SI``, ``train-labels-TC``."""

    def __init__(self, root: Path = DEFAULT_DIR) -> None:
        if not (root / "train-articles").is_dir():
            raise InputError(f"{root}: no PTC corpus here (expected a train-articles folder)")
        self.root = root
        self.files = article_files(root / "train-articles")

    def ids(self) -> list[str]:
        return sorted(self.files)

    def text(self, article_id: str) -> str:
        return read_text(self.files[article_id])

    def si(self, article_id: str) -> list[LabelledSpan]:
        return read_labels(self.root / "train-labels-SI" / f"article{article_id}.task1-SI.labels", False)

    def tc(self, article_id: str) -> list[LabelledSpan]:
        return read_labels(self.root / "train-labels-TC" / f"article{article_id}.task2-TC.labels", True)

    def split(self, name: str) -> list[str]:
        """Article IDs of split ``train`` or ``dev``: a seeded shuffle of the IDs, the first 20% dev."""
        ids = self.ids()
        random.Random(SPLIT_SEED).shuffle(ids)
        n_dev = round(len(ids) * DEV_FRACTION)
        if name == "dev":
            return sorted(ids[:n_dev])
        if name == "train":
            return sorted(ids[n_dev:])
        if name == "all":
            return sorted(ids)
        raise InputError(f"unknown split {name!r}: use train, dev or all")

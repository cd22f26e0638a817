"""Analysers: each reads the shared :class:`~newsift.document.Document` and writes one layer.

An analyser is any callable ``analyser(doc) -> None`` with two attributes: ``layer`` (the report field
it fills) and ``english_only`` (skip it, with a note, for other languages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from newsift.document import Document


class Analyzer(Protocol):
    layer: str
    english_only: bool

    def __call__(self, doc: Document) -> None: ...

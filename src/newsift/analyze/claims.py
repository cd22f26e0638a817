"""The claims layer (skeleton: to be filled by its issue)."""

from __future__ import annotations

from newsift.document import Document


class ClaimAnalyzer:
    layer = "claims"
    english_only = True

    def __call__(self, doc: Document) -> None:
        return None

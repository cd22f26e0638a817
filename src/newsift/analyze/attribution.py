"""The attributions layer (skeleton: to be filled by its issue)."""

from __future__ import annotations

from newsift.document import Document


class AttributionAnalyzer:
    layer = "attributions"
    english_only = True

    def __call__(self, doc: Document) -> None:
        return None

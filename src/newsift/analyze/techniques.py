"""The techniques layer: spans using one of the 14 persuasion techniques of SemEval-2020 Task 11.

A fine-tuned MiniLM token encoder (its first layers, ``newsift.techniques.encoder``) rates every token,
candidate spans are read off its probabilities and the parse, a span scorer picks among them and a span
classifier names the technique (``newsift.techniques``); the scorer and the classifier are linear models
over features of the foundation's spaCy parse and static MiniLM word-piece embeddings (the classifier also
reads the token encoder's hidden states).
"""

from __future__ import annotations

from newsift import report as R
from newsift.document import Document


class TechniqueAnalyzer:
    layer = "techniques"
    english_only = True

    def __call__(self, doc: Document) -> None:
        from newsift.techniques.predict import Reading, detect

        for d in detect(Reading.of(doc)):
            doc.techniques.append(
                R.Technique(start=d.start, end=d.end, text=doc.text[d.start : d.end], technique=d.technique,
                            score=round(min(1.0, max(0.0, d.score)), 4))
            )

"""A parsed English document without language detection (unreliable on one sentence or a list of names),
for scoring and timing English layers on short texts."""

from __future__ import annotations

from datetime import date

from newsift.document import Article, Chunk, Document


def english_document(text: str, published: date | None = None) -> Document:
    """``text`` parsed as English, chunked as the pipeline does, with its sentences and no layers."""
    from newsift.pipeline import chunk_bounds, load_spacy

    bounds = chunk_bounds(text)
    parses = load_spacy().pipe(text[s:e] for s, e in bounds)
    chunks = [Chunk(s, d) for (s, _), d in zip(bounds, parses, strict=True)]
    sentences = [(c.offset + s.start_char, c.offset + s.end_char) for c in chunks for s in c.doc.sents]
    return Document(article=Article(text=text, published=published), language="en", chunks=chunks,
                    sentences=sentences)

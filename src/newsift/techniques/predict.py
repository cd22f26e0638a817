"""Technique detection on parsed documents with the packaged model."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from newsift.document import Article, Document
from newsift.techniques.encoder import Encoding, TokenEncoder, load_token_encoder
from newsift.techniques.features import ArticleTokens
from newsift.techniques.model import TechniqueModel

MODEL_PATH = Path(str(files("newsift") / "data" / "techniques" / "model.npz"))


@dataclass(frozen=True)
class Detection:
    """A technique span with article offsets; ``score`` is ``q(span) · p(technique | span)``, the span
    scorer's ``q`` (``newsift.techniques.model.SpanScorer``) times the classifier's probability."""

    start: int
    end: int
    technique: str
    score: float


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> TechniqueModel:
    return TechniqueModel.load(path)


def parse(text: str) -> Document:
    """The foundation's parse of ``text`` (no analysers run)."""
    from newsift.pipeline import Pipeline

    return Pipeline(analyzers=[]).document(Article(text=text))


@dataclass(frozen=True)
class Reading:
    """A parsed article as the layer reads it: its tokens and the token encoder's reading of them, made once
    and shared by :func:`detect` and :func:`classify`."""

    art: ArticleTokens
    encoding: Encoding

    @classmethod
    def of(cls, doc: Document, encoder: TokenEncoder | None = None) -> Reading:
        """``doc`` read by ``encoder`` (the packaged one by default)."""
        art = ArticleTokens.of(doc)
        return cls(art, (encoder or load_token_encoder()).encode(art))


def detect(reading: Reading, model: TechniqueModel | None = None) -> list[Detection]:
    """Find technique spans in a parsed English document and label each with its likeliest technique."""
    model = model or load_model()
    spans = model.spans(reading.art, reading.encoding)
    labels = model.techniques(reading.art, [(s, e) for s, e, _ in spans], reading.encoding)
    return [Detection(s, e, tech, p_span * p_tech)
            for (s, e, p_span), (tech, p_tech) in zip(spans, labels, strict=True)]


def classify(reading: Reading, spans: list[tuple[int, int]], model: TechniqueModel | None = None) -> list[str]:
    """The technique of each given span (a span listed k times gets its k likeliest techniques)."""
    model = model or load_model()
    return [tech for tech, _ in model.techniques(reading.art, spans, reading.encoding)]

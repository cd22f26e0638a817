"""Offline language identification (py3langid, a naive Bayes model over byte n-grams)."""

from __future__ import annotations

from functools import lru_cache

SAMPLE_CHARS = 4000
MIN_LETTERS = 20


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "en" when there are too few letters to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return "en"
    lang, _ = _identifier().classify(sample)
    return lang

"""Fixtures of the engine tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsift.document import Article


@pytest.fixture
def marker_articles(tmp_path: Path) -> list[Article]:
    """Twelve articles: three that analyse, then one each that crashes the analyser, needs 8 GiB, kills its
    worker once and kills its worker every time, then five more that analyse."""
    plain = [f"Kyiv and Lviv were quiet on day {i}." for i in range(10)]
    special = [
        "CRASH in Odesa.",
        "HUGE report from Kharkiv.",
        f"Dnipro DIE-ONCE:{tmp_path / 'died-once'} today.",
        "Sumy DIE-ALWAYS today.",
    ]
    texts = plain[:3] + special + plain[3:8]
    return [Article(text=t, url=f"https://m.example/{n:02d}", authors=[]) for n, t in enumerate(texts)]

"""Helpers of the engine tests: a stand-in pipeline (cheap, deterministic, and able to crash, run out of
memory or kill its own worker process when an article asks it to), short articles, and stores of them."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

from newsift import report as R
from newsift.corpus.store import Store, StoredArticle
from newsift.document import Article, Document
from newsift.pipeline import Pipeline

HUGE_BYTES = 8 * 2**30
_DIE_ONCE = re.compile(r"DIE-ONCE:(\S+)")


class MarkerAnalyzer:
    """Every capitalised word is an entity. An article with CRASH raises, with HUGE allocates 8 GiB, with
    DIE-ALWAYS kills its worker, with DIE-ONCE:PATH kills its worker unless PATH exists (and creates it)."""

    layer = "entities"
    english_only = False

    def __call__(self, doc: Document) -> None:
        text = doc.text
        if "CRASH" in text:
            raise ValueError("the analyser crashed on purpose")
        if "HUGE" in text:
            doc.article.title = str(len(bytearray(HUGE_BYTES)))
        if "DIE-ALWAYS" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if (m := _DIE_ONCE.search(text)) and not Path(m.group(1)).exists():
            Path(m.group(1)).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        for n, m in enumerate(re.finditer(r"\b[A-Z][a-z]+\b", text)):
            doc.entities.append(
                R.Entity(
                    id=f"E{n}", label="MISC", canonical=m.group(), mentions=[doc.span(m.start(), m.end())]
                )
            )


def marker_pipeline() -> Pipeline:
    return Pipeline([MarkerAnalyzer()])


CITIES = ["Kyiv", "Lviv", "Odesa", "Kharkiv", "Dnipro"]
OFFICIALS = [
    "the mayor",
    "a police spokesman",
    "Minister Olena Petrenko",
    "an unnamed official",
    "the governor",
]
EVENTS = ["a bridge reopened", "power was restored", "schools closed early", "a market burned", "prices rose"]


def short_articles(n: int) -> list[Article]:
    """``n`` short, distinct, news-like articles (for engine tests; no shared data needed)."""
    out = []
    for i in range(n):
        city, who, what = CITIES[i % 5], OFFICIALS[i // 5 % 5], EVENTS[(i * 3) % 5]
        text = (
            f'{city} — On Monday {what} in {city}, {who} said. "We expect more news on day {i}," '
            f"{who} told reporters. Everyone knows the situation is always worse than officials admit."
        )
        out.append(
            Article(
                text=text,
                title=f"{city} report {i}",
                url=f"https://news{i % 3}.example/{i}",
                published=None,
                authors=[f"Reporter {i % 4}"],
            )
        )
    return out


def fill_store(path: Path, articles: list[Article]) -> str:
    url = str(path)
    with Store(url) as store:
        store.create()
        store.insert_articles([StoredArticle.of(a, "test") for a in articles])
    return url


def stored_reports(url: str) -> dict[str, str]:
    with Store(url) as store:
        return dict(store.db.execute("SELECT id, report FROM articles WHERE report IS NOT NULL"))


def stored_errors(url: str) -> dict[str, str]:
    with Store(url) as store:
        return dict(
            store.db.execute("SELECT id, analysis_error FROM articles WHERE analysis_error IS NOT NULL")
        )


def article_key(n: int) -> str:
    return f"url:https://m.example/{n:02d}"

"""Stand-in pipelines for the engine tests: cheap, deterministic, and able to crash, run out of memory or
kill their own worker process when an article asks them to."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

from newsift import report as R
from newsift.document import Document
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
                R.Entity(id=f"E{n}", label="MISC", canonical=m.group(), mentions=[doc.span(m.start(), m.end())])
            )


def marker_pipeline() -> Pipeline:
    return Pipeline([MarkerAnalyzer()])

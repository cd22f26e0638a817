"""Shared fixtures. Data-dependent tests use ``shared_data`` and skip when ../shared/data is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "war-report.html"
EXAMPLE_PUBLISHED = "2026-05-07"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def example_report():
    """The example article's report, analysed once per test session."""
    from newsift.ingest import load
    from newsift.ingest.text import parse_published
    from newsift.pipeline import default_pipeline

    (article,) = load(str(EXAMPLE))
    article.published = parse_published(EXAMPLE_PUBLISHED)
    return default_pipeline()(article)

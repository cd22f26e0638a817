"""A corpus of XSS payloads in every field a page shows (title, site, text, entities, claims, sources, URL),
served by uvicorn and opened in Chromium: no payload runs (no dialog, ``window.__xss`` unset, no console
error, which a CSP refusal would also raise)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from newsift.web.app import _link, article_link
from tests.web.browser import browser_page, serving_corpus
from tests.web.corpus import Spec

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=2;alert(2)">',
    '"><svg onload="window.__xss=3;alert(3)">',
    "</script><script>window.__xss=4;alert(4)</script>",
    '<iframe srcdoc="<script>parent.__xss=5;alert(5)</script>"></iframe>',
    "';window.__xss=6;alert(6);'",
    '<a href="javascript:window.__xss=7;alert(7)">click</a>',
    "{{7*7}}{% raw %}",
    "<style>body{display:none}</style>",
]
JOINED = " ".join(PAYLOADS)


def payload_specs() -> list[Spec]:
    text = " ".join(
        f"Officials said {p} was found near the river on Tuesday, according to the {p} agency." for p in PAYLOADS
    )
    specs = []
    for n, url in enumerate(["https://xss.example/<script>alert(9)</script>", "https://xss-copy.example/a?q=<b>"]):
        specs.append(
            Spec(
                text + (" A later copy." if n else ""),
                PAYLOADS[n] + PAYLOADS[1],
                url,
                f"2026-05-0{n + 1}",
                entities=[(PAYLOADS[0], "ORG"), (PAYLOADS[1], "GPE")],
                claims=[(f"Officials said {PAYLOADS[2]} was found near the river", "named", 0.9)],
                techniques=[(PAYLOADS[3], "Loaded_Language")],
                source=(PAYLOADS[4], "organization"),
                site=PAYLOADS[6],
            )
        )
    return specs


@pytest.fixture
def hostile_site(tmp_path: Path):
    with serving_corpus(str(tmp_path / "xss.db"), payload_specs()) as site:
        yield site


def test_no_payload_runs_in_the_browser(hostile_site, tmp_path):
    base, ids = hostile_site
    paths = [
        "/",
        "/articles",
        "/articles?q=" + quote(PAYLOADS[0]),
        "/articles?q=officials&site=" + quote(PAYLOADS[6]),
        *(article_link(i) for i in ids),
        "/clusters",
        _link("/clusters", ids[0]),
        "/entities",
        _link("/entities", PAYLOADS[0]),
        _link("/places", PAYLOADS[1]),
        "/articles/" + quote(PAYLOADS[0], safe=""),  # a 404 that echoes the id
    ]
    with browser_page() as (page, watch):
        for path in paths:
            response = page.goto(base + path)
            assert response.status in (200, 400, 404), path
            for span in page.locator("#text .m").all()[:40]:
                span.click()  # the details panel writes article strings
            page.mouse.move(5, 5)
            assert page.evaluate("window.__xss") is None, path
            assert page.locator("#text script, header script, main script:not([type])").count() == 0
        watch.console_errors = [
            e for e in watch.console_errors if "status of 404" not in e and "status of 400" not in e
        ]
        page.goto(base + "/analyze")
        page.fill("textarea[name=text]", f"The council met on Monday and approved the plan, officials said. {JOINED}")
        page.fill("input[name=title]", PAYLOADS[1])
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "The council met on Monday" in page.inner_text("#text")
        for span in page.locator("#text .m").all()[:40]:
            span.click()
        assert page.evaluate("window.__xss") is None
        page.screenshot(path=str(tmp_path / "analysis.png"), full_page=True)
        watch.assert_clean()

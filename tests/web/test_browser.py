"""Browser tests: Debian's Chromium, driven by Playwright, loads every page over a small corpus served by
uvicorn, follows search → article → rewrite cluster → diff, and saves screenshots; any console error fails."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from newsift.web.app import _link, article_link
from tests.web.browser import browser_page, serving_corpus
from tests.web.corpus import sample_specs

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path: Path):
    with serving_corpus(str(tmp_path / "browser.db"), sample_specs()) as site:
        yield site


def test_every_page_loads_cleanly(site, tmp_path):
    base, ids = site
    paths = [
        "/",
        "/articles",
        "/articles?q=bridge&sort=oldest",
        "/articles?technique=Loaded_Language",
        *(article_link(i) for i in ids),
        "/clusters",
        "/claim?article=" + quote(ids[0], safe="") + "&claim=c0",
        _link("/clusters", ids[0]),
        _link("/clusters", ids[0]) + "?member=" + ids[2].replace("?", "%3F").replace("=", "%3D"),
        "/entities",
        "/entities/Kyiv",
        "/places/Kherson",
        "/analyze",
        "/login",
    ]
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with browser_page() as (page, watch):
        for n, path in enumerate(paths):
            response = page.goto(base + path)
            assert response.status == 200, path
            assert page.locator("nav.site").count() == 1
            page.screenshot(path=str(shots / f"{n:02d}.png"), full_page=True)
        missing = page.goto(base + "/articles/url:https://nowhere.example/x")
        assert missing.status == 404 and "Not found" in page.inner_text("h1")
        watch.console_errors = [e for e in watch.console_errors if "404" not in e]  # the 404 page's own status
        watch.assert_clean()
    assert len(list(shots.iterdir())) == len(paths)


def test_search_article_cluster_path(site, tmp_path):
    base, ids = site
    with browser_page() as (page, watch):
        page.goto(base + "/")
        page.fill("nav.site input[name=q]", "bridge shelling")
        page.press("nav.site input[name=q]", "Enter")
        page.wait_for_url("**/articles?q=bridge+shelling")
        assert "3 articles" in page.inner_text("#total")
        page.select_option("select[name=sort]", "oldest")  # auto-submits (web.js)
        page.wait_for_url("**sort=oldest**")
        page.click("text=Bridge destroyed in overnight shelling")
        page.wait_for_url("**/articles/**")
        claim = page.locator("#text .l-claim").first
        claim.click()
        assert "Check-worthy claim" in page.inner_text("#details-body")
        page.check("input[data-layer=entity]")
        assert "show-entity" in page.get_attribute("body", "class")
        page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
        page.click("a.cluster-link")
        page.wait_for_url("**/clusters/**")
        assert page.locator("table.members tbody tr").count() == 3
        page.click("a.diff-link >> nth=0")
        page.wait_for_url("**member=**")
        assert page.locator("table.diff tr.op-replace").count() >= 1
        page.screenshot(path=str(tmp_path / "cluster.png"), full_page=True)
        page.go_back()
        page.go_back()
        page.click("a.claim-cluster >> nth=0")
        page.wait_for_url("**/claim?**")
        assert page.locator("table.carriers tbody tr").count() == 2  # the two copies carrying the claim verbatim
        assert page.locator("table.carriers td.s-anonymous").count() == 1
        page.screenshot(path=str(tmp_path / "claim.png"), full_page=True)
        watch.assert_clean()

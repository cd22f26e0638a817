"""The pages over a small corpus: dashboard, article list (search, filters, sort, pages), article view,
rewrite cluster with its diff, entities and places."""

from __future__ import annotations

import re
from html import unescape

from newsift.web.app import article_link
from tests.web.corpus import sample_specs, store_specs


def titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<a class="title" href="[^"]*">([^<]*)</a>', html)]


def test_dashboard_counts(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "<b>5</b> articles" in page.text and "<b>5</b> analysed" in page.text
    assert "<b>1</b> rewrite clusters" in page.text
    assert 'class="newsift-map"' in page.text and "<title>Odesa (city, UA)</title>" in page.text
    assert "2026-05" in page.text and "Kherson" in page.text and "Appeal to fear-prejudice" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")


def test_search_and_filters(client):
    assert set(titles(client.get("/articles", params={"q": "bridge"}).text)) == {
        "Bridge destroyed in overnight shelling",
        "Bridge hit, four dead",
        "Shelling destroys bridge",
    }
    assert titles(client.get("/articles", params={"q": "grain OR penalty", "sort": "oldest"}).text) == [
        "Club wins cup",
        "Grain exports rise",
    ]
    assert titles(client.get("/articles", params={"technique": "Loaded_Language"}).text) == ["Club wins cup"]
    assert set(titles(client.get("/articles", params={"source_kind": "government"}).text)) == {
        "Bridge destroyed in overnight shelling",
        "Grain exports rise",
    }
    assert titles(client.get("/articles", params={"entity": "odesa"}).text) == ["Grain exports rise"]
    assert titles(client.get("/articles", params={"site": "copy-two.example"}).text) == ["Bridge hit, four dead"]
    in_may = titles(client.get("/articles", params={"since": "2026-05-02", "until": "2026-05-03"}).text)
    assert in_may == ["Shelling destroys bridge", "Bridge hit, four dead"]
    assert titles(client.get("/articles", params={"q": "bridge -panic", "sort": "oldest"}).text) == [
        "Bridge destroyed in overnight shelling",
        "Shelling destroys bridge",
    ]


def test_sort_and_pages_keep_the_query(client):
    first = client.get("/articles", params={"sort": "title", "per_page": 2})
    assert titles(first.text) == ["Bridge destroyed in overnight shelling", "Bridge hit, four dead"]
    assert "5 articles · page 1 of 3" in first.text
    next_link = unescape(re.search(r'<a rel="next" href="([^"]+)"', first.text).group(1))
    assert "sort=title" in next_link and "per_page=2" in next_link and "page=2" in next_link
    assert titles(client.get(next_link).text) == ["Club wins cup", "Grain exports rise"]
    assert titles(client.get("/articles", params={"sort": "title", "per_page": 2, "page": 9}).text) == []


def test_article_view(client, corpus):
    _, ids = corpus
    page = client.get(article_link(ids[0]))
    assert page.status_code == 200
    html = page.text
    claim = "the attack killed four people and wounded twelve"
    assert re.search(r'<span class="m[^"]*l-claim[^"]*"[^>]*>' + claim, html)
    assert 'id="marks"' in html and '<script src="/static/report.js"></script>' in html
    assert 'href="/clusters/url%3Ahttps%3A%2F%2Fnews-one.example%2Fbridge"' in html
    assert "rewrite cluster of 3 articles" in html
    assert (
        "/claim?article=url%3Ahttps%3A%2F%2Fnews-one.example%2Fbridge&amp;claim=c0" in html
        and 'href="/places/Kherson"' in html
    )
    assert "<script>" not in html  # no inline script: the CSP allows only the app's own files


def test_unanalysed_article_shows_its_text(tmp_path):
    from fastapi.testclient import TestClient

    from newsift.web import create_app

    db = str(tmp_path / "raw.db")
    ids = store_specs(db, sample_specs()[:1], analysed=False, clusters=False)
    page = TestClient(create_app(db)).get(article_link(ids[0]))
    assert page.status_code == 200 and "Not analysed yet" in page.text and "Kherson was destroyed" in page.text


def test_id_with_query_string_and_slashes(client, corpus):
    _, ids = corpus
    assert ids[2] == "url:https://copy-three.example/a?id=7"
    page = client.get(article_link(ids[2]))
    assert page.status_code == 200 and "Shelling destroys bridge" in page.text


def test_cluster_diff(client, corpus):
    _, ids = corpus
    page = client.get("/clusters")
    assert "Bridge destroyed in overnight shelling" in page.text
    cluster = client.get(f"/clusters/{ids[0]}", params={"member": ids[1]})
    assert cluster.status_code == 200
    rows = re.findall(r'<tr class="op-(\w+)"><td>(.*?)</td><td>(.*?)</td></tr>', cluster.text, re.S)
    changed = [(o, c) for op, o, c in rows if op == "replace"]
    assert any("fear" in o and "panic" in c for o, c in changed)
    assert any(op == "equal" for op, _, _ in rows)
    third = client.get(f"/clusters/{ids[0]}", params={"member": ids[2]}).text
    assert "Power was cut to thousands of homes." in third


def test_entity_and_place_pages(client):
    page = client.get("/places/Kherson")
    assert page.status_code == 200
    assert "<b>3</b> articles mention this place" in page.text
    assert "<title>Kherson (city, UA)</title>" in page.text and "<title>Kyiv" not in page.text
    assert 'href="/entities/Kyiv"' in page.text  # mentioned with
    assert client.get("/entities/kherson").status_code == 200  # names match case-insensitively
    assert "Odesa" in client.get("/entities").text


def test_static_assets_are_served_by_the_app(client):
    for name in ("web.css", "web.js", "report.css", "report.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response.content
    assert client.get("/static/../app.py").status_code == 404


def test_claim_across_the_corpus(client, corpus):
    _, ids = corpus
    page = client.get("/claim", params={"article": ids[0], "claim": "c0"})
    assert page.status_code == 200
    rows = re.findall(r"<tr><td>([\d-]+)</td><td>([^<]*)</td>.*?<td class=\"s-(\w+)\">", page.text, re.S)
    assert rows == [("2026-05-01", "news-one.example", "named"), ("2026-05-02", "copy-two.example", "anonymous")]
    assert "first seen 2026-05-01 on news-one.example" in page.text and "Not in a claim cluster" in page.text
    assert client.get("/claim", params={"article": ids[0], "claim": "c9"}).status_code == 404
    assert client.get("/claim", params={"article": ids[0]}).status_code == 400


def test_dashboard_snapshot_follows_new_articles(client, corpus):
    from tests.web.corpus import Spec

    assert "<b>5</b> articles" in client.get("/").text
    store_specs(
        corpus[0],
        [Spec("A new article about the grain harbour.", "New", "https://new.example/1", "2026-06-01")],
        clusters=False,
    )
    assert "<b>6</b> articles" in client.get("/").text


def test_claim_cluster_members(client, corpus):
    from newsift.corpus.store import Store

    db, ids = corpus
    members = [(ids[0], "c0"), (ids[1], "c0"), (ids[2], "c0")]
    with Store(db) as store:
        store.db.executemany(
            "INSERT INTO claim_clusters VALUES (?, ?, ?, ?)",
            [(f"{ids[0]}#c0", a, c, n) for n, (a, c) in enumerate(members)],
        )
    page = client.get("/claim", params={"article": ids[2], "claim": "c0"})
    assert page.status_code == 200, page.text[-800:]
    table = page.text.split('class="list claim-cluster-members"')[1].split("</table>")[0]
    assert re.findall(r'<td class="s-(\w+)">', table) == ["named", "anonymous", "unattributed"]
    assert "at least four people" in table and "Officials in Kyiv" in table
    trace = client.get("/api/claims/trace", params={"article_id": ids[1], "claim_id": "c0"}).json()
    assert [m["site"] for m in trace["cluster"]] == ["news-one.example", "copy-two.example", "copy-three.example"]

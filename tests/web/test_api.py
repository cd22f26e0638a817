"""The REST API: analyse (with the real pipeline), articles, search, claims, clusters, entities, export,
and its OpenAPI document."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq


def test_openapi_lists_the_endpoints(client):
    doc = client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    for path in (
        "/api/analyze",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/claims",
        "/api/claims/trace",
        "/api/clusters",
        "/api/clusters/{cluster_id}",
        "/api/entities",
        "/api/entities/{name}",
        "/api/export",
    ):
        assert path in paths
    assert not any(p.startswith("/static") or p == "/" for p in paths)
    assert client.get("/docs").status_code == 404  # the CDN-based docs page is off


def test_analyze_with_the_real_pipeline_and_keep(client):
    text = (
        "The city council of Lviv approved a new budget on Tuesday, the mayor said. "
        "Critics said the plan would raise rents by 20 percent next year."
    )
    response = client.post(
        "/api/analyze", json={"text": text, "title": "Budget approved", "published": "2026-05-07", "keep": True}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    report = body["report"]
    assert report["article"]["text"] == text and report["article"]["published"] == "2026-05-07"
    for layer in ("entities", "dates", "claims", "techniques"):
        for item in report[layer]:
            start, end = item.get("start"), item.get("end")
            if start is not None:
                assert text[start:end] == item["text"]
    stored = client.get("/api/articles/" + body["article_id"]).json()
    assert stored["text"] == text and stored["report"]["article"]["text"] == text
    assert client.get("/api/articles", params={"q": "budget Lviv"}).json()["total"] == 1


def test_articles_pages_and_search(client):
    page = client.get("/api/articles", params={"sort": "oldest", "per_page": 2, "page": 2}).json()
    assert page["total"] == 5 and [a["title"] for a in page["items"]] == [
        "Bridge destroyed in overnight shelling",
        "Bridge hit, four dead",
    ]
    hits = client.get("/api/search", params={"q": "grain exports"}).json()
    assert [h["title"] for h in hits] == ["Grain exports rise"] and "harbour" in hits[0]["snippet"]


def test_large_matches_are_not_ranked_and_filtered_counts_estimated(client, monkeypatch):
    from newsift.web import queries

    monkeypatch.setattr(queries, "RANK_LIMIT", 2)
    monkeypatch.setattr(queries, "SAMPLE", 2)
    page = client.get("/api/articles", params={"q": "bridge"}).json()
    assert page["unranked_sort"] == "newest" and page["total"] == 3 and not page["total_estimated"]
    assert [a["published"] for a in page["items"]] == ["2026-05-03", "2026-05-02", "2026-05-01"]
    filtered = client.get("/api/articles", params={"q": "bridge", "entity": "Kyiv"}).json()
    assert filtered["total_estimated"] and filtered["total"] in (2, 3)  # 3 matches x (hits among the first 2) / 2
    assert {a["title"] for a in filtered["items"]} == {
        "Bridge destroyed in overnight shelling",
        "Bridge hit, four dead",
    }
    assert "Too many matches to rank" in client.get("/articles", params={"q": "bridge"}).text


def test_claims(client, corpus):
    _, ids = corpus
    claims = client.get("/api/claims").json()
    assert [c["checkworthiness"] for c in claims] == sorted((c["checkworthiness"] for c in claims), reverse=True)
    named = client.get("/api/claims", params={"sourcing": "named"}).json()
    assert {c["source_name"] for c in named} == {"Officials in Kyiv", "the trade office in Odesa"}
    one = client.get("/api/claims", params={"article_id": ids[1]}).json()
    assert [(c["text"], c["sourcing"]) for c in one] == [
        ("the attack killed four people and wounded twelve", "anonymous")
    ]
    assert client.get("/api/claims", params={"sourcing": "rumour"}).status_code == 422
    trace = client.get("/api/claims/trace", params={"article_id": ids[0], "claim_id": "c0"}).json()
    assert trace["outlets"] == ["copy-two.example", "news-one.example"]
    assert [c["sourcing"] for c in trace["carriers"]] == ["named", "anonymous"]


def test_clusters(client, corpus):
    _, ids = corpus
    (cluster,) = client.get("/api/clusters").json()
    assert cluster == {"id": ids[0], "origin_title": "Bridge destroyed in overnight shelling", "size": 3}
    members = client.get(f"/api/clusters/{ids[0]}").json()
    assert [m["id"] for m in members][0] == ids[0] and members[0]["is_origin"]
    copy = next(m for m in members if m["id"] == ids[1])
    assert any(step["op"] == "replace" and "panic" in step["copy"] for step in copy["diff"])
    assert members[0]["method"] == "origin" and copy["method"] == "near-copy"


def test_entities(client):
    places = client.get("/api/entities", params={"places": True}).json()
    assert places[0] == {"name": "Kherson", "articles": 3}
    kherson = client.get("/api/entities/Kherson").json()
    assert kherson["total"] == 3 and {"name": "Kyiv", "articles": 2} in kherson["together"]
    assert [m["name"] for m in kherson["per_month"]] == ["2026-05"]


def test_export_formats(client, tmp_path):
    jsonl = client.get("/api/export", params={"what": "claims", "format": "jsonl"})
    records = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(records) == 4 and {"article_id", "text", "sourcing"} <= set(records[0])
    rows = list(
        csv.DictReader(io.StringIO(client.get("/api/export", params={"what": "entities", "format": "csv"}).text))
    )
    assert any(r["canonical"] == "Odesa" for r in rows)
    parquet = client.get("/api/export", params={"what": "articles", "format": "parquet"})
    path = tmp_path / "a.parquet"
    path.write_bytes(parquet.content)
    assert pq.read_table(path).num_rows == 5
    assert client.get("/api/export", params={"what": "passwords"}).status_code == 422

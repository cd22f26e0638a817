from __future__ import annotations

import json

from newsift.corpus.clusters import align_sentences, find_clusters, rebuild_clusters, shingles
from newsift.corpus.ingest import IngestOptions, ingest
from newsift.corpus.store import Store

ORIGIN = (
    "Ukrainian forces shelled a school in the village on Monday, local officials said. "
    "Three people were wounded and taken to the regional hospital. "
    "The ministry denied any involvement and called the report a provocation. "
    "Investigators arrived at the scene on Tuesday morning to collect evidence."
)
COPY = ORIGIN.replace("local officials said", "the local administration claimed").replace(
    "Investigators arrived", "Western journalists were not allowed in. Investigators arrived"
)
OTHER = (
    "Bread prices in the capital rose by a third this spring as the harvest failed and fuel costs "
    "climbed, the statistics office reported on Friday in its monthly bulletin."
)


def test_shingles():
    assert shingles("A b c") == {b"a b c"}
    assert len(shingles("one two three four five six")) == 4


def test_near_copies_cluster_with_the_earliest_as_origin():
    clusters = find_clusters(
        [("b", COPY, "2026-05-02"), ("a", ORIGIN, "2026-05-01"), ("c", OTHER, "2026-04-01")]
    )
    assert len(clusters) == 1
    (cluster,) = clusters
    assert cluster.origin == "a" and [m.article_id for m in cluster.members] == ["a", "b"]
    assert 0.5 <= cluster.members[1].similarity < 1.0


def test_alignment_shows_what_the_copy_changed():
    ops = align_sentences(ORIGIN, COPY)
    assert [o["op"] for o in ops] == ["replace", "equal", "insert", "equal"]
    first = ops[0]
    assert ORIGIN[first["origin"][0] : first["origin"][1]].endswith("local officials said.")
    assert COPY[first["copy"][0] : first["copy"][1]].endswith("the local administration claimed.")
    inserted = ops[2]
    assert COPY[inserted["copy"][0] : inserted["copy"][1]] == "Western journalists were not allowed in."
    assert inserted["origin"][0] == inserted["origin"][1] == ORIGIN.index("Investigators")


def test_rebuild_clusters_fills_the_table(store: Store, write_jsonl):
    src = write_jsonl(
        "a.jsonl",
        [
            {"text": ORIGIN, "published": "2026-05-01", "url": "https://a.example/1"},
            {"text": COPY, "published": "2026-05-02", "url": "https://b.example/1"},
            {"text": OTHER},
        ],
    )
    ingest(store, [str(src)], IngestOptions())
    assert len(rebuild_clusters(store)) == 1
    rows = store.db.execute(
        "SELECT cluster_id, article_id, is_origin, alignment FROM clusters ORDER BY is_origin"
    )
    assert [(r[1], r[2]) for r in rows] == [("url:https://b.example/1", 0), ("url:https://a.example/1", 1)]
    assert rows[0][0] == "url:https://a.example/1" and json.loads(rows[0][3])[1]["op"] == "equal"
    assert len(rebuild_clusters(store)) == 1 and store.db.execute("SELECT COUNT(*) FROM clusters")[0][0] == 2

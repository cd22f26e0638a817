from __future__ import annotations

import numpy as np
import pytest

from newsift.corpus.clusters import PARAPHRASE, find_clusters, paraphrase_search, rebuild_clusters
from newsift.corpus.ingest import IngestOptions, ingest
from newsift.corpus.paraphrase import (
    Alignment,
    Embedded,
    ParaphraseSearch,
    SentenceVectors,
    align,
    diff_steps,
    signature,
)
from newsift.corpus.store import Store

ORIGIN = (
    "The Lorvik dam collapsed early on Sunday after three days of heavy rain, the emergency service said. "
    "Water flooded the villages of Amsel and Drovna within two hours. "
    "About 1,200 residents were moved to schools on higher ground. "
    "Two people are missing, according to the regional governor. "
    "Engineers had warned last autumn that the spillway needed repairs."
)
PARAPHRASE_TEXT = (
    "Within a couple of hours Amsel and Drovna were under water. "
    "Heavy rainfall over three days caused the dam at Lorvik to fail on Sunday morning. "
    "Some 1,200 people were evacuated to schools on high ground. "
    "Sources say two people have not been found. "
    "Residents said they received no warning."
)
DISTRACTOR = (
    "Water levels along the Seltna river dropped on Thursday as the rain eased, the emergency service said. "
    "Flood warnings were lifted for the town of Pirnau. "
    "Farmers say thousands of hectares of winter wheat are lost near Lorvik and Drovna."
)


def embedded(spans: list[tuple[int, int]], rows: list[list[float]]) -> Embedded:
    vectors = np.array(rows, dtype=np.float32)
    return Embedded(spans, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))


def test_signature_is_a_normalised_bag_of_content_words():
    a = signature("The dam at Lorvik broke; 1,200 people fled the dam.")
    assert a.shape == (512,) and abs(float(np.linalg.norm(a)) - 1) < 1e-6
    assert float(a @ signature("People fled when the Lorvik dam broke: 1,200 of them, from the dam.")) > 0.99
    assert float(a @ signature("Bread prices rose in the capital this spring.")) < 0.3
    assert not signature("the and of").any()


def test_alignment_is_greedy_and_one_to_one():
    a = embedded([(0, 1), (2, 3), (4, 5)], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    b = embedded([(0, 1), (2, 3)], [[0.1, 1, 0], [0, 0.9, 0.1]])  # both near a's second sentence
    result = align(a, b, sentence_cosine=0.6)
    assert [(i, j) for i, j, _ in result.pairs] == [(1, 0)]  # the better match wins; a sentence is used once
    assert result.share == pytest.approx(2 * 1 / 5)
    assert align(a, Embedded([], np.zeros((0, 3), np.float32)), 0.6).share == 0.0


def test_diff_steps_in_the_copy_order():
    origin, copy = "A one. B two. C three.", "C 3. New. A one."
    a = Embedded([(0, 6), (7, 13), (14, 22)], np.eye(3, dtype=np.float32))
    b = Embedded([(0, 4), (5, 9), (10, 16)], np.eye(3, dtype=np.float32))
    steps = diff_steps(origin, a, copy, b, Alignment([(2, 0, 0.8), (0, 2, 1.0)], 4 / 6))
    # B two. is dropped: shown before the first copy sentence aligned with a later origin sentence
    assert [s["op"] for s in steps] == ["delete", "replace", "insert", "equal"]
    assert [copy[slice(*s["copy"])] for s in steps] == ["", "C 3.", "New.", "A one."]
    assert [origin[slice(*s["origin"])] for s in steps] == ["B two.", "C three.", "", "A one."]
    assert steps[1]["cosine"] == 0.8


def test_sentence_vectors_embed_once_and_keep_them_in_the_store(store: Store, write_jsonl, monkeypatch):
    calls = []

    def fake_encode(texts, cache=True):
        calls.append(list(texts))
        return np.ones((len(texts), 384), np.float32) / np.sqrt(384)

    monkeypatch.setattr("newsift.factchecks.embed.encode", fake_encode)
    src = write_jsonl("a.jsonl", [{"text": ORIGIN, "url": "https://a.example/1"}])
    ingest(store, [str(src)], IngestOptions())
    texts = {"url:https://a.example/1": ORIGIN}
    first = SentenceVectors(texts.__getitem__, store).get(texts)
    again = SentenceVectors(texts.__getitem__, store).get(texts)
    assert len(calls) == 1 and len(calls[0]) == 5
    (e,) = again.values()
    assert [ORIGIN[s:t] for s, t in e.spans][1] == "Water flooded the villages of Amsel and Drovna within two hours."
    assert np.allclose(e.vectors, first["url:https://a.example/1"].vectors, atol=1e-3)


def test_a_paraphrase_joins_the_cluster_and_a_same_topic_story_does_not():
    texts = {"a": ORIGIN, "b": PARAPHRASE_TEXT, "c": DISTRACTOR}
    search = ParaphraseSearch(SentenceVectors(texts.__getitem__))
    clusters = find_clusters(
        [("b", PARAPHRASE_TEXT, "2026-03-03"), ("a", ORIGIN, "2026-03-02"), ("c", DISTRACTOR, "2026-03-01")],
        paraphrases=search,
    )
    assert len(find_clusters([(k, t, None) for k, t in texts.items()])) == 0  # MinHash alone misses it
    (cluster,) = clusters
    origin, copy = cluster.members
    assert (origin.article_id, copy.article_id, copy.method) == ("a", "b", PARAPHRASE)
    assert cluster.methods == {PARAPHRASE} and copy.similarity >= 0.5
    ops = {(ORIGIN[slice(*s["origin"])], PARAPHRASE_TEXT[slice(*s["copy"])]): s["op"] for s in copy.alignment}
    assert ops[("Water flooded the villages of Amsel and Drovna within two hours.",
                "Within a couple of hours Amsel and Drovna were under water.")] == "replace"
    assert ops[("", "Residents said they received no warning.")] == "insert"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request, db_url: str):
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else db_url
    with Store(url) as s:
        s.create()
        yield s


def test_rebuild_stores_how_each_copy_was_found(any_store: Store, write_jsonl):
    store = any_store
    near_copy = ORIGIN.replace("the emergency service said", "officials claimed")
    src = write_jsonl(
        "a.jsonl",
        [
            {"text": ORIGIN, "published": "2026-03-02", "url": "https://a.example/1"},
            {"text": near_copy, "published": "2026-03-02", "url": "https://b.example/1"},
            {"text": PARAPHRASE_TEXT, "published": "2026-03-03", "url": "https://c.example/1"},
            {"text": DISTRACTOR, "published": "2026-03-05", "url": "https://d.example/1"},
        ],
    )
    ingest(store, [str(src)], IngestOptions())
    (cluster,) = rebuild_clusters(store, paraphrases=paraphrase_search(store))
    assert cluster.methods == {"near-copy", "paraphrase"}
    rows = store.db.execute("SELECT article_id, method FROM clusters ORDER BY article_id")
    assert rows == [
        ("url:https://a.example/1", "origin"),
        ("url:https://b.example/1", "near-copy"),
        ("url:https://c.example/1", "paraphrase"),
    ]
    assert store.db.execute("SELECT COUNT(*) FROM sentence_vectors")[0][0] >= 2
    (near_only,) = rebuild_clusters(store)
    assert [m.method for m in near_only.members] == ["origin", "near-copy"]


def test_cli_lists_each_copy_with_how_it_was_found(db_url: str, write_jsonl):
    from click.testing import CliRunner

    from newsift.cli import main

    src = write_jsonl(
        "a.jsonl",
        [
            {"text": ORIGIN, "published": "2026-03-02", "url": "https://a.example/1"},
            {"text": PARAPHRASE_TEXT, "published": "2026-03-03", "url": "https://c.example/1"},
        ],
    )
    runner = CliRunner()
    assert runner.invoke(main, ["corpus", "ingest", str(src), "--db", db_url]).exit_code == 0
    result = runner.invoke(main, ["corpus", "clusters", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "origin url:https://a.example/1" in result.output
    assert "paraphrase" in result.output.splitlines()[-1] and "url:https://c.example/1" in result.output
    assert "1 candidate pair(s) checked" in result.output

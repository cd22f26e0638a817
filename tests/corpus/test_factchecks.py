"""Fact-check matches for the claims stored in the corpus."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from newsift import report as R
from newsift.corpus.analyze import analyze_pending
from newsift.corpus.export import rows
from newsift.corpus.factchecks import match_stored_claims
from newsift.corpus.ingest import IngestOptions, ingest
from newsift.corpus.store import Store
from newsift.document import Document
from newsift.factchecks import embed
from newsift.factchecks.bm25 import tokenize
from newsift.factchecks.match import Matcher
from newsift.factchecks.records import VerifiedClaim
from newsift.pipeline import Pipeline


class SentenceClaims:
    """A stand-in claims analyser: every sentence is a claim."""

    layer = "claims"
    english_only = False

    def __call__(self, doc: Document) -> None:
        for n, (start, end) in enumerate(doc.sentences):
            doc.claims.append(
                R.Claim(
                    id=f"C{n}",
                    start=start,
                    end=end,
                    text=doc.text[start:end],
                    checkworthiness=0.9,
                    sourcing="unattributed",
                )
            )


def bag_of_words(texts, **_):
    out = np.zeros((len(texts), 128), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in tokenize(text):
            out[i, zlib.crc32(word.encode()) % 128] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture(autouse=True)
def fake_encoder(monkeypatch):
    monkeypatch.setattr(embed, "encode", bag_of_words)


def test_stored_claims_get_their_fact_checks(store: Store, write_jsonl):
    text = "Drinking bleach cures the flu. The weather was mild in May."
    ingest(store, [str(write_jsonl("a.jsonl", [{"text": text}]))], IngestOptions())
    analyze_pending(store, Pipeline([SentenceClaims()]))
    checked = [
        VerifiedClaim("v1", "Drinking bleach cures flu.", rating="False", url="https://check.example/1"),
        VerifiedClaim("v2", "The Eiffel Tower will be demolished.", rating="False"),
    ]
    assert match_stored_claims(store, Matcher(checked)) == (1, 2)
    (report_json,) = store.db.execute("SELECT report FROM articles")[0]
    claims = R.Report.model_validate_json(report_json).claims
    assert [m.url for m in claims[0].fact_checks] == ["https://check.example/1"]
    assert claims[0].fact_checks[0].rating == "False" and claims[1].fact_checks == []
    assert [r["checked_claim"] for r in rows(store, "factchecks")] == ["Drinking bleach cures flu."]
    assert match_stored_claims(store, Matcher(checked)) == (1, 2)  # re-running replaces, never doubles
    assert len(list(rows(store, "factchecks"))) == 1


def test_claim_clusters_follow_one_claim_across_outlets(store: Store, write_jsonl):
    from newsift.corpus.claim_clusters import rebuild_claim_clusters

    articles = [
        {
            "text": "Drinking bleach cures the flu. Rain fell.",
            "url": "https://b.example/1",
            "site": "b.example",
            "published": "2026-05-03",
        },
        {
            "text": "Drinking bleach cures the flu. Snow fell on the hills.",
            "url": "https://a.example/1",
            "site": "a.example",
            "published": "2026-05-01",
        },
        {"text": "The Eiffel Tower will be demolished.", "url": "https://c.example/1", "site": "c.example"},
    ]
    ingest(store, [str(write_jsonl("a.jsonl", articles))], IngestOptions())
    analyze_pending(store, Pipeline([SentenceClaims()]))
    (cluster,) = rebuild_claim_clusters(store, threshold=0.99)
    assert [(m.site, m.published) for m in cluster] == [
        ("a.example", "2026-05-01"),
        ("b.example", "2026-05-03"),
    ]
    exported = list(rows(store, "claim-clusters"))
    assert [r["site"] for r in exported] == ["a.example", "b.example"]
    assert exported[0]["text"] == "Drinking bleach cures the flu." and exported[0]["position"] == 0
    assert (
        len(rebuild_claim_clusters(store, threshold=0.99)) == 1
        and len(list(rows(store, "claim-clusters"))) == 2
    )

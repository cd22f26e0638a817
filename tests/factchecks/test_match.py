from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

from newsift.eval.factchecks import average_precision, checkthat_dir, map_at
from newsift.factchecks import embed
from newsift.factchecks.bm25 import BM25, tokenize
from newsift.factchecks.match import FEATURE_NAMES, Matcher, Reranker, Rescorer, clean_query
from newsift.factchecks.records import Query, VerifiedClaim, read_run, run_lines

CLAIMS = [
    VerifiedClaim("10", "Drinking bleach cures the flu.", "Does Bleach Cure Flu?"),
    VerifiedClaim("11", "The Eiffel Tower will be demolished in 2027.", "Is the Eiffel Tower Coming Down?"),
    VerifiedClaim("12", "A shark was seen swimming on a flooded highway in Houston.", None),
]


def hashed_bag_of_words(texts, **_):
    """A stand-in encoder: normalised hashed bag of words (so tests need no model)."""
    out = np.zeros((len(texts), 256), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in tokenize(text):
            out[i, zlib.crc32(word.encode()) % 256] += 1
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


@pytest.fixture(autouse=True)
def fake_encoder(monkeypatch):
    monkeypatch.setattr(embed, "encode", hashed_bag_of_words)


def test_tokenize_drops_links_and_stop_words():
    assert tokenize("The shark is in Houston! https://t.co/x pic.twitter.com/abc") == ["shark", "houston"]


def test_bm25_prefers_rare_matching_terms():
    index = BM25([c.search_text for c in CLAIMS])
    scores = index.scores("shark on the highway")
    assert scores.argmax() == 2 and scores[0] == scores[1] == 0


def test_clean_query():
    assert (
        clean_query("Bleach cures flu pic.twitter.com/x https://t.co/y — Ann (@ann)")
        == "Bleach cures flu — Ann (@ann)"
    )


@pytest.mark.parametrize("reranker", [None, Reranker(np.eye(len(FEATURE_NAMES), dtype=np.float32)[2])])
def test_matcher_ranks_the_matching_claim_first_and_lists_all(reranker):
    ranking = Matcher(CLAIMS, reranker).rank(
        [
            Query("q1", "Is it true that bleach cures the flu?"),
            Query("q2", "shark swimming on the highway in Houston!!"),
        ],
        top=3,
    )
    assert [v for v, _ in ranking["q1"]][0] == "10"
    assert [v for v, _ in ranking["q2"]][0] == "12"
    for hits in ranking.values():
        assert sorted(v for v, _ in hits) == ["10", "11", "12"]
        scores = [s for _, s in hits]
        assert scores == sorted(scores, reverse=True)


def test_queries_use_the_query_encoder_and_claims_the_base_model(monkeypatch):
    calls = []

    def spy(texts, **kwargs):
        calls.append((list(texts), kwargs.get("query", False)))
        return hashed_bag_of_words(texts)

    monkeypatch.setattr(embed, "encode", spy)
    Matcher(CLAIMS).rank([Query("q1", "bleach cures the flu")], top=1)
    Matcher(CLAIMS).matches(["bleach cures the flu"])
    by_encoder = {(tuple(texts), query) for texts, query in calls}
    assert (("bleach cures the flu",), True) in by_encoder
    assert (tuple(c.claim for c in CLAIMS), False) in by_encoder
    assert not any(query for texts, query in calls if texts != ["bleach cures the flu"])


class PrefersWord:
    """A stand-in pair scorer: 5 for a claim text holding ``word``, else 0; it records its calls."""

    def __init__(self, word: str) -> None:
        self.word, self.calls = word, []

    def __call__(self, query: str, texts) -> np.ndarray:
        self.calls.append((query, list(texts)))
        return np.array([5.0 * (self.word in t) for t in texts], dtype=np.float32)


def test_rescorer_reorders_only_the_first_candidates():
    query = [Query("q1", "Is it true that bleach cures the flu? https://t.co/x")]
    plain = [v for v, _ in Matcher(CLAIMS).rank(query, top=3)["q1"]]
    assert plain[0] == "10"
    for top in (1, 2, 3):
        scorer = PrefersWord(CLAIMS[int(plain[-1]) - 10].claim.split()[1])  # a word of the last claim only
        hits = Matcher(CLAIMS, rescorer=Rescorer(scorer, top=top, weight=1.0)).rank(query, top=3)["q1"]
        texts = [CLAIMS[int(v) - 10].search_text for v in plain[:top]]
        assert scorer.calls == [("Is it true that bleach cures the flu?", texts)]
        expected = plain if top < 3 else [plain[-1], *plain[:-1]]
        assert [v for v, _ in hits] == expected
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_matches_rescore_only_claims_over_the_least_similarity():
    scorer = PrefersWord("Eiffel")
    matcher = Matcher(CLAIMS, rescorer=Rescorer(scorer, top=5, weight=1.0))
    assert matcher.matches(["the weather in Oslo"], min_similarity=0.3) == [[]]
    assert scorer.calls == []
    found = matcher.matches(["bleach cures the flu", "Eiffel Tower demolished"], min_similarity=0.3)
    assert [[m.claim for m in hits] for hits in found] == [[CLAIMS[0].claim], [CLAIMS[1].claim]]
    assert [texts for _, texts in scorer.calls] == [[CLAIMS[0].search_text], [CLAIMS[1].search_text]]


def test_packaged_reranker_loads():
    reranker = Reranker.packaged()
    assert reranker.weights.shape == (len(FEATURE_NAMES),)


def test_run_file_roundtrip(tmp_path: Path):
    run = tmp_path / "run.tsv"
    run.write_text("\n".join(run_lines({"q1": [("10", 0.9), ("12", 0.5)]}, "t")) + "\n")
    assert run.read_text().splitlines()[0] == "q1\tQ0\t10\t1\t0.900000\tt"
    assert read_run(run) == {"q1": ["10", "12"]}


def test_average_precision_checkthat_normalisation():
    assert average_precision({"a"}, ["a", "b"], 1) == 1.0
    assert average_precision({"a"}, ["b", "a"], 5) == 0.5
    assert average_precision({"a", "b"}, ["a", "x", "b"], 5) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision({"a"}, ["b", "c", "a"], 2) == 0.0
    assert map_at({"q1": {"a"}, "q2": {"b"}}, {"q1": ["a"]}, 5) == 0.5


def test_cli_match_writes_a_run(tmp_path: Path):
    from click.testing import CliRunner

    from newsift.cli import main

    claims = tmp_path / "verified_claims.docs.tsv"
    claims.write_text("\tvclaim\ttitle\n" + "".join(f"{c.id}\t{c.claim}\t{c.title or ''}\n" for c in CLAIMS))
    queries = tmp_path / "q.tsv"
    queries.write_text("\ttweet_content\n7\tbleach cures flu, my aunt says\n")
    out = tmp_path / "run.tsv"
    result = CliRunner().invoke(
        main, ["factchecks", "match", "--claims", str(claims), "--queries", str(queries), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert len(lines) == 3 and lines[0].startswith("7\tQ0\t10\t1\t")


@pytest.mark.shared
def test_checkthat_files_parse():
    from newsift.factchecks.records import read_checkthat_vclaims, read_qrels, read_queries

    root = checkthat_dir()
    if not root.is_dir():
        pytest.skip("../shared/data is absent")
    claims = read_checkthat_vclaims(root / "verified_claims.docs.tsv")
    assert len(claims) == 10375 and len({c.id for c in claims}) == len(claims)
    queries = read_queries(root / "dev" / "tweets.queries.tsv")
    qrels = read_qrels(root / "dev" / "tweet-vclaim-pairs.qrels")
    assert len(queries) == 197 and set(qrels) == {q.id for q in queries}

from __future__ import annotations

import numpy as np

from newsift.corpus.claim_clusters import ClaimMember, group_claims, join_links, numbers, same_claim


def claim(article: str, text: str) -> ClaimMember:
    return ClaimMember(article, "c1", text, None, None, "unattributed", None)


def test_numbers_ignore_thousands_separators():
    assert numbers("About 1,200 people and 3 dogs, 2.5 km away.") == {"1200", "3", "2.5"}
    assert numbers("No figures here.") == frozenset()


def test_numbers_read_number_words_and_scales():
    assert numbers("Twenty-three ships and ten tugs") == numbers("23 ships and 10 tugs") == {"23", "10"}
    assert numbers("two million customers") == numbers("2 million customers") == {"2000000"}
    assert numbers("2.5 million doses") == {"2500000"}
    assert numbers("Someone often said tens of thousands, a hundred or so") == frozenset()
    assert numbers("on 1.2.2026") == {"1.2.2026"}


def test_precise_check_needs_other_articles_and_agreeing_figures():
    assert same_claim(claim("a", "1,200 people fled."), claim("b", "Some 1200 residents fled."))
    assert same_claim(claim("a", "Thousands fled."), claim("b", "1,200 fled."))
    assert not same_claim(claim("a", "1,200 people fled."), claim("b", "3,000 people fled."))
    assert not same_claim(claim("a", "People fled."), claim("a", "People fled."))


def test_precise_check_reads_figures_in_words_and_lets_one_claim_add_a_figure():
    assert same_claim(claim("a", "Twenty-three ships are waiting."), claim("b", "23 vessels are waiting."))
    assert not same_claim(claim("a", "Petrol rose by 21 percent."), claim("b", "The tax falls by five cents."))
    assert same_claim(claim("a", "1,450 cases, most in children under five."), claim("b", "1,450 cases so far."))
    assert not same_claim(claim("a", "1,450 cases, most under five."), claim("b", "1,480 cases, most under five."))


def test_group_claims_joins_near_neighbours_that_pass_the_check():
    members = [
        claim("a", "The dam broke on Sunday."),
        claim("b", "On Sunday the dam broke."),
        claim("c", "Sunday: the dam broke."),
        claim("d", "Bread prices rose by 20 percent."),
        claim("e", "Bread prices rose by 30 percent."),
    ]
    rng = np.random.default_rng(1)
    dam, bread = rng.normal(size=16), rng.normal(size=16)
    rows = [dam, dam + 0.01, dam - 0.01, bread, bread + 0.01]
    vectors = np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)
    assert group_claims(members, vectors, threshold=0.95, neighbours=3) == [[0, 1, 2]]


def test_a_chain_of_links_does_not_join_claims_that_are_not_linked_to_the_first_seen():
    members = [
        ClaimMember(a, "c1", f"claim {a}", None, day, "unattributed", None)
        for a, day in (("a", "2026-05-01"), ("b", "2026-05-02"), ("c", "2026-05-03"), ("d", None))
    ]
    # a-b, b-c and c-d are linked, a-c and a-d are not: b joins a; c is linked only to b, a member, so it
    # leads a cluster of its own, which d (undated, so seen last) joins
    links = [(0, 1, 0.9), (1, 2, 0.9), (2, 3, 0.7)]
    assert join_links(members, links) == [[0, 1], [2, 3]]
    # the same claims listed in another order keep their first-seen leader
    order = [3, 2, 1, 0]
    shuffled = [members[i] for i in order]
    moved = [(order.index(a), order.index(b), c) for a, b, c in links]
    assert sorted(sorted(order[i] for i in g) for g in join_links(shuffled, moved)) == [[0, 1], [2, 3]]


def test_copies_of_a_text_join_its_first_claim_however_many_there_are():
    members = [claim(f"art{k}", "The dam broke on Sunday.") for k in range(30)] + [claim("x", "Rain fell.")]
    vectors = np.array([[1.0, 0.0]] * 30 + [[0.0, 1.0]], dtype=np.float32)
    assert group_claims(members, vectors, threshold=0.9, neighbours=3) == [list(range(30))]


def test_claim_vectors_embed_each_text_once_and_keep_it(store, monkeypatch):
    from newsift.corpus import claim_clusters

    encoded: list[str] = []

    def fake_encode(texts, cache=True):
        encoded.extend(texts)
        return np.array([[len(t), 1.0, 0.0] for t in texts], np.float32)

    monkeypatch.setattr("newsift.factchecks.embed.encode", fake_encode)
    vectors, made = claim_clusters.claim_vectors(store, ["The dam broke.", "Prices rose.", "The dam broke."])
    assert made == 2 and encoded == ["The dam broke.", "Prices rose."]
    assert vectors[0].tolist() == vectors[2].tolist() == [14.0, 1.0, 0.0]
    vectors, made = claim_clusters.claim_vectors(store, ["Prices rose.", "Bread ran out."])
    assert made == 1 and encoded[-1] == "Bread ran out."
    assert vectors.tolist() == [[12.0, 1.0, 0.0], [14.0, 1.0, 0.0]]

"""The claims layer: check-worthiness, sourcing and hedges."""

from __future__ import annotations

from newsift import report as R
from newsift.analyze.claims import MAX_UNIT_CHARS, sourcing, units
from newsift.attribution.checkworthy import load_model
from newsift.document import Article, Document


def test_model_separates_checkable_from_chatter():
    model = load_model()
    assert model.is_checkworthy("We're consuming 50 percent of the world's cocaine.")
    assert not model.is_checkworthy("Let me help the governor.")
    assert 0.0 <= model.score("") <= 1.0


def test_units_split_lines_and_skip_fragments():
    text = "By Anna Kovalenko\n\nThe army said it took the village on Monday. Ok then."
    doc = Document(article=Article(text=text), sentences=[(0, text.index("Ok") - 1), (text.index("Ok"), len(text))])
    assert [text[s:e] for s, e in units(doc)] == ["The army said it took the village on Monday."]
    long_text = "word " * (MAX_UNIT_CHARS // 4)
    assert units(Document(article=Article(text=long_text), sentences=[(0, len(long_text))])) == []


def test_a_claim_starts_after_its_dateline():
    text = ("KYIV, March 3 (Reuters) — Negotiators failed to agree on a ceasefire on Tuesday.\n"
            "WASHINGTON - The Senate passed the bill by 52 votes to 48.\n"
            "NATO said it would send more troops to the eastern flank.")
    lines = [(0, text.index("\nW")), (text.index("WASH"), text.index("\nN")), (text.index("NATO"), len(text))]
    got = [text[s:e] for s, e in units(Document(article=Article(text=text), sentences=lines))]
    assert got == ["Negotiators failed to agree on a ceasefire on Tuesday.",
                   "The Senate passed the bill by 52 votes to 48.",
                   "NATO said it would send more troops to the eastern flank."]


def test_a_dateline_alone_is_no_claim_and_a_list_item_loses_its_bullet():
    text = ("MILAN, Oct. 14 — At least 12 people have died in the floods.\nKey facts:\n"
            "- More than 3,000 people have been evacuated.\n2. The Po river rose 4 metres in a day.")
    cut = text.index("At")
    lines = [(0, cut - 1), (cut, text.index("\nKey")), (text.index("Key"), text.index("\n-")),
             (text.index("- More"), text.index("\n2.")), (text.index("2. The"), len(text))]
    got = [text[s:e] for s, e in units(Document(article=Article(text=text), sentences=lines))]
    assert got == ["At least 12 people have died in the floods.", "More than 3,000 people have been evacuated.",
                   "The Po river rose 4 metres in a day."]


def test_sourcing_follows_the_source():
    span = R.Span(start=0, end=1, text="x")
    named = R.Source(id="s1", kind="person", named=True, name="X", description="X", mentions=[span])
    anon = R.Source(id="s2", kind="anonymous", named=False, description="officials", mentions=[span])
    sources = {"s1": named, "s2": anon}

    def attribution(source):
        return R.Attribution(id="a", source=source, content=span, direct=False)

    assert sourcing(attribution("s1"), sources) == "named"
    assert sourcing(attribution("s2"), sources) == "anonymous"
    assert sourcing(attribution(None), sources) == "unattributed"
    assert sourcing(None, sources) == "unattributed"


def test_example_claims_are_sourced_consistently(example_report):
    rep = example_report
    assert rep.claims and rep.offset_errors() == []
    attributions = {a.id: a for a in rep.attributions}
    sources = {s.id: s for s in rep.sources}
    for claim in rep.claims:
        assert 0.0 <= claim.checkworthiness <= 1.0
        assert sourcing(attributions.get(claim.attribution), sources) == claim.sourcing
    counts = rep.summary.sourcing
    assert counts.named + counts.anonymous + counts.unattributed == len(rep.claims)
    assert counts.named and counts.anonymous and counts.unattributed


def test_example_anonymous_claim_carries_its_hedge(example_report):
    claim = next(c for c in example_report.claims if "31 of the 40 drones" in c.text)
    assert claim.sourcing == "anonymous"
    assert "If confirmed" in {h.text for h in claim.hedges}

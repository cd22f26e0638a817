"""PolNeAR reading and attribution scoring."""

from __future__ import annotations

import pytest

from newsift import report as R
from newsift.attribution.corpora import GoldAttribution, parse_brat, read_polnear
from newsift.eval.polnear import matches, score_article

ANN = """T1\tSource 0 2\tHe
T2\tCue 3 7\tsaid
T3\tContent 8 20;25 30\tthe war ended
T4\tAttribution 3 7\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 40 45\tclaim
T6\tContent 46 50\tthis
E2\tAttribution-no-source:T5 Content:T6 Cue:T5
"""


def test_parse_brat_links_roles_and_keeps_pieces():
    first, second = parse_brat(ANN)
    assert first == GoldAttribution(content=[(8, 20), (25, 30)], source=[(0, 2)], cue=[(3, 7)])
    assert second.source == [] and second.content == [(46, 50)]


def test_match_needs_half_of_the_shorter():
    assert matches([(0, 10)], [(5, 100)])
    assert not matches([(0, 10)], [(6, 100)])
    assert not matches([(0, 0)], [(0, 10)])


def span(s, e):
    return R.Span(start=s, end=e, text="x" * (e - s))


def test_score_article_one_to_one_with_source_by_any_mention():
    gold = [GoldAttribution([(10, 20)], [(0, 2)], [(3, 7)]), GoldAttribution([(40, 50)], [], [])]
    src = R.Source(id="s1", kind="person", named=True, name="X", description="X",
                   mentions=[span(0, 2), span(60, 62)])
    preds = [R.Attribution(id="a1", source="s1", source_span=span(60, 62), content=span(10, 19), direct=False),
             R.Attribution(id="a2", source="s1", content=span(11, 20), direct=False),
             R.Attribution(id="a3", content=span(42, 50), direct=False)]
    counts = score_article(gold, preds, [src])
    assert (counts.predicted, counts.gold, counts.matched) == (3, 2, 2)
    assert (counts.with_source, counts.source_right) == (1, 1)


@pytest.mark.shared
def test_dev_has_one_gold_annotator_per_article(shared_data):
    articles = read_polnear("dev")
    assert len(articles) == 84
    assert len({a.name for a in articles}) == 84
    assert all(a.attributions for a in articles)

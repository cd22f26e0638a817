"""What the renderers share: the quotations as shown."""

import pytest

from newsift.render.views import QuoteRow
from newsift.report import Attribution, Span


@pytest.mark.parametrize("content, shown", [
    ('"Where would we go?"', "“Where would we go?”"),  # its own marks are not doubled
    ("“We heard the explosion,”", "“We heard the explosion”"),
    ("This is our home", "“This is our home”"),  # a content inside the marks gets them back
    ('that the talks were "not dead"', 'that the talks were "not dead"'),  # reported speech quoting a phrase
])
def test_a_quotation_is_shown_in_one_pair_of_marks(content, shown):
    row = QuoteRow(Attribution(id="a1", content=Span(start=0, end=len(content), text=content), direct=True), "x")
    assert row.shown == shown

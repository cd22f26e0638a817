import pytest

from newsift.errors import InputError
from newsift.ingest import load, parse_text
from tests.conftest import EXAMPLE


def test_example_metadata():
    (article,) = load(str(EXAMPLE))
    assert article.title == "Drone strikes hit Kharkiv as ceasefire talks stall"
    assert article.authors == ["Anna Kovalenko"]
    assert article.site == "The Meridian Ledger"
    assert article.url == "https://meridian-ledger.example/world/2026/05/07/kharkiv-drone-strikes-talks-stall"
    assert article.published.isoformat() == "2026-05-07"
    assert "sources close to the talks" in article.text
    assert "Subscribe" not in article.text and "Privacy" not in article.text


def test_malformed_html_still_yields_text():
    html = ("<html><body><div><p>The minister said the ceasefire would hold until Friday, according to "
            "officials in the capital.<p>Unclosed <b>bold and <i>nested</div></span> tags everywhere, "
            "but the article goes on with a second long paragraph about the talks.")
    (article,) = parse_text(html, "html", "broken.html")
    assert "ceasefire would hold" in article.text


@pytest.mark.parametrize("html", ["<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                  "<html><head><title>x</title></head><body></body></html>"])
def test_html_without_article_text(html):
    with pytest.raises(InputError, match="no article text"):
        parse_text(html, "html", "empty.html")

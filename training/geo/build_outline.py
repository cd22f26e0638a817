"""Convert Natural Earth country outlines (npm ``world-atlas`` 2.0.2, ``countries-110m.json``, TopoJSON) into
``src/newsift/data/geo/world-110m.json``: one entry per country with its name and rings of (lon, lat) pairs
rounded to 0.01°.

Get the package with ``npm pack world-atlas@2.0.2`` and run
``python training/geo/build_outline.py world-atlas-2.0.2.tgz``. TopoJSON decoding: each arc is a list of
quantised, delta-encoded points; point k is ``(Σ_{j≤k} dx_j · sx + tx, Σ_{j≤k} dy_j · sy + ty)``; a geometry
names arcs by index, and index ``~i`` (that is ``-i - 1``) means arc i reversed.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "src" / "newsift" / "data" / "geo" / "world-110m.json"
MEMBER = "package/countries-110m.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def country_rings(arcs: list, geometry: dict) -> list[list[tuple[float, float]]]:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ring(arcs, r) for polygon in polygons for r in polygon]


def main(tgz: str) -> None:
    with tarfile.open(tgz) as tar:
        topo = json.load(tar.extractfile(MEMBER))
    arcs = decode_arcs(topo)
    countries = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        countries.append({"name": geometry["properties"]["name"], "rings": country_rings(arcs, geometry)})
    OUT.write_text(json.dumps({"source": "Natural Earth 1:110m via npm world-atlas 2.0.2",
                               "countries": countries}, separators=(",", ":")), encoding="utf-8")
    print(f"{len(countries)} countries, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])

"""An inline SVG map of an article's places over Natural Earth country outlines (no network, no tiles).

Projection: equirectangular with the longitude axis shrunk by ``cos(φ₀)`` at the view's middle latitude φ₀,
so ``x = (λ − λ_min) · cos φ₀ · k`` and ``y = (φ_max − φ) · k`` with ``k`` fitting the view to the width.
The view is the places' bounding box padded by a fifth on each side, at least 10° × 6° and widened to a
landscape 4:3 at least, or the world.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from importlib.resources import files

from newsift import report as R

WIDTH = 640
WORLD = (-180.0, -60.0, 180.0, 84.0)
MIN_SPAN = (10.0, 6.0)
MIN_ASPECT = 4 / 3  # width / height of the drawn view, at least
LINE = 13.0  # label line height, px (font size 12)
LABEL_CHAR_WIDTH = 6.5
Ring = list[list[float]]


@lru_cache(maxsize=1)
def outline() -> list[Ring]:
    """Every country ring of the shipped outline, as [lon, lat] pairs."""
    data = json.loads((files("newsift") / "data" / "geo" / "world-110m.json").read_text(encoding="utf-8"))
    return [ring for country in data["countries"] for ring in country["rings"]]


def view_box(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(lon_min, lat_min, lon_max, lat_max) around ``points`` (lon, lat), or the world when there are none."""
    if not points:
        return WORLD
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    box = []
    for lo, hi, least, limit in ((min(lons), max(lons), MIN_SPAN[0], 180.0),
                                 (min(lats), max(lats), MIN_SPAN[1], 85.0)):
        pad = max((hi - lo) * 0.2, (least - (hi - lo)) / 2, 0.0)
        box.append((max(lo - pad, -limit), min(hi + pad, limit)))
    (lon_min, lon_max), (lat_min, lat_max) = box
    shrink = math.cos(math.radians((lat_min + lat_max) / 2))
    missing = (MIN_ASPECT * (lat_max - lat_min) / shrink - (lon_max - lon_min)) / 2
    if missing > 0:
        lon_min, lon_max = max(lon_min - missing, -180.0), min(lon_max + missing, 180.0)
    return lon_min, lat_min, lon_max, lat_max


def _overlaps(ring: Ring, box: tuple[float, float, float, float]) -> bool:
    lon_min, lat_min, lon_max, lat_max = box
    return any(lon_min <= lon <= lon_max and lat_min <= lat <= lat_max for lon, lat in ring) or (
        min(p[0] for p in ring) <= lon_min and max(p[0] for p in ring) >= lon_max
    )


def _path(rings: Iterable[Ring], project) -> str:
    parts = []
    for ring in rings:
        xy = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def label_y(x: float, y: float, width: float, taken: list[tuple[float, float, float]]) -> float:
    """The baseline for a label at (x, y), moved down a line at a time until it overlaps no earlier label;
    the label's box is added to ``taken``."""
    while any(abs(y - ty) < LINE and x < tx + tw and tx < x + width for tx, ty, tw in taken):
        y += LINE
    taken.append((x, y, width))
    return y


def svg_map(places: Sequence[R.Place]) -> str:
    """An ``<svg>`` element: country outlines with one labelled point per distinct place."""
    unique = list({(p.geonames_id, p.name, p.lat, p.lon): p for p in places}.values())
    box = view_box([(p.lon, p.lat) for p in unique])
    lon_min, lat_min, lon_max, lat_max = box
    shrink = math.cos(math.radians((lat_min + lat_max) / 2))
    k = WIDTH / ((lon_max - lon_min) * shrink)
    height = (lat_max - lat_min) * k

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - lon_min) * shrink * k, (lat_max - lat) * k

    land = _path((r for r in outline() if _overlaps(r, box)), project)
    marks = []
    taken: list[tuple[float, float, float]] = []  # label boxes drawn so far: x, y, width
    for p in sorted(unique, key=lambda p: -p.lat):
        x, y = project(p.lon, p.lat)
        ly = label_y(x + 6, y + 4, LABEL_CHAR_WIDTH * len(p.name), taken)
        label = escape(p.name)
        title = escape(f"{p.name} ({p.kind}{', ' + p.country if p.country else ''})")
        marks.append(f'<g class="place place-{p.kind}"><title>{title}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>'
                     f'<text x="{x + 6:.1f}" y="{ly:.1f}">{label}</text></g>')
    # Inline in HTML an <svg> clips to its viewport (the UA sheet's overflow: hidden), so outlines running
    # past the view need no clip path.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="newsift-map" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'role="img" aria-label="Map of the places the article mentions">'
            f'<rect width="{WIDTH}" height="{height:.0f}" fill="#dbe9f4"/>'
            f'<path d="{land}" fill="#f4f1ea" stroke="#9a9a9a" stroke-width="0.6"/>'
            f'<g fill="#c0392b" font-family="sans-serif" font-size="12">{"".join(marks)}</g></svg>')

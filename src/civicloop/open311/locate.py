"""Where an Open311 request is: a point or an address matched to one of the district's places.

A point must lie inside the district's outline (when we have one, `places.outlines`); it then takes the nearest
community, compound or building with coordinates within `MATCH_RADIUS_M` — else the case keeps the point alone and
lands with the district's dispatchers. An address takes the deepest street, community or compound whose name it
contains ("天平路街道XX小区" is the compound, not the street); an address that names none is kept as text."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import F, Value
from django.db.models.functions import Length

from civicloop.places.constants import LEVEL_DEPTH, PlaceLevel
from civicloop.places.models import Place
from civicloop.places.outlines import district_outline, outline_contains

from .constants import MATCH_RADIUS_M
from .error_codes import Open311ErrorCode

MATCH_LEVELS = (PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND, PlaceLevel.BUILDING)
EARTH_RADIUS_M = 6_371_000
_DEGREE_M = math.pi * EARTH_RADIUS_M / 180  # metres in one degree of latitude


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def place_at_point(district: Place, lat: Decimal, lng: Decimal) -> Place | None:
    """The place nearest the point among the district's communities, compounds and buildings within the radius;
    OUT_OF_AREA when the point is outside the district's outline."""
    from civicloop.core.errors import CivicError

    outline = district_outline(district)
    if outline is not None and not outline_contains(outline, float(lat), float(lng)):
        raise CivicError(Open311ErrorCode.OUT_OF_AREA)
    dlat = Decimal(MATCH_RADIUS_M / _DEGREE_M)
    dlng = Decimal(MATCH_RADIUS_M / (_DEGREE_M * max(0.01, math.cos(math.radians(float(lat))))))
    near = (Place.objects.filter(district=district, level__in=MATCH_LEVELS, lat__range=(lat - dlat, lat + dlat),
                                 lng__range=(lng - dlng, lng + dlng))
            .only("pk", "level", "district_id", "street_id", "community_id", "lat", "lng")[:2000])
    best, best_d = None, float(MATCH_RADIUS_M)
    for place in near:
        d = distance_m(float(lat), float(lng), float(place.lat), float(place.lng))
        # the nearest; at the same distance the deeper place (a building over its compound)
        if d < best_d or (best is not None and d == best_d and LEVEL_DEPTH[place.level] > LEVEL_DEPTH[best.level]):
            best, best_d = place, d
    return best


def place_in_address(district: Place, address: str) -> Place | None:
    """The deepest street, community or compound of the district whose name the address contains (among equals
    the longest name), or None. Buildings are left out: their names ("1号楼") repeat in every compound."""
    if not address:
        return None
    found = list(Place.objects.filter(district=district, level__in=ADDRESS_LEVELS)
                 .alias(text=Value(address), name_length=Length("name"))
                 .filter(text__contains=F("name"), name_length__gte=2)
                 .only("pk", "level", "name", "district_id", "street_id", "community_id")[:200])
    if not found:
        return None
    return max(found, key=lambda p: (LEVEL_DEPTH[p.level], len(p.name), -p.pk))


ADDRESS_LEVELS = (PlaceLevel.STREET, PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND)

"""Readers for places. Every function takes the acting user and starts from `scope_for(actor)`.

Households and enterprises, and their tags, follow `permissions` (a department: only through its cases and
duties); their `tags` come prefetched with only the tags the viewer may see.

Out-of-scope objects raise the same `not_found()` as missing ones (docs/decisions.md §5).
Counts for a list of places are computed with one grouped query per kind of count, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from civicloop.core.errors import not_found
from civicloop.core.masking import mask_for_display
from civicloop.core.selectors import first_or_not_found
from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.scope import scope_for

from .constants import PlaceLevel
from .models import Enterprise, Household, ParkBuilding, Place, Tag, Zone
from .permissions import people_visible_q, tags_visible_q

# Which household/enterprise column holds the ancestor of a given level (for grouped counts).
_HOUSEHOLD_GROUP = {
    PlaceLevel.DISTRICT: "district_id",
    PlaceLevel.STREET: "street_id",
    PlaceLevel.COMMUNITY: "community_id",
    PlaceLevel.COMPOUND: "building__parent_id",
    PlaceLevel.BUILDING: "building_id",
}
_ENTERPRISE_GROUP = {
    PlaceLevel.DISTRICT: "district_id",
    PlaceLevel.STREET: "street_id",
    PlaceLevel.COMMUNITY: "community_id",
}


@dataclass(frozen=True)
class PlaceRow:
    """A child place with its counts, as the browser and the API show it."""

    place: Place
    children: int
    households: int
    enterprises: int | None  # None where enterprises are not attached at this level


# ----- places


def place_list_for(actor, *, parent: Place | None = None, level: str | None = None, q: str | None = None) -> QuerySet:
    qs = scope_for(actor).filter_places(Place.objects.all())
    if parent is not None:
        qs = qs.filter(parent=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def place_get_for(actor, code: str) -> Place:
    return first_or_not_found(scope_for(actor).filter_places(Place.objects).select_related("parent"), code=code)


def place_roots_for(actor) -> list[Place]:
    """Where the browser starts: the viewer's territory root (every district for a superuser without unit)."""
    scope = scope_for(actor)
    if scope.root_id is not None:
        return list(Place.objects.filter(pk=scope.root_id))
    if scope.sees_everything:
        return list(Place.objects.filter(level=PlaceLevel.DISTRICT).order_by("code"))
    return []


def place_breadcrumbs_for(actor, place: Place) -> list[Place]:
    """The visible ancestors of `place` (root first), `place` included; nothing above the viewer's root."""
    codes = [c for c in place.path.strip("/").split("/") if c]
    ancestors = {p.code: p for p in scope_for(actor).filter_places(Place.objects.filter(code__in=codes))}
    return [ancestors[c] for c in codes if c in ancestors]


def place_rows(places: list[Place]) -> list[PlaceRow]:
    """Attach child/household/enterprise counts to places of one level: three grouped queries in all."""
    if not places:
        return []
    level = places[0].level
    ids = [p.pk for p in places]
    children = dict(
        Place.objects.filter(parent_id__in=ids).values_list("parent_id").annotate(n=Count("id")).values_list("parent_id", "n")
    )
    hh_col = _HOUSEHOLD_GROUP[level]
    households = dict(
        Household.objects.filter(**{f"{hh_col}__in": ids}).values_list(hh_col).annotate(n=Count("id")).values_list(hh_col, "n")
    )
    ent_col = _ENTERPRISE_GROUP.get(level)
    enterprises = {}
    if ent_col:
        enterprises = dict(
            Enterprise.objects.filter(**{f"{ent_col}__in": ids}).values_list(ent_col).annotate(n=Count("id")).values_list(ent_col, "n")
        )
    return [
        PlaceRow(p, children.get(p.pk, 0), households.get(p.pk, 0), enterprises.get(p.pk, 0) if ent_col else None)
        for p in places
    ]


def place_rows_mixed(places: list[Place]) -> list[PlaceRow]:
    """`place_rows` for places of several levels (at most three queries per level), order kept."""
    by_level: dict[str, list[Place]] = {}
    for p in places:
        by_level.setdefault(p.level, []).append(p)
    rows = {row.place.pk: row for group in by_level.values() for row in place_rows(group)}
    return [rows[p.pk] for p in places]


def place_children_for(actor, place: Place) -> list[PlaceRow]:
    """The children of a visible place, with counts. `place` must come from `place_get_for`."""
    if not scope_for(actor).covers_place(place):
        raise not_found()
    return place_rows(list(Place.objects.filter(parent=place).order_by("code")))


def scope_counts_for(actor) -> dict[str, int]:
    """How many places, households and enterprises the viewer's scope holds (the home page)."""
    scope = scope_for(actor)
    return {
        "places": scope.filter_places(Place.objects.all()).count(),
        "households": Household.objects.filter(people_visible_q(scope, Household)).count(),
        "enterprises": Enterprise.objects.filter(people_visible_q(scope, Enterprise)).count(),
    }


# ----- households


def _visible(actor, model) -> QuerySet:
    """`model`'s rows the viewer sees (`permissions.people_visible_q`), their `tags` prefetched with only the
    tags the viewer may see (`permissions.tags_visible_q`)."""
    scope = scope_for(actor)
    return model.objects.filter(people_visible_q(scope, model)).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.filter(tags_visible_q(scope))))


def _with_tag(actor, qs: QuerySet, tag: str) -> QuerySet:
    """Rows with the tag `tag` — if the viewer may see that tag; else none (nobody filters by a tag they may not see)."""
    return qs.filter(tags__in=Tag.objects.filter(tags_visible_q(scope_for(actor)), code=tag))


def household_list_for(actor, *, place: Place | None = None, tag: str | None = None, q: str | None = None) -> QuerySet:
    """Households the viewer sees, optionally under `place` (any level) or with a tag code."""
    qs = _visible(actor, Household)
    if place is not None:
        col = _HOUSEHOLD_GROUP[PlaceLevel(place.level)]
        qs = qs.filter(**{col: place.pk})
    if tag:
        qs = _with_tag(actor, qs, tag)
    if q:
        qs = qs.filter(Q(address__icontains=q) | Q(code__startswith=q))
    return qs.select_related("building").order_by("code")


def household_get_for(actor, code: str) -> Household:
    qs = _visible(actor, Household).select_related("street", "community", "building", "building__parent")
    return first_or_not_found(qs, code=code)


def household_may_unmask(actor, household: Household) -> bool:
    """District administrators, and the staff of the household's own committee, may see unmasked data."""
    scope = scope_for(actor)
    if scope.has_role(Role.DISTRICT_ADMIN):
        if scope.district_id == household.district_id or scope.sees_everything:
            return True
    return scope.unit_kind == UnitKind.COMMITTEE and scope.root_id == household.community_id


def households_shown(actor, households) -> list[Household]:
    """Loaded households as `actor` may see them: numbers typed into the address masked unless they may see the
    household's personal data (`household_may_unmask`)."""
    return [h if household_may_unmask(actor, h) else mask_for_display(h, "address") for h in households]


# ----- enterprises, zones, park buildings


def enterprise_list_for(actor, *, place: Place | None = None, park_building: str | None = None, q: str | None = None) -> QuerySet:
    """Enterprises the viewer sees (`permissions`), optionally under `place`, in a park building, by name/code."""
    qs = _visible(actor, Enterprise)
    if place is not None:
        col = _ENTERPRISE_GROUP.get(PlaceLevel(place.level))
        qs = qs.filter(**{col: place.pk}) if col else qs.none()
    if park_building:
        qs = qs.filter(park_building__code=park_building)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__startswith=q))
    return qs.select_related("street", "community", "park_building").order_by("credit_code")


def enterprise_get_for(actor, credit_code: str) -> Enterprise:
    return first_or_not_found(enterprise_list_for(actor), credit_code=credit_code)


def enterprises_shown(actor, enterprises) -> list[Enterprise]:
    """Loaded enterprises as `actor` may see them: numbers typed into the address masked unless they may see
    personal data there (the households' rule, as the API applies it)."""
    return [e if household_may_unmask(actor, e) else mask_for_display(e, "address") for e in enterprises]


def zone_list_for(actor) -> QuerySet:
    """Functional zones are district-level: anyone with a territory in the district sees them."""
    return scope_for(actor).filter_district(Zone.objects.all()).order_by("code")


def zone_get_for(actor, code: str) -> Zone:
    return first_or_not_found(zone_list_for(actor), code=code)


def park_building_list_for(actor, *, zone: str | None = None) -> QuerySet:
    """Park buildings sit in a street: district and street viewers see them; a committee's scope holds none."""
    qs = scope_for(actor).filter_territorial(ParkBuilding.objects.all(), community="street")
    if zone:
        qs = qs.filter(zone__code=zone)
    return qs.select_related("zone", "street").order_by("code")


def park_building_get_for(actor, code: str) -> ParkBuilding:
    return first_or_not_found(park_building_list_for(actor), code=code)

"""JSON API for places, households, enterprises, zones and park buildings (mounted at /api/places/).

Handlers are thin: parse, call one selector, shape. Personal data of households is always masked here;
the unmasked view exists only on the page, and is logged.
"""

from __future__ import annotations

from decimal import Decimal

from ninja import Query, Router, Schema

from civicloop.core.api import READ_ERRORS, FilterText, PageIn, paged
from civicloop.core.masking import mask_free_text, mask_id_number, mask_name, mask_phone

from . import selectors

router = Router(tags=["places"])


# ----- schemas


class PlaceOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    path: str
    children: int
    households: int
    enterprises: int | None
    lat: Decimal | None = None
    lng: Decimal | None = None


class PlacePage(Schema):
    count: int
    items: list[PlaceOut]


class PlaceFilter(PageIn):
    parent: FilterText | None = None
    level: FilterText | None = None
    q: FilterText | None = None


def _place_out(row: selectors.PlaceRow) -> dict:
    p = row.place
    return {
        "code": p.code, "name": p.name, "level": p.level, "parent": p.parent.code if p.parent_id else None,
        "path": p.path, "children": row.children, "households": row.households, "enterprises": row.enterprises,
        "lat": p.lat, "lng": p.lng,
    }


class HouseholdOut(Schema):
    code: str
    street: str
    community: str
    building: str
    room: str
    address: str
    head_name: str
    head_phone: str
    head_id_number: str
    members: int
    tags: list[str]

    @staticmethod
    def resolve_street(obj) -> str:
        return obj.street.code

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.code

    @staticmethod
    def resolve_building(obj) -> str:
        return obj.building.code

    @staticmethod
    def resolve_address(obj, context) -> str:
        # numbers typed into the address: masked unless the viewer may see the household's personal data
        shown = selectors.household_may_unmask(context["request"].user, obj)
        return obj.address if shown else mask_free_text(obj.address)

    @staticmethod
    def resolve_head_name(obj) -> str:
        return mask_name(obj.head_name)

    @staticmethod
    def resolve_head_phone(obj) -> str:
        return mask_phone(obj.head_phone)

    @staticmethod
    def resolve_head_id_number(obj) -> str:
        return mask_id_number(obj.head_id_number)

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.code for t in obj.tags.all()]


class HouseholdPage(Schema):
    count: int
    items: list[HouseholdOut]


class HouseholdFilter(PageIn):
    place: FilterText | None = None
    tag: FilterText | None = None
    q: FilterText | None = None


class EnterpriseOut(Schema):
    credit_code: str
    name: str
    street: str
    community: str | None
    park_building: str | None
    industry: str
    size: str
    address: str
    contact_phone: str
    tags: list[str]

    @staticmethod
    def resolve_street(obj) -> str:
        return obj.street.code

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.community.code if obj.community_id else None

    @staticmethod
    def resolve_park_building(obj) -> str | None:
        return obj.park_building.code if obj.park_building_id else None

    @staticmethod
    def resolve_address(obj, context) -> str:
        # numbers typed into the address: masked unless the viewer may see personal data there (the households' rule)
        shown = selectors.household_may_unmask(context["request"].user, obj)
        return obj.address if shown else mask_free_text(obj.address)

    @staticmethod
    def resolve_contact_phone(obj) -> str:
        return mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [t.code for t in obj.tags.all()]


class EnterprisePage(Schema):
    count: int
    items: list[EnterpriseOut]


class EnterpriseFilter(PageIn):
    place: FilterText | None = None
    park_building: FilterText | None = None
    q: FilterText | None = None


class ZoneOut(Schema):
    code: str
    name: str


class ZonePage(Schema):
    count: int
    items: list[ZoneOut]


class ParkBuildingOut(Schema):
    code: str
    name: str
    zone: str
    street: str
    address: str

    @staticmethod
    def resolve_zone(obj) -> str:
        return obj.zone.code

    @staticmethod
    def resolve_street(obj) -> str:
        return obj.street.code


class ParkBuildingPage(Schema):
    count: int
    items: list[ParkBuildingOut]


class ParkBuildingFilter(PageIn):
    zone: FilterText | None = None


# ----- endpoints


@router.get("/places", response={200: PlacePage, **READ_ERRORS}, summary="List places in scope")
def place_list(request, filters: Query[PlaceFilter]):
    parent = selectors.place_get_for(request.user, filters.parent) if filters.parent else None
    qs = selectors.place_list_for(request.user, parent=parent, level=filters.level, q=filters.q).select_related("parent")
    page = paged(qs, filters)
    return {"count": page["count"], "items": [_place_out(r) for r in selectors.place_rows_mixed(page["items"])]}


@router.get("/places/{code}", response={200: PlaceOut, **READ_ERRORS}, summary="One place with its counts")
def place_detail(request, code: str):
    place = selectors.place_get_for(request.user, code)
    return _place_out(selectors.place_rows([place])[0])


@router.get("/households", response={200: HouseholdPage, **READ_ERRORS}, summary="Households in scope (masked)")
def household_list(request, filters: Query[HouseholdFilter]):
    place = selectors.place_get_for(request.user, filters.place) if filters.place else None
    qs = selectors.household_list_for(request.user, place=place, tag=filters.tag, q=filters.q)
    return paged(qs.select_related("street", "community"), filters)


@router.get("/households/{code}", response={200: HouseholdOut, **READ_ERRORS}, summary="One household (masked)")
def household_detail(request, code: str):
    return selectors.household_get_for(request.user, code)


@router.get("/enterprises", response={200: EnterprisePage, **READ_ERRORS}, summary="Enterprises in scope")
def enterprise_list(request, filters: Query[EnterpriseFilter]):
    place = selectors.place_get_for(request.user, filters.place) if filters.place else None
    qs = selectors.enterprise_list_for(request.user, place=place, park_building=filters.park_building, q=filters.q)
    return paged(qs, filters)


@router.get("/enterprises/{credit_code}", response={200: EnterpriseOut, **READ_ERRORS}, summary="One enterprise")
def enterprise_detail(request, credit_code: str):
    return selectors.enterprise_get_for(request.user, credit_code)


@router.get("/zones", response={200: ZonePage, **READ_ERRORS}, summary="Functional zones")
def zone_list(request, page: Query[PageIn]):
    return paged(selectors.zone_list_for(request.user), page)


@router.get("/zones/{code}", response={200: ZoneOut, **READ_ERRORS}, summary="One functional zone")
def zone_detail(request, code: str):
    return selectors.zone_get_for(request.user, code)


@router.get("/park-buildings", response={200: ParkBuildingPage, **READ_ERRORS}, summary="Park buildings")
def park_building_list(request, filters: Query[ParkBuildingFilter]):
    return paged(selectors.park_building_list_for(request.user, zone=filters.zone), filters)


@router.get("/park-buildings/{code}", response={200: ParkBuildingOut, **READ_ERRORS}, summary="One park building")
def park_building_detail(request, code: str):
    return selectors.park_building_get_for(request.user, code)

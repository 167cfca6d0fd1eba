"""JSON API for units, people records and staff (mounted at /api/orgs/). Personal data is masked."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from civicloop.core.api import READ_ERRORS, FilterText, PageIn, paged
from civicloop.core.masking import mask_id_number, mask_phone

from . import selectors
from .permissions import can_see_login_names
from .scope import scope_for

router = Router(tags=["orgs"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    territory: str | None
    active: bool

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_territory(obj) -> str | None:
        return obj.territory.code if obj.territory_id else None


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class UnitFilter(PageIn):
    kind: FilterText | None = None
    q: FilterText | None = None


class PersonOut(Schema):
    code: str
    name: str
    kind: str
    phone: str
    id_number: str
    unit: str | None
    community: str | None

    @staticmethod
    def resolve_phone(obj) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_id_number(obj) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.community.code if obj.community_id else None


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class PersonFilter(PageIn):
    kind: FilterText | None = None
    q: FilterText | None = None


class StaffOut(Schema):
    username: str | None = Field(description="The login name; null unless the viewer is a district administrator")
    display_name: str
    unit: str | None
    roles: list[str]

    @staticmethod
    def resolve_username(obj, context) -> str | None:
        return obj.username if can_see_login_names(scope_for(context["request"].user)) else None

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        return sorted(r.role for r in obj.role_rows.all())


class StaffPage(Schema):
    count: int
    items: list[StaffOut]


class StaffFilter(PageIn):
    unit: FilterText | None = None
    role: FilterText | None = None


@router.get("/units", response={200: UnitPage, **READ_ERRORS}, summary="Units of the viewer's district")
def unit_list(request, filters: Query[UnitFilter]):
    return paged(selectors.unit_list_for(request.user, kind=filters.kind, q=filters.q), filters)


@router.get("/units/{code}", response={200: UnitOut, **READ_ERRORS}, summary="One unit")
def unit_detail(request, code: str):
    return selectors.unit_get_for(request.user, code)


@router.get("/people", response={200: PersonPage, **READ_ERRORS}, summary="People records (masked)")
def person_list(request, filters: Query[PersonFilter]):
    return paged(selectors.person_list_for(request.user, kind=filters.kind, q=filters.q), filters)


@router.get("/people/{code}", response={200: PersonOut, **READ_ERRORS}, summary="One person record (masked)")
def person_detail(request, code: str):
    return selectors.person_get_for(request.user, code)


@router.get("/staff", response={200: StaffPage, **READ_ERRORS}, summary="Staff accounts of the district")
def staff_list(request, filters: Query[StaffFilter]):
    unit = selectors.unit_get_for(request.user, filters.unit) if filters.unit else None
    return paged(selectors.staff_list_for(request.user, unit=unit, role=filters.role), filters)

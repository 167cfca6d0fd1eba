"""Readers for units, people and staff. Every function takes the acting user and applies `scope_for(actor)`.

Units, people records and staff are district-level objects: a viewer with any territory in a district sees
the district's directory (dispatchers must be able to pick a department). Personal fields are masked by the
callers that show them (API schemas, pages), never here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civicloop.core.selectors import first_or_not_found

from .constants import Role
from .models import Person, Unit, User
from .scope import scope_for


def unit_list_for(actor, *, kind: str | None = None, q: str | None = None, active_only: bool = False) -> QuerySet:
    qs = scope_for(actor).filter_district(Unit.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if active_only:
        qs = qs.filter(active=True)
    return qs.select_related("territory", "parent").order_by("code")


def unit_get_for(actor, code: str) -> Unit:
    return first_or_not_found(unit_list_for(actor), code=code)


def person_list_for(actor, *, kind: str | None = None, q: str | None = None) -> QuerySet:
    qs = scope_for(actor).filter_district(Person.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.select_related("unit", "community").order_by("code")


def person_get_for(actor, code: str) -> Person:
    return first_or_not_found(person_list_for(actor), code=code)


def staff_list_for(actor, *, unit: Unit | None = None, role: str | None = None) -> QuerySet:
    qs = scope_for(actor).filter_district(User.objects.filter(is_active=True))
    if unit is not None:
        qs = qs.filter(unit=unit)
    if role:
        qs = qs.filter(role_rows__role=role)
    return qs.select_related("unit").prefetch_related("role_rows").order_by("username")


def user_profile_for(actor) -> dict:
    """What the home page says about the viewer: unit, roles, and the root of what they may see."""
    from civicloop.places.models import Place

    scope = scope_for(actor)
    root = Place.objects.filter(pk=scope.root_id).first() if scope.root_id else None
    return {"unit": actor.unit if actor.unit_id else None, "roles": [Role(r).label for r in sorted(scope.roles)], "root": root, "scope": scope}

"""Writers for places. Everything that creates or moves a place goes through here (path + ancestors stay right)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import personal_data_reveal

from .constants import DEFAULT_TAGS, PARENT_LEVEL, PlaceLevel
from .models import Place, Tag
from .selectors import household_get_for, household_may_unmask


def place_fields_under(parent: Place | None, *, code: str, level: str) -> dict:
    """The derived fields (path, district, street, community) of a place with `code` under `parent`.

    Shared by the one-by-one service and the bulk importers/generators, so the rule lives once.
    """
    expected = PARENT_LEVEL[PlaceLevel(level)]
    if expected is None:
        if parent is not None:
            raise CivicError(ErrorCode.INVALID, _("区不能有上级。"))
        return {"path": f"/{code}/", "parent": None, "district": None, "street": None, "community": None}
    if parent is None or parent.level != expected:
        raise CivicError(ErrorCode.INVALID, _("上级地点层级不符：%(level)s 的上级应为 %(expected)s。"),
                         level=PlaceLevel(level).label, expected=PlaceLevel(expected).label)
    district = parent if parent.level == PlaceLevel.DISTRICT else parent.district
    street = parent if parent.level == PlaceLevel.STREET else parent.street
    community = parent if parent.level == PlaceLevel.COMMUNITY else parent.community
    return {"path": f"{parent.path}{code}/", "parent": parent, "district": district, "street": street, "community": community}


@transaction.atomic
def place_create(*, code: str, name: str, level: str, parent: Place | None = None, **extra) -> Place:
    if Place.objects.filter(code=code).exists():
        raise CivicError(ErrorCode.DUPLICATE, _("编码 %(place_code)s 已存在。"), place_code=code)
    fields = place_fields_under(parent, code=code, level=level)
    place = Place(code=code, name=name, level=level, **fields, **extra)
    place.save()
    if level == PlaceLevel.DISTRICT:
        # The district is its own tenant key.
        place.district = place
        place.save(update_fields=["district"])
    return place


@transaction.atomic
def tags_ensure_defaults() -> int:
    """Create the shipped tags if missing; returns how many were created. Never changes existing ones."""
    created = 0
    for code, name, target, key_group in DEFAULT_TAGS:
        _, was_created = Tag.objects.get_or_create(code=code, defaults={"name": name, "target": target, "key_group": key_group})
        created += was_created
    return created


HEAD_FIELDS = ("head_name", "head_phone", "head_id_number")


def household_head_reveal(*, actor, code: str, reason_code: str = "", reason: str = "") -> dict:
    """The head of a visible household (else NOT_FOUND) unmasked — `{name, phone, id_number}` — for those
    `selectors.household_may_unmask` admits (else FORBIDDEN); the view is logged with its reason (object id:
    the household's code; reason and rate limit: `core.services.personal_data_reveal`)."""
    household = household_get_for(actor, code)
    clear = personal_data_reveal(actor=actor, obj=household, fields=HEAD_FIELDS, object_id=household.code,
                                 allowed=household_may_unmask(actor, household), reason_code=reason_code, reason=reason)
    return {"name": clear["head_name"], "phone": clear["head_phone"], "id_number": clear["head_id_number"]}

"""Members: a person registered to a community (a new orgs.Person record, or one the district has), and leaving."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.validators import validate_phone
from civicloop.orgs.constants import PersonKind
from civicloop.orgs.models import Person, Unit
from civicloop.orgs.scope import scope_for
from civicloop.orgs.services import person_create
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from ..constants import MemberKind, VolunteerAuditAction
from ..error_codes import VolunteerErrorCode
from ..models import Member
from ..permissions import may_keep
from ._common import audit, for_keeper, text_required

PERSON_KIND = {MemberKind.VOLUNTEER: PersonKind.VOLUNTEER, MemberKind.PARTY_MEMBER: PersonKind.PARTY_MEMBER}


def community_for_keeper(actor, community_id: int) -> Place:
    """A community in the actor's sight (else NOT_FOUND) that they keep (else FORBIDDEN)."""
    scope = scope_for(actor)
    community = Place.objects.filter(pk=community_id, level=PlaceLevel.COMMUNITY).only(
        "pk", "path", "district_id", "street_id", "name").first()
    if community is None or not scope.has_territory or not scope.covers_place(community):
        raise not_found()
    if not may_keep(actor, community.district_id, community.pk):
        raise CivicError(ErrorCode.FORBIDDEN)
    return community


@transaction.atomic
def member_register(*, actor, community_id: int, kind: str, name: str = "", phone: str = "",
                    unit_id: int | None = None, person_id: int | None = None,
                    now: dt.datetime | None = None) -> Member:
    """Register a volunteer or a reporting party member (在职党员: `unit_id`, the agency they report from — required)
    to a community the actor keeps. A new person record is made from name and phone, or `person_id` names one of
    the district's records; a person is registered once (ALREADY_REGISTERED)."""
    community = community_for_keeper(actor, community_id)
    kind = MemberKind(kind)
    unit = None
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id, district_id=community.district_id, active=True).first()
        if unit is None:
            raise CivicError(ErrorCode.INVALID, _("请从列表中选择%(field)s。"), field=_("所在单位"))
    if kind == MemberKind.PARTY_MEMBER and unit is None:
        raise CivicError(ErrorCode.INVALID, _("报到党员须填写所在单位。"))
    if person_id is not None:
        person = Person.objects.filter(pk=person_id, district_id=community.district_id).first()
        if person is None:
            raise not_found()
        if Member.objects.filter(person=person).exists():
            raise CivicError(VolunteerErrorCode.ALREADY_REGISTERED)
    else:
        name = text_required(name, _("姓名"))
        try:
            phone = validate_phone(phone) if (phone or "").strip() else ""
        except ValueError as exc:
            raise CivicError(ErrorCode.INVALID, str(exc)) from None
        if not phone:
            raise CivicError(ErrorCode.INVALID, _("请填写%(field)s。"), field=_("手机"))
        person = person_create(district_id=community.district_id, name=name, kind=PERSON_KIND[kind], phone=phone,
                               unit=unit, community=community, code_prefix="ZY")  # ZY + the row's id
    member = Member.objects.create(district_id=community.district_id, street_id=community.street_id,
                                   community=community, person=person, kind=kind, unit=unit,
                                   registered_at=now or timezone.now(), registered_by=actor)
    audit(actor, VolunteerAuditAction.REGISTER, member, person=person.pk, kind=str(kind), unit=unit_id)
    return member


@transaction.atomic
def member_leave(*, actor, member_id: int) -> Member:
    """The member leaves the roster (their hours stay in the ledger)."""
    member = for_keeper(Member.objects.all(), actor, member_id)
    if member.active:
        member.active = False
        member.save(update_fields=["active"])
        audit(actor, VolunteerAuditAction.LEAVE, member)
    return member

"""结对: an agency party organisation paired with a park building, a community or a compound of its district.
Standing (not per campaign): each campaign's assignment sends the subjects of a paired target to the teams the
party organisation forms. Created one by one here or by the Excel import (`import_kinds.PairingSpec`), both
checked by `pairing_problem`.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _gettext

from civicloop.core.errors import CivicError, not_found
from civicloop.core.services import audit_write
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import ParkBuilding, Place

from ..constants import CampaignAuditAction, PairingTarget
from ..error_codes import VisitErrorCode
from ..models import Pairing
from .campaigns import manager_district

TARGET_LEVEL = {PairingTarget.COMMUNITY: PlaceLevel.COMMUNITY, PairingTarget.COMPOUND: PlaceLevel.COMPOUND}


def pairing_problem(*, district_id: int, party_org_kind: str | None, party_org_district_id: int | None,
                    target: str, target_district_id: int | None, target_level: str | None = None) -> str | None:
    """What is wrong with a pairing, in words (None: nothing). Pure: the caller loads the party organisation's
    kind and district and the target's district (and, for a place, its level); a missing one is passed as None."""
    if party_org_kind is None or party_org_district_id != district_id:
        return _gettext("党组织不存在或不属于本区。")
    if party_org_kind != UnitKind.PARTY_ORG:
        return _gettext("所选单位不是机关党组织（单位类型：%(kind)s）。") % {"kind": UnitKind(party_org_kind).label}
    if target not in PairingTarget.values:
        return _gettext("结对类型应为园区楼宇、居委或小区。")
    label = PairingTarget(target).label
    if target_district_id is None or target_district_id != district_id:
        return _gettext("结对的%(target)s不存在或不属于本区。") % {"target": label}
    if target != PairingTarget.PARK_BUILDING and target_level != TARGET_LEVEL[target]:
        return _gettext("所选地点不是%(target)s。") % {"target": label}
    return None


def _refuse(message: str) -> CivicError:
    return CivicError(VisitErrorCode.PAIRING_INVALID, message)


@transaction.atomic
def pairing_create(*, actor, party_org_id: int, target: str, target_id: int) -> Pairing:
    """Pair a party organisation (a PARTY_ORG unit of the district) with a park building, a community or a
    compound of the district (`target` says which; `target_id` is the building's or the place's id)."""
    district_id = manager_district(actor)
    org = Unit.objects.filter(pk=party_org_id).values("kind", "district_id").first() or {}
    building = place = None
    if target == PairingTarget.PARK_BUILDING:
        building = ParkBuilding.objects.filter(pk=target_id).first()
        found = building
    elif target in TARGET_LEVEL:
        place = Place.objects.filter(pk=target_id).first()
        found = place
    else:
        found = None
    problem = pairing_problem(district_id=district_id, party_org_kind=org.get("kind"),
                              party_org_district_id=org.get("district_id"), target=target,
                              target_district_id=getattr(found, "district_id", None),
                              target_level=getattr(place, "level", None))
    if problem:
        raise _refuse(problem)
    if Pairing.objects.filter(party_org_id=party_org_id, park_building=building, place=place).exists():
        raise _refuse(_gettext("该党组织已与此%(target)s结对。") % {"target": PairingTarget(target).label})
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(district_id=district_id, party_org_id=party_org_id, target=target,
                                             park_building=building, place=place)
    except IntegrityError:  # created meanwhile
        raise _refuse(_gettext("该党组织已与此%(target)s结对。") % {"target": PairingTarget(target).label}) from None
    audit_write(action=CampaignAuditAction.PAIRING_CREATE, user=actor, district_id=district_id,
                object_type="visits.pairing", object_id=pairing.pk,
                details={"party_org": party_org_id, "target": target, "target_id": target_id})
    return pairing


@transaction.atomic
def pairing_delete(*, actor, pairing_id: int) -> None:
    """Undo a pairing. Subjects already assigned through it stay with their teams until the next run."""
    from ..selectors import pairings_for

    pairing = Pairing.objects.select_for_update().filter(pk=pairing_id).first()
    if pairing is None or not pairings_for(actor).filter(pk=pairing_id).exists():
        raise not_found()
    district_id = manager_district(actor, pairing.district_id)
    details = {"party_org": pairing.party_org_id, "target": pairing.target,
               "target_id": pairing.park_building_id or pairing.place_id}
    pairing.delete()
    audit_write(action=CampaignAuditAction.PAIRING_DELETE, user=actor, district_id=district_id,
                object_type="visits.pairing", object_id=pairing_id, details=details)

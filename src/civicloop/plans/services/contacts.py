"""区领导联系街道: the district leaders linked to each street."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import audit_write
from civicloop.orgs.models import User
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from ..constants import PlansAudit
from ..models import LeaderContact
from ..permissions import may_manage

MAX_LEADERS_PER_STREET = 3


@transaction.atomic
def leader_contacts_set(*, actor, street_id: int, leader_ids: list[int]) -> list[LeaderContact]:
    """The street's contact leaders become `leader_ids` (at most three staff accounts of the district)."""
    street = Place.objects.filter(pk=street_id, level=PlaceLevel.STREET).first()
    if street is None or not may_manage(actor, street.district_id):
        raise CivicError(ErrorCode.NOT_FOUND if street is None else ErrorCode.FORBIDDEN)
    ids = list(dict.fromkeys(int(i) for i in leader_ids))
    if len(ids) > MAX_LEADERS_PER_STREET:
        raise CivicError(ErrorCode.INVALID, _("每个街道最多联系三位区领导。"))
    leaders = list(User.objects.filter(pk__in=ids, district_id=street.district_id, is_active=True))
    if len(leaders) != len(ids):
        raise CivicError(ErrorCode.INVALID, _("区领导无效。"))
    LeaderContact.objects.filter(street=street).exclude(leader_id__in=ids).delete()
    have = set(LeaderContact.objects.filter(street=street).values_list("leader_id", flat=True))
    LeaderContact.objects.bulk_create([LeaderContact(district_id=street.district_id, leader=u, street=street)
                                       for u in leaders if u.pk not in have])
    audit_write(action=PlansAudit.CONTACT_SET, user=actor, district_id=street.district_id, object_type="places.place",
                object_id=street.pk, details={"leaders": ids})
    return list(LeaderContact.objects.filter(street=street).select_related("leader"))

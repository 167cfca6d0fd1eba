"""Service needs: posted and closed by the committee's staff."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError

from ..constants import MAX_NEED_DAYS_AHEAD, NeedState, VolunteerAuditAction
from ..error_codes import VolunteerErrorCode
from ..models import ServiceNeed
from ._common import audit, for_keeper, text_required
from .members import community_for_keeper


@transaction.atomic
def need_post(*, actor, community_id: int, title: str, category: str, starts_at: dt.datetime, ends_at: dt.datetime,
              slots: int, location: str = "", now: dt.datetime | None = None) -> ServiceNeed:
    """A need of a community the actor keeps: it ends after it starts (a night patrol may cross midnight), lasts at
    most a day, and lies within a year from now."""
    community = community_for_keeper(actor, community_id)
    now = now or timezone.now()
    if ends_at <= starts_at or ends_at - starts_at > dt.timedelta(days=1) \
            or starts_at > now + dt.timedelta(days=MAX_NEED_DAYS_AHEAD) or ends_at < now - dt.timedelta(days=366):
        raise CivicError(VolunteerErrorCode.TIMES_INVALID)
    need = ServiceNeed.objects.create(
        district_id=community.district_id, street_id=community.street_id, community=community,
        title=text_required(title, _("服务内容")), category=category, starts_at=starts_at, ends_at=ends_at,
        slots=slots, location=(location or "").strip(), created_by=actor, created_at=now)
    audit(actor, VolunteerAuditAction.NEED_POST, need, slots=slots, starts_at=starts_at.isoformat())
    return need


@transaction.atomic
def need_close(*, actor, need_id: int) -> ServiceNeed:
    """No more sign-ups (those signed up may still be checked in and out)."""
    need = for_keeper(ServiceNeed.objects.all(), actor, need_id)
    if need.state != NeedState.CLOSED:
        need.state = NeedState.CLOSED
        need.save(update_fields=["state"])
        audit(actor, VolunteerAuditAction.NEED_CLOSE, need)
    return need

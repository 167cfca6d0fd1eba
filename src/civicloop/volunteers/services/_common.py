"""What the volunteers services share: the audit row, the row locked in the actor's sight and theirs to keep."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write

from ..constants import CLOCK_SLACK_MINUTES
from ..error_codes import VolunteerErrorCode
from ..permissions import may_keep_row, visible_q


def audit(actor, action: str, obj, *, member=None, **details) -> None:
    """One audit row; a volunteer acting on their own (no account: `actor` None) is named by their member code."""
    username = f"volunteer:{member.person.code}" if actor is None and member is not None else ""
    audit_write(action=action, user=actor, username=username, district_id=obj.district_id,
                object_type=f"volunteers.{obj._meta.model_name}", object_id=obj.pk, details=details)


def for_keeper(qs, actor, pk: int, *, lock: bool = True):
    """The row locked for a write: NOT_FOUND if missing or not in the actor's sight (ids cannot be probed),
    FORBIDDEN if they see it but do not keep its community."""
    row = (qs.select_for_update() if lock else qs).filter(visible_q(actor), pk=pk).first()
    if row is None:
        raise not_found()
    if not may_keep_row(actor, row):
        raise CivicError(ErrorCode.FORBIDDEN)
    return row


def text_required(value: str | None, label) -> str:
    value = (value or "").strip()
    if not value:
        raise CivicError(ErrorCode.INVALID, _("请填写%(field)s。"), field=label)
    return value


def not_future(at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """A recorded moment may not lie in the future (beyond a little clock drift)."""
    if at > now + dt.timedelta(minutes=CLOCK_SLACK_MINUTES):
        raise CivicError(VolunteerErrorCode.TIMES_INVALID)
    return at


def now_or(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()

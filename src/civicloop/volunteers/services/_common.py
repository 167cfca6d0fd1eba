"""What the volunteers services share: the audit row, the row locked in the actor's sight and theirs to keep."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_object, text_required  # noqa: F401 (text_required: imported from here by the services)

from ..constants import CLOCK_SLACK_MINUTES
from ..error_codes import VolunteerErrorCode
from ..permissions import may_keep_row, visible_q


def audit(actor, action: str, obj, *, member=None, **details) -> None:
    """One audit row; a volunteer acting on their own (no account: `actor` None) is named by their member code."""
    username = f"volunteer:{member.person.code}" if actor is None and member is not None else ""
    audit_object(actor, action, obj, username=username, **details)


def for_keeper(qs, actor, pk: int, *, lock: bool = True):
    """The row locked for a write: NOT_FOUND if missing or not in the actor's sight (ids cannot be probed),
    FORBIDDEN if they see it but do not keep its community."""
    row = (qs.select_for_update() if lock else qs).filter(visible_q(actor), pk=pk).first()
    if row is None:
        raise not_found()
    if not may_keep_row(actor, row):
        raise CivicError(ErrorCode.FORBIDDEN)
    return row


def not_future(at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """A recorded moment may not lie in the future (beyond a little clock drift)."""
    if at > now + dt.timedelta(minutes=CLOCK_SLACK_MINUTES):
        raise CivicError(VolunteerErrorCode.TIMES_INVALID)
    return at


def now_or(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()

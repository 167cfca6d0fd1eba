"""What every meetings service does first: the meeting, locked, in the actor's sight and theirs to keep."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write

from ..error_codes import MeetingErrorCode
from ..models import Meeting
from ..permissions import may_keep_meeting, meetings_visible_q


def meeting_for_write(actor, meeting_id: int, *, state_ok=None) -> Meeting:
    """The meeting locked for a write: NOT_FOUND if missing or not the actor's to read (ids cannot be probed),
    FORBIDDEN if they may read it but not keep it, MEETING_STATE if `state_ok(meeting)` says no."""
    meeting = Meeting.objects.select_for_update().filter(meetings_visible_q(actor), pk=meeting_id).first()
    if meeting is None:
        raise not_found()
    if not may_keep_meeting(actor, meeting):
        raise CivicError(ErrorCode.FORBIDDEN)
    if state_ok is not None and not state_ok(meeting):
        raise CivicError(MeetingErrorCode.MEETING_STATE)
    return meeting


def text_required(value: str | None, label) -> str:
    value = (value or "").strip()
    if not value:
        raise CivicError(ErrorCode.INVALID, _("请填写%(field)s。"), field=label)
    return value


def audit(actor, action: str, obj, **details) -> None:
    audit_write(action=action, user=actor, district_id=obj.district_id, object_type=f"meetings.{obj._meta.model_name}",
                object_id=obj.pk, details=details)

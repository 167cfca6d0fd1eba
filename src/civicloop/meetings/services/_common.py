"""What every meetings service does first: the meeting, locked, in the actor's sight and theirs to keep."""

from __future__ import annotations

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_object, text_required  # noqa: F401 (text_required: imported from here by the services)

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


def audit(actor, action: str, obj, **details) -> None:
    audit_object(actor, action, obj, **details)

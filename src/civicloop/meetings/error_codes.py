"""The meetings app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class MeetingErrorCode(StrEnum):
    MEETING_STATE = "meeting_state"  # the step is not possible in the meeting's state (minutes before it is held …)
    DECISION_INCOMPLETE = "decision_incomplete"  # a decision without what its kind needs (a plan, a unit, a case …)
    SCOPE_INVALID = "meeting_scope_invalid"  # a street that is not one of the district's, a chair from elsewhere


register_error_codes(MeetingErrorCode, {
    MeetingErrorCode.MEETING_STATE: (409, _("例会当前状态下不能执行此操作。")),
    MeetingErrorCode.DECISION_INCOMPLETE: (400, _("决定不完整。")),
    MeetingErrorCode.SCOPE_INVALID: (400, _("例会范围无效。")),
})

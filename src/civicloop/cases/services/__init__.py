"""The only writers of the cases app. Every case service is `case_<verb>(*, actor, case_id, expected_version=None,
…)`, atomic, locks the row, checks scope (NOT_FOUND), permission (FORBIDDEN) and the transition table
(TRANSITION_NOT_ALLOWED), writes one CaseEvent per step, notifies after commit. See ../README.md."""

from ..permissions import SYSTEM
from .answering import case_answer
from .categories import categories_ensure_defaults
from .closing import case_close, case_rate, case_reopen, case_reply, case_reply_unreachable
from .consultation import (
    meeting_agenda_add,
    meeting_create,
    meeting_decide,
    meeting_minutes_generate,
    minutes_text,
)
from .handling import (
    case_accept,
    case_add_progress,
    case_approve_extension,
    case_deny_extension,
    case_request_extension,
    case_resolve,
    case_return,
    case_sensor_note,
)
from .intake import (
    BATCH_MAX,
    Registered,
    case_dispatch,
    case_register,
    case_register_batch,
    case_register_bulk,
    case_triage,
)
from .notifications import notification_mark_read, notify_event
from .oversight import case_escalate, case_merge, case_supervise, case_supervision_reply, case_withdraw
from .reporter import case_reporter_reveal
from .tracking import next_tracking_code

__all__ = [
    "BATCH_MAX", "SYSTEM", "Registered", "case_accept", "case_answer", "case_reporter_reveal", "case_add_progress", "case_sensor_note", "case_approve_extension", "case_close", "case_deny_extension",
    "case_dispatch", "case_escalate", "case_merge", "case_rate", "case_register", "case_register_batch", "case_register_bulk", "case_reopen", "case_reply",
    "case_reply_unreachable", "case_request_extension", "case_resolve", "case_return", "case_supervise",
    "case_supervision_reply", "case_triage", "case_withdraw", "categories_ensure_defaults", "meeting_agenda_add",
    "meeting_create", "meeting_decide", "meeting_minutes_generate", "minutes_text", "next_tracking_code",
    "notification_mark_read", "notify_event",
]

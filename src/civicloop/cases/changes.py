"""The rules of change: for each step that sets fields, the `changes` it applies (`steps.step(…, changes=…)`), and
the follow-up a step's outcome calls for. Pure — no clock, and no database but the working-day calendar the caller
passes in (a `WorkCalendar`) — so the services (`services/*`) and the demo generator (`demo.Sim`) build every change
with the same function and cannot drift apart (tests/test_change_parity.py drives both with the same decisions and
compares rows and events).

The caller decides (who, when, which unit, how many days); these functions say what that does to the case.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from civicloop.workdays.calendar import WorkCalendar, deadline_for

from .constants import RETURNS_BEFORE_ESCALATION, UNSATISFIED_BEFORE_ESCALATION, Action, Layer, Satisfaction


def yellow_at(dispatched_at: dt.datetime, deadline: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """The moment YELLOW_SHARE of the *working* time between dispatch and deadline is used — inside a working
    day, never in a weekend or a holiday (`WorkCalendar.working_share_point`)."""
    share = settings.CIVICLOOP.get("YELLOW_SHARE", 0.8)
    return calendar.working_share_point(dispatched_at, deadline, share)


def _timing(at: dt.datetime, deadline: dt.datetime, calendar: WorkCalendar) -> dict:
    """What a new deadline sets: itself, when it turns yellow, and whether it was counted over a year whose
    holidays are not yet official or confirmed (shown as 暂定)."""
    return {"deadline": deadline, "yellow_at": yellow_at(at, deadline, calendar),
            "deadline_provisional": calendar.provisional(at, deadline)}


def overdue_episode(deadline: dt.datetime) -> str:
    """An overdue episode is identified by the deadline it overran (local time); an extension starts a new one.
    Automatic supervision opens one per episode."""
    return timezone.localtime(deadline).isoformat()


def dispatch_deadline(at: dt.datetime, time_limit_days: int, calendar: WorkCalendar) -> dt.datetime:
    """The deadline a dispatch sets: the end of the `time_limit_days`-th working day after the dispatch day."""
    return deadline_for(at, time_limit_days, calendar=calendar)


def extension_deadline(deadline: dt.datetime, days: int, calendar: WorkCalendar) -> dt.datetime:
    """The deadline an approved extension of `days` working days sets: `days` working days after the old one."""
    return deadline_for(deadline, days, calendar=calendar)


def recount_deadline(*, dispatched_at: dt.datetime, time_limit_days: int, extension_days: int,
                     decided_deadline: dt.datetime | None, calendar: WorkCalendar) -> dt.datetime:
    """The deadline counted again on the calendar as it stands now, the way the steps set it: the dispatch's
    (`time_limit_days` less the `extension_days` granted since), or — when a consultation decision started the
    clock — the date the meeting decided, which is a date, not a count; then the granted extensions'. Several
    extensions count as one of their sum (the n-th working day after the m-th is the (m+n)-th)."""
    if decided_deadline is None:
        deadline = dispatch_deadline(dispatched_at, time_limit_days - extension_days, calendar)
    else:
        deadline = decided_deadline
    return extension_deadline(deadline, extension_days, calendar) if extension_days else deadline


def recount_changes(*, dispatched_at: dt.datetime, deadline: dt.datetime, calendar: WorkCalendar) -> dict:
    """A recounted deadline (`recount_deadline`): itself, its yellow point and whether a provisional year is
    still in its span — nothing else (the time limit and the extensions stay as granted)."""
    return _timing(dispatched_at, deadline, calendar)


def recount_note(year: int, source: str = "") -> str:
    """The recount event's note: the year whose calendar became official, then the source the administrator
    named (a document's title, kept as written). The timeline reads the year back (`recount_year`)."""
    return f"{year} {source}".strip()


def recount_year(note: str) -> int | None:
    head = (note or "")[:4]
    return int(head) if head.isdigit() else None


def triage_changes(*, category_id: int, urgency: str, layer: str) -> dict:
    return {"category_id": category_id, "urgency": urgency, "layer": layer}


def triage_follow_up(layer: str) -> str | None:
    """A 三跨 (cross) case goes to consultation at once."""
    return Action.ESCALATE if layer == Layer.CROSS else None


def dispatch_changes(*, at: dt.datetime, deadline: dt.datetime, lead_unit_id: int, dispatching_unit_id: int | None,
                     time_limit_days: int, calendar: WorkCalendar) -> dict:
    """A (re-)dispatch — by a dispatcher, or by a consultation decision (`dispatching_unit_id` = the body): the
    clock starts again at `at`, and an earlier result and reply no longer count."""
    return {"lead_unit_id": lead_unit_id, "dispatching_unit_id": dispatching_unit_id, "dispatched_at": at,
            "time_limit_days": time_limit_days, **_timing(at, deadline, calendar),
            "resolved_at": None, "replied_at": None}


def return_changes(*, return_count: int) -> dict:
    """`return_count` is the count before this return; the lead unit lets go (co-units too: `co_unit_ids=[]`)."""
    return {"return_count": return_count + 1, "lead_unit_id": None}


def return_follow_up(return_count: int) -> str | None:
    """After a return (`return_count` counts it): the second one escalates (职责不清)."""
    return Action.ESCALATE if return_count >= RETURNS_BEFORE_ESCALATION else None


def extension_changes(*, dispatched_at: dt.datetime, deadline: dt.datetime, time_limit_days: int | None,
                      days: int, calendar: WorkCalendar) -> dict:
    """An approved extension of `days` working days; `deadline` is the new one (`days` after the old)."""
    return {**_timing(dispatched_at, deadline, calendar), "time_limit_days": (time_limit_days or 0) + days}


def resolve_changes(*, at: dt.datetime) -> dict:
    return {"resolved_at": at}


def reply_changes(*, at: dt.datetime) -> dict:
    """A reply, a recorded "unreachable", or a merged case getting its target's reply."""
    return {"replied_at": at}


def answer_changes(*, at: dt.datetime) -> dict:
    """直接答复办结: the answer is the result and the reply at once (no dispatch, no deadline)."""
    return {"resolved_at": at, "replied_at": at}


def rate_changes(*, value: str, unsatisfied_count: int) -> dict:
    """`unsatisfied_count` is the count before this rating; 不满意 adds one."""
    return {"satisfaction": value, "unsatisfied_count": unsatisfied_count + (value == Satisfaction.UNSATISFIED)}


def rate_follow_up(value: str, unsatisfied_count: int) -> str | None:
    """After a rating (`unsatisfied_count` counts it): 不满意 reopens; the third one escalates to consultation."""
    if value != Satisfaction.UNSATISFIED:
        return None
    return Action.ESCALATE if unsatisfied_count >= UNSATISFIED_BEFORE_ESCALATION else Action.REOPEN


def reopen_changes() -> dict:
    """Back to the lead unit: the result and the reply no longer count (the deadline stays)."""
    return {"resolved_at": None, "replied_at": None}


def close_changes(*, at: dt.datetime) -> dict:
    return {"closed_at": at}


def merge_changes(*, into_case_id: int) -> dict:
    return {"merged_into_id": into_case_id}

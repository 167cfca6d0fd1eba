"""A case's fact — what the KPIs need to know of it — folded from its events. Pure: no database but the working-day
calendar the caller passes, so the refresh (services.py) and the tests compute facts the same way.

The fold replays the tracked fields (as `cases.replay` does) and notes the moments the fields do not keep: the first
dispatch (a dispatcher's or a consultation decision's), the first acceptance, supervision and escalation, the latest
rating, whether it was ever reopened, and each return with the unit that made it. The definitions these serve are in
metrics.py and docs/kpis.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from civicloop.cases.constants import CLOCK_STATES, Action, CaseState, Satisfaction
from civicloop.workdays.calendar import SHANGHAI, WorkCalendar, deadline_for

from .constants import NONE, accept_within_working_days

UNCOUNTED_STATES = (CaseState.MERGED, CaseState.WITHDRAWN)
DISPATCHING = (Action.DISPATCH, Action.DECIDE)  # a consultation decision dispatches too
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
# the case's columns a fact takes as they are (not in the event log: set at registration, never changed)
STATIC = ("district_id", "street_id", "community_id", "channel", "appeal_type")


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(SHANGHAI).date()


def _moment(value) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


def _field(event, name: str):
    return event[name] if isinstance(event, dict) else getattr(event, name)


def fact_of(case_id: int, static: dict, events: Iterable, calendar: WorkCalendar) -> tuple[dict, list[dict]]:
    """The fact of case `case_id` ({CaseFact field: value}) and its returns ([{CaseReturn field: value}], none for
    a case that is not counted), from its events (CaseEvent rows or dicts, any order) and its `STATIC` columns."""
    state: dict = {}
    registered = first_dispatch = first_accept = first_supervise = first_escalate = rated_at = None
    rating, reopened, seq, returns = "", False, 0, []
    for event in sorted(events, key=lambda e: _field(e, "seq")):
        action, at = _field(event, "action"), _field(event, "at")
        lead_before = state.get("lead_unit_id")
        state.update(_field(event, "after"))
        seq = _field(event, "seq")
        if registered is None:
            registered = at
        if action in DISPATCHING and first_dispatch is None:
            first_dispatch = at
        elif action == Action.ACCEPT and first_accept is None:
            first_accept = at
        elif action == Action.RETURN:
            returns.append({"case_id": case_id, "seq": seq, "day": local_day(at), "unit_id": lead_before or NONE,
                            "category_id": state.get("category_id") or NONE})
        elif action == Action.RATE:
            rated_at, rating = at, state.get("satisfaction") or ""
        elif action == Action.REOPEN:
            reopened = True
        elif action == Action.SUPERVISE and first_supervise is None:
            first_supervise = at
        elif action == Action.ESCALATE and first_escalate is None:
            first_escalate = at
    case_state = state.get("state", CaseState.REGISTERED)
    counted = case_state not in UNCOUNTED_STATES
    resolved_at, deadline = _moment(state.get("resolved_at")), _moment(state.get("deadline"))
    accept_by = deadline_for(first_dispatch, accept_within_working_days(), calendar=calendar) if first_dispatch else None
    return_count = state.get("return_count") or 0
    fact = {
        "case_id": case_id, "seq": seq, **{name: static[name] or (NONE if name.endswith("_id") else "")
                                           for name in STATIC},
        "lead_unit_id": state.get("lead_unit_id") or NONE, "category_id": state.get("category_id") or NONE,
        "state": case_state,
        "registered_day": local_day(registered), "dispatched_day": local_day(first_dispatch),
        "resolved_day": local_day(resolved_at), "rated_day": local_day(rated_at), "deadline_day": local_day(deadline),
        "supervised_day": local_day(first_supervise), "escalated_day": local_day(first_escalate),
        "counted": counted,
        "resolved": resolved_at is not None,
        "accepted_on_time": bool(first_accept and accept_by and first_accept <= accept_by),
        "returned": return_count >= 1,
        "returned_twice": return_count >= 2,
        "resolved_on_time": bool(resolved_at and deadline and resolved_at <= deadline),
        "reopened": reopened,
        "satisfied": rating in SATISFIED,
        "overdue": bool(deadline and (resolved_at > deadline if resolved_at else case_state in CLOCK_STATES)),
        "handling_days": max(0, calendar.working_days_between(local_day(first_dispatch), local_day(resolved_at)))
        if resolved_at and first_dispatch else 0,
    }
    for r in returns:
        r.update(district_id=fact["district_id"], street_id=fact["street_id"], community_id=fact["community_id"])
    return fact, returns if counted else []


def red_spans_of(case_id: int, district_id: int, events: Iterable) -> list[dict]:
    """The moments a case was red (超期: its clock running, its deadline past), from its events (any order): one
    span per stretch between two events ({CaseRedSpan field: value}). Red at moment t ⇔ the state and deadline set
    by the events before t have the clock running and the deadline before t; between events i and i+1 that holds
    for red_from < t ≤ red_until with red_from = max(event i's moment, its deadline) and red_until = event i+1's
    moment (none after the last event: still red). A case merged or withdrawn later keeps the spans before."""
    spans, state = [], {}
    ordered = sorted(events, key=lambda e: _field(e, "seq"))
    for event, after in zip(ordered, [*ordered[1:], None], strict=True):
        state.update(_field(event, "after"))
        deadline = _moment(state.get("deadline"))
        if state.get("state") not in CLOCK_STATES or deadline is None:
            continue
        start = max(_moment(_field(event, "at")), deadline)
        until = _moment(_field(after, "at")) if after is not None else None
        if until is None or start < until:
            spans.append({"case_id": case_id, "district_id": district_id, "seq": _field(event, "seq"),
                          "red_from": start, "red_until": until, "deadline": deadline, "state": state["state"]})
    return spans

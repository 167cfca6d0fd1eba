"""The allowed state graph, as one table, plus who may take each action.

`TRANSITIONS[(state, action)] = next_state`. Anything not in the table is refused with
TRANSITION_NOT_ALLOWED. Compound outcomes are chains of table steps written as separate events, e.g. a second
return is `return` (→ returned) then `escalate` (→ escalated); 不满意 is `rate` (→ rated) then `reopen`.
`WHO[action]` names the rule in `permissions.py` that decides whether an actor may take it.
"""

from __future__ import annotations

from .constants import OPEN_STATES
from .constants import Action as A
from .constants import CaseState as S

# states in which the lead unit is working on the case
_WORKING = (S.ACCEPTED, S.IN_PROGRESS)
_SUPERVISABLE = (S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS, S.REOPENED)
_ESCALATABLE = (S.REGISTERED, S.TRIAGED, S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS, S.RETURNED, S.REOPENED, S.RATED)
_MERGEABLE = (S.REGISTERED, S.TRIAGED, S.DISPATCHED, S.RETURNED)
_WITHDRAWABLE = (S.REGISTERED, S.TRIAGED, S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS, S.RETURNED, S.REOPENED,
                 S.ESCALATED)

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.REGISTERED, A.TRIAGE): S.TRIAGED,
    (S.TRIAGED, A.TRIAGE): S.TRIAGED,
    (S.RETURNED, A.TRIAGE): S.TRIAGED,
    (S.TRIAGED, A.DISPATCH): S.DISPATCHED,
    (S.RETURNED, A.DISPATCH): S.DISPATCHED,
    (S.REOPENED, A.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, A.ACCEPT): S.ACCEPTED,
    (S.REOPENED, A.ACCEPT): S.ACCEPTED,
    (S.DISPATCHED, A.RETURN): S.RETURNED,
    (S.ACCEPTED, A.RETURN): S.RETURNED,
    (S.REOPENED, A.RETURN): S.RETURNED,
    **{(s, A.REQUEST_EXTENSION): s for s in _WORKING},
    **{(s, A.APPROVE_EXTENSION): s for s in _WORKING},
    **{(s, A.DENY_EXTENSION): s for s in (*_WORKING, S.DISPATCHED, S.REOPENED, S.RESOLVED, S.REPLIED, S.RATED)},
    **{(s, A.ADD_PROGRESS): S.IN_PROGRESS for s in _WORKING},
    **{(s, A.RESOLVE): S.RESOLVED for s in _WORKING},
    # 直接答复办结: a consultation answered on the spot, never dispatched (preconditions: a consultation, no
    # dispatch yet) — it waits for its rating like any replied case
    (S.REGISTERED, A.ANSWER): S.REPLIED,
    (S.TRIAGED, A.ANSWER): S.REPLIED,
    (S.RESOLVED, A.REPLY): S.REPLIED,
    (S.RESOLVED, A.REPLY_UNREACHABLE): S.REPLIED,
    (S.REPLIED, A.RATE): S.RATED,
    (S.RESOLVED, A.REOPEN): S.REOPENED,
    (S.REPLIED, A.REOPEN): S.REOPENED,
    (S.RATED, A.REOPEN): S.REOPENED,
    # close is in the table from resolved so that the refusal is REPLY_REQUIRED, which says what to do
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.REPLIED, A.CLOSE): S.CLOSED,
    (S.RATED, A.CLOSE): S.CLOSED,
    **{(s, A.SUPERVISE): s for s in _SUPERVISABLE},
    **{(s, A.SUPERVISION_REPLY): s for s in (*_SUPERVISABLE, S.RESOLVED, S.REPLIED, S.RATED)},
    **{(s, A.ESCALATE): S.ESCALATED for s in _ESCALATABLE},
    (S.ESCALATED, A.DECIDE): S.DISPATCHED,
    **{(s, A.MERGE): S.MERGED for s in _MERGEABLE},
    (S.MERGED, A.MERGED_REPLY): S.MERGED,
    **{(s, A.WITHDRAW): S.WITHDRAWN for s in _WITHDRAWABLE},
    # a year's calendar became official: the deadline is counted again, in whatever open state the case is
    **{(s, A.RECOUNT): s for s in OPEN_STATES},
    # the alarm behind a sensor's case repeated or cleared (signs): noted on the case, whatever its open state
    **{(s, A.SENSOR_NOTE): s for s in OPEN_STATES},
}


class Who:
    """Names of the permission rules (implemented in permissions.py)."""

    REGISTRAR = "registrar"  # staff registering inside their territory; system intake
    DISPATCHER = "dispatcher"  # a dispatcher whose territory covers the case
    LEAD_HANDLER = "lead_handler"  # a handler of the lead unit
    REPLIER = "replier"  # a handler of the lead unit, or a covering dispatcher
    ANSWERER = "answerer"  # who may register a case in a territory covering it, or a covering dispatcher
    EXTENSION_APPROVER = "extension_approver"  # dispatcher of the dispatching unit, or a district-level dispatcher
    SUPERVISOR = "supervisor"  # district- or street-level dispatcher or leader covering the case
    CONSULTATION = "consultation"  # consultation-body staff or a district-level dispatcher
    SYSTEM = "system"  # only the system (follow-ups of another action)


WHO: dict[str, str] = {
    A.REGISTER: Who.REGISTRAR,
    A.TRIAGE: Who.DISPATCHER,
    A.DISPATCH: Who.DISPATCHER,
    A.ACCEPT: Who.LEAD_HANDLER,
    A.RETURN: Who.LEAD_HANDLER,
    A.REQUEST_EXTENSION: Who.LEAD_HANDLER,
    A.APPROVE_EXTENSION: Who.EXTENSION_APPROVER,
    A.DENY_EXTENSION: Who.EXTENSION_APPROVER,
    A.ADD_PROGRESS: Who.LEAD_HANDLER,
    A.RESOLVE: Who.LEAD_HANDLER,
    A.REPLY: Who.REPLIER,
    A.REPLY_UNREACHABLE: Who.REPLIER,
    A.ANSWER: Who.ANSWERER,
    A.RATE: Who.DISPATCHER,  # recorded by the dispatcher / hotline operator on the reporter's behalf
    A.REOPEN: Who.DISPATCHER,
    A.CLOSE: Who.DISPATCHER,
    A.SUPERVISE: Who.SUPERVISOR,
    A.SUPERVISION_REPLY: Who.LEAD_HANDLER,
    A.ESCALATE: Who.DISPATCHER,
    A.DECIDE: Who.CONSULTATION,
    A.MERGE: Who.DISPATCHER,
    A.MERGED_REPLY: Who.SYSTEM,
    A.WITHDRAW: Who.DISPATCHER,  # on the reporter's behalf
    A.SENSOR_NOTE: Who.SYSTEM,  # signs.services.alarms: a repeat or the clearing of the alarm behind the case
    A.RECOUNT: Who.SYSTEM,  # after a calendar year is confirmed or loaded (workdays → core.registry calendar_listeners)
}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[str]:
    """Actions the table allows from `state` (before asking who the actor is)."""
    return [a for (s, a) in TRANSITIONS if s == state]


def states_allowing(action: str) -> tuple[str, ...]:
    """States from which the table allows `action` (for queries: e.g. the cases awaiting a supervision reply)."""
    return tuple(sorted({s for (s, a) in TRANSITIONS if a == action}))

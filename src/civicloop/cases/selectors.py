"""Reads of the closed loop. Every function takes the viewer and applies `permissions.visible_q(scope_for(actor))`.

`time_state` (green/yellow/red/none) is derived in SQL from the stored `deadline` and `yellow_at` and "now":
nothing flips it on a schedule. `yellow_at` is written together with `deadline` (when 80 % of the working time
is used: `changes.yellow_at`), so the yellow test is a plain indexed comparison.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Case as When_
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.core.masking import (
    LONG_DIGITS,
    mask_for_display,
    mask_free_text,
    mask_id_number,
    mask_name,
    mask_phone,
)
from civicloop.core.selectors import first_or_not_found
from civicloop.core.sql import Prepared
from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

from .constants import CLOCK_STATES, OPEN_STATES, Action, CaseState, ExtensionState, TimeState
from .models import Case, CaseEvent, ExtensionRequest, Meeting, Notification, Supervision
from .permissions import is_system, may_unmask, meetings_visible_q, own_q, unmask_q, visible_q
from .rows import FREE_TEXT
from .transitions import states_allowing


def cases_visible_to(actor, *, inline_co_cases: bool | Q = False, own_only: bool = False) -> QuerySet:
    """The cases `actor` may see; `own_only`: only those it answers for as a whole (`permissions.own_q`: its
    territory's, or a department's led cases — a part of what it sees, read without the visibility's OR)."""
    if is_system(actor):
        return Case.objects.all()
    if own_only:
        return Case.objects.filter(own_q(scope_for(actor)))
    return Case.objects.filter(visible_q(scope_for(actor), inline_co_cases=inline_co_cases))


def _clock(now: dt.datetime) -> tuple[Q, Q, Q]:
    """The time states' conditions at `now`, once: running (the clock runs), past the deadline, past the yellow
    point. Red = running and past the deadline; yellow = running, not red, past the yellow point; green = running,
    neither; none = not running."""
    return Q(state__in=CLOCK_STATES, deadline__isnull=False), Q(deadline__lt=now), Q(yellow_at__lte=now)


def time_state_q(state: str, now: dt.datetime) -> Q:
    """The cases in time state `state` (red, yellow, green, none) at `now`, on their plain columns — what
    `with_time_state` annotates, for a count or filter that need not compute the annotation per row (the overview's
    live figures: a third faster over a district's open cases; a red list on the (who, state, deadline) indexes)."""
    running, late, yellow = _clock(now)
    return {TimeState.RED: running & late, TimeState.YELLOW: running & ~late & yellow,
            TimeState.GREEN: running & ~late & ~yellow, TimeState.NONE: ~running}[TimeState(state)]


def with_time_state(qs: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Annotate `time_state` and `time_rank` (red 0, yellow 1, green 2, none 3) for sorting red/yellow first."""
    now = now or timezone.now()
    running, late, yellow = _clock(now)
    return qs.annotate(
        time_state=When_(
            When(running & late, then=Value(TimeState.RED.value)),
            When(running & yellow, then=Value(TimeState.YELLOW.value)),
            When(running, then=Value(TimeState.GREEN.value)),
            default=Value(TimeState.NONE.value), output_field=CharField(),
        ),
        time_rank=When_(
            When(running & late, then=Value(0)),
            When(running & yellow, then=Value(1)),
            When(running, then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        ),
    )


def case_get_for(actor, case_id_or_code: int | str) -> Case:
    """One case by id or tracking code, if visible (else NOT_FOUND, same as missing)."""
    # the place, household and enterprise the page names and links, in the same statement
    qs = with_related(with_time_state(cases_visible_to(actor))).select_related(
        "place", "household", "enterprise").defer("place__boundary")
    key = str(case_id_or_code)
    case = qs.filter(pk=int(key)).first() if key.isdigit() else qs.filter(tracking_code=key).first()
    if case is None:
        raise not_found()
    return case


@dataclass
class CaseFilters:
    state: str | None = None
    open_only: bool = False
    channel: str | None = None
    category_id: int | None = None  # a parent includes its children
    urgency: str | None = None
    appeal_type: str | None = None
    time_state: str | None = None
    lead_unit_id: int | None = None
    street_id: int | None = None
    community_id: int | None = None
    text: str | None = None  # tracking code or words of the description
    supervised: bool = False  # only cases supervised (督办) at least once — the work meeting's red supervised cases


def case_list_for(actor, filters: CaseFilters | dict | None = None, *, now: dt.datetime | None = None,
                  own_only: bool = False) -> QuerySet:
    """Visible cases, filtered, red/yellow first then newest. Returns a queryset (paginate in the handler).
    `own_only`: only the cases the actor answers for as a whole (`cases_visible_to`)."""
    f = filters if isinstance(filters, CaseFilters) else CaseFilters(**(filters or {}))
    now = now or timezone.now()
    states = Q()
    if f.state:
        states &= Q(state=f.state)
    if f.open_only:
        states &= Q(state__in=OPEN_STATES)  # IN, not NOT IN: the (who, state, …) indexes serve it
    qs = with_related(with_time_state(cases_visible_to(actor, inline_co_cases=states or True, own_only=own_only),
                                      now)).filter(states)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.category_id:
        qs = qs.filter(Q(category_id=f.category_id) | Q(category__parent_id=f.category_id))
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.appeal_type:
        qs = qs.filter(appeal_type=f.appeal_type)
    if f.time_state:
        qs = qs.filter(time_state=f.time_state)
        if f.time_state == TimeState.RED:  # the same rule as plain columns: the (who, state, deadline) indexes serve it
            qs = qs.filter(time_state_q(TimeState.RED, now))
    if f.lead_unit_id:
        qs = qs.filter(lead_unit_id=f.lead_unit_id)
    if f.street_id:
        qs = qs.filter(street_id=f.street_id)
    if f.community_id:
        qs = qs.filter(community_id=f.community_id)
    if f.supervised:
        qs = qs.filter(Exists(Supervision.objects.filter(case_id=OuterRef("pk"))))
    if f.text:
        text = f.text.strip()
        words = Q(description__icontains=text)
        if LONG_DIGITS.search(text):
            # a number (or more of it than a masked one shows) is looked for only where the viewer may see it:
            # elsewhere it is masked, and finding the case would tell them it is there
            words &= unmask_q(actor)
        qs = qs.filter(Q(tracking_code=text) | words)
    return qs.order_by("time_rank", "-created_at", "-id")


def case_events_for(actor, case_id: int) -> QuerySet:
    """The timeline of a visible case, oldest first."""
    return _events_of(case_get_for(actor, case_id))


def _events_of(case: Case) -> QuerySet:
    return CaseEvent.objects.filter(case=case).select_related("actor", "actor_unit").order_by("seq")


def case_reporter_for(actor, case: Case) -> dict:
    """Reporter details as everyone sees them: masked (the clear details are a logged reveal:
    `services.case_reporter_reveal`)."""
    if case.reporter_anonymous:
        return {"name": "", "phone": "", "id_number": "", "anonymous": True, "masked": False}
    return {"name": mask_name(case.reporter_name), "phone": mask_phone(case.reporter_phone),
            "id_number": mask_id_number(case.reporter_id_number), "anonymous": False, "masked": True}


def case_detail(actor, case_id_or_code: int | str) -> dict:
    """Everything the case page and the detail endpoint show of a visible case: the case, its masked reporter
    (and whether this actor may reveal it), co-units, timeline and the actions this actor may take now. Without
    the right to the reporter's data (`may_unmask`), numbers typed into the description, the address and the
    timeline's notes are masked (the case returned is then for display only). Each timeline entry has its
    `summary` (timeline.py: what the step did, from the event's fields — never free text, so nothing to mask)."""
    from .timeline import Lookup, label_of, summaries

    case = case_get_for(actor, case_id_or_code)
    events = list(_events_of(case))
    lines = summaries(events, Lookup.for_case(case, events, cases_visible_to(actor)))
    unmasked = may_unmask(actor, case)
    shown = (lambda text: text) if unmasked else mask_free_text
    if not unmasked:
        mask_for_display(case, *FREE_TEXT)
    return {
        "case": case,
        "reporter": case_reporter_for(actor, case),
        "may_unmask": unmasked,
        "co_unit_names": [link.unit.name for link in case.co_unit_links.select_related("unit").order_by("unit__code")],
        "timeline": [{
            "seq": e.seq, "action": e.action, "action_label": label_of(Action, e.action),
            "actor": (e.actor.display_name or e.actor.username) if e.actor_id else None,
            "unit": e.actor_unit.name if e.actor_unit_id else None, "at": e.at, "note": shown(e.note),
            "summary": line,
            # the files the step came with (civicloop.files refs; served after the files rule: this viewer's)
            "attachments": [ref for ref in e.attachments or [] if isinstance(ref, dict) and ref.get("key")],
        } for e, line in zip(events, lines, strict=True)],
        "allowed_actions": case_available_actions(actor, case),
    }



# The states of the sections defined by state alone (supervisions and extensions: transitions.states_allowing).
SECTION_STATES = {
    "to_accept": (CaseState.DISPATCHED, CaseState.REOPENED),
    "to_handle": (CaseState.ACCEPTED, CaseState.IN_PROGRESS),
    "to_reply": (CaseState.RESOLVED,),
    "to_triage": (CaseState.REGISTERED,),
    "to_dispatch": (CaseState.TRIAGED, CaseState.RETURNED),
    "to_close": (CaseState.REPLIED, CaseState.RATED),
}


def inbox_conditions(actor, *, pending_extension_ids: list[int] | None = None) -> dict[str, Q]:
    """Each inbox section as a complete Q over all cases: state, and visibility included.

    `mine` (lead unit = my unit) and `territory` (my territory's cases) are visible by definition
    (`permissions.visible_q` admits both), so they need no second visibility test — which keeps every section an
    indexable condition; `approvals` by dispatching unit is ANDed with `visible_q` explicitly.

    to_accept / to_handle / supervisions: my unit leads (handler role). to_triage / to_dispatch / to_close:
    cases my territory covers (dispatcher role). to_reply: either. extensions: pending requests I may decide.
    """
    scope = scope_for(actor)
    none = Q(pk__in=[])
    mine = Q(lead_unit_id=actor.unit_id) if (actor.unit_id and scope.has_role(Role.HANDLER)) else none
    # the territory's own cases (not those a department merely handles)
    dispatching = scope.has_role(Role.DISPATCHER) and scope.has_territory
    territory = scope.territorial_q() if dispatching else none
    # the requests `permissions.may` lets me decide (EXTENSION_APPROVER): any district-level dispatcher of the
    # case's district, else the dispatcher of the unit that dispatched it
    approvals = none
    if scope.has_role(Role.DISPATCHER):
        if scope.sees_everything:
            approvals = Q()
        elif scope.is_district_level:
            approvals = Q(district_id=scope.district_id)
        elif actor.unit_id:
            approvals = Q(dispatching_unit_id=actor.unit_id) & visible_q(scope)
    st = {name: Q(state__in=states) for name, states in SECTION_STATES.items()}
    return {
        "to_accept": mine & st["to_accept"],
        "to_handle": mine & st["to_handle"],
        "to_reply": (mine | territory) & st["to_reply"],
        "to_triage": territory & st["to_triage"],
        "to_dispatch": territory & st["to_dispatch"],
        "to_close": territory & st["to_close"],
        # correlated EXISTS, checked per candidate case (my unit's few) through the partial index on open
        # supervisions, instead of reading every open supervision of the district
        "supervisions": mine & Q(state__in=states_allowing(Action.SUPERVISION_REPLY)) & Q(Exists(
            Supervision.objects.filter(Supervision.OPEN, case_id=OuterRef("pk")))),
        # pending requests are few: their case ids (partial index) make an indexable `id IN (…)`
        "extensions": approvals & Q(state__in=states_allowing(Action.APPROVE_EXTENSION), pk__in=(
            pending_extension_case_ids(scope) if pending_extension_ids is None else pending_extension_ids))
        if approvals != none else none,
    }


def pending_extension_case_ids(scope) -> list[int]:
    """The cases with a pending extension request in the viewer's district (in every district for a viewer
    without one), sorted: few, read on every inbox request (the inbox plan's key holds them)."""
    if scope.district_id is None:
        return sorted(set(_pending_extensions(None).values_list("case_id", flat=True)))
    read = _pending_in_district(connection.vendor, connection.alias)
    return sorted({case_id for (case_id,) in read.rows(connection, district=scope.district_id)})


_DISTRICT = -7_000_001  # a stand-in no district id has (core.sql.Prepared)


@cache
def _pending_in_district(vendor: str, alias: str) -> Prepared:
    """The pending requests' case ids of one district, compiled once per database (decision 33)."""
    return Prepared(_pending_extensions(_DISTRICT).using(alias).values_list("case_id"), district=_DISTRICT)


def _pending_extensions(district_id: int | None) -> QuerySet:
    qs = ExtensionRequest.objects.filter(state=ExtensionState.PENDING)
    return qs if district_id is None else qs.filter(district_id=district_id)


def with_related(qs: QuerySet) -> QuerySet:
    """Cases with what a list row shows (category, lead unit, street, committee) in the same query — without
    the places' outlines."""
    return qs.select_related("category", "lead_unit", "street", "community").defer(
        "street__boundary", "community__boundary")


def notifications_for(actor, *, unread_only: bool = False) -> QuerySet:
    """The actor's own notifications (personal rows, each with its own read state), newest first, with the case
    and the unit they reached the actor through."""
    if not getattr(actor, "pk", None):
        return Notification.objects.none()
    return own_notifications(actor.pk, unread_only=unread_only).select_related("case", "unit", "actor", "actor_unit")


def notifications_shown(actor, notifications) -> list[Notification]:
    """Loaded notifications (from `notifications_for`) as `actor` may see them: the numbers in a notice's note
    (and so in its `text`, rendered from it) masked unless they may see the reporter's data of its case."""
    return [n if n.case_id is not None and may_unmask(actor, n.case) else mask_for_display(n, "note")
            for n in notifications]


def cases_shown(actor, cases) -> list[Case]:
    """Loaded cases as `actor` may see them in a list: numbers in their free text masked where `may_unmask`
    says no (the rows' rule, `rows.row_for`, for pages that show the cases themselves)."""
    return [c if may_unmask(actor, c) else mask_for_display(c, *FREE_TEXT) for c in cases]


def own_notifications(user_id: int, *, unread_only: bool = False) -> QuerySet:
    """The notifications addressed to the user `user_id` (the inbox compiles this with a stand-in viewer)."""
    qs = Notification.objects.filter(user_id=user_id)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def pending_extension_preview(actor, case: Case) -> dict | None:
    """The pending extension request as its approver decides it: days asked, reason (numbers masked unless
    `may_unmask`), who asked, and the deadline approving would set (the calendar rule of
    `services.case_approve_extension`)."""
    from civicloop.workdays.calendar import WorkCalendar

    from .changes import extension_deadline

    req = (case.extension_requests.filter(state=ExtensionState.PENDING).select_related("requested_by")
           .order_by("requested_at").first())
    if req is None:
        return None
    calendar = WorkCalendar()
    deadline = extension_deadline(case.deadline, req.days, calendar) if case.deadline else None
    by = req.requested_by
    reason = req.reason if may_unmask(actor, case) else mask_free_text(req.reason)
    return {"id": req.pk, "days": req.days, "reason": reason, "requested_at": req.requested_at,
            "requested_by": (by.display_name or by.username) if by else "", "deadline": deadline,
            "provisional": bool(deadline and calendar.provisional(case.dispatched_at or deadline, deadline))}


def merge_target_preview(actor, case_id: int, key: str) -> Case | None:
    """The case `case_id` could be merged into, named by tracking code or id (`preconditions.merge_targets_q`:
    open, same district, visible, not itself) — shown masked as in a list; None when there is none."""
    from .preconditions import merge_targets_q

    case = case_get_for(actor, case_id)
    key = (key or "").strip()[:20]
    if not key:
        return None
    by = Q(pk=int(key)) if key.isdigit() else Q(tracking_code=key.upper())
    target = with_related(Case.objects.filter(merge_targets_q(actor, case)).filter(by)).first()
    return cases_shown(actor, [target])[0] if target is not None else None


def case_available_actions(actor, case: Case) -> list[str]:
    """The actions this actor can take now with success (`preconditions.can`: who, the table and each action's
    precondition — the services' own check), for offering only the right buttons."""
    from .preconditions import can
    from .transitions import actions_from

    return [a for a in actions_from(case.state) if can(actor, case, a)]


def meetings_for(actor):
    """The meetings the actor may see (`permissions.may_see_meetings`: the district-level readers of their
    district), newest first."""
    return Meeting.objects.select_related("body").filter(meetings_visible_q(actor)).order_by("-date", "-id")


def meeting_get_for(actor, meeting_id: int) -> Meeting:
    return first_or_not_found(meetings_for(actor), pk=meeting_id)


def meeting_agenda_for(actor, meeting: Meeting) -> list:
    """The agenda of a visible meeting, each item with its case and decision, as `actor` may see them: the
    numbers in a case's description and a decision's measures masked unless they may see that case's reporter
    data."""
    items = list(meeting.items.select_related("case", "decision", "decision__lead_unit").order_by("position", "pk"))
    for item in items:
        if not may_unmask(actor, item.case):
            mask_for_display(item.case, *FREE_TEXT)
            if getattr(item, "decision", None) is not None:
                mask_for_display(item.decision, "measures")
    return items


def meeting_shown(actor, meeting: Meeting, agenda: list) -> Meeting:
    """The meeting as `actor` may see it: its minutes (which quote the agenda) masked unless they may see the
    reporter data of every case on the agenda."""
    if meeting.minutes and not all(may_unmask(actor, item.case) for item in agenda):
        mask_for_display(meeting, "minutes")
    return meeting

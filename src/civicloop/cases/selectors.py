"""Reads of the closed loop. Every function takes the viewer and applies `permissions.visible_q(scope_for(actor))`.

`time_state` (green/yellow/red/none) is derived in SQL from the stored `deadline` and `yellow_at` and "now":
nothing flips it on a schedule. `yellow_at` is written together with `deadline` (dispatched_at + 80 % of the
time), so the yellow test is a plain indexed comparison.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.core.masking import mask_id_number, mask_name, mask_phone
from civicloop.core.selectors import first_or_not_found
from civicloop.core.services import unmask_log
from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel

from .constants import CLOCK_STATES, Action, CaseState, ExtensionState, TimeState
from .models import Case, CaseEvent, ExtensionRequest, Meeting, Notification, Supervision
from .permissions import covers, is_system, may_unmask, visible_q
from .transitions import states_allowing


def cases_visible_to(actor) -> QuerySet:
    if is_system(actor):
        return Case.objects.all()
    return Case.objects.filter(visible_q(scope_for(actor)))


def with_time_state(qs: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """Annotate `time_state` and `time_rank` (red 0, yellow 1, green 2, none 3) for sorting red/yellow first."""
    now = now or timezone.now()
    running = Q(state__in=CLOCK_STATES, deadline__isnull=False)
    return qs.annotate(
        time_state=When_(
            When(running & Q(deadline__lt=now), then=Value(TimeState.RED.value)),
            When(running & Q(yellow_at__lte=now), then=Value(TimeState.YELLOW.value)),
            When(running, then=Value(TimeState.GREEN.value)),
            default=Value(TimeState.NONE.value), output_field=CharField(),
        ),
        time_rank=When_(
            When(running & Q(deadline__lt=now), then=Value(0)),
            When(running & Q(yellow_at__lte=now), then=Value(1)),
            When(running, then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        ),
    )


def case_get_for(actor, case_id_or_code: int | str) -> Case:
    """One case by id or tracking code, if visible (else NOT_FOUND, same as missing)."""
    qs = with_time_state(cases_visible_to(actor)).select_related("category", "lead_unit", "place", "street", "community")
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
    time_state: str | None = None
    lead_unit_id: int | None = None
    street_id: int | None = None
    community_id: int | None = None
    text: str | None = None  # tracking code or words of the description


def case_list_for(actor, filters: CaseFilters | dict | None = None, *, now: dt.datetime | None = None) -> QuerySet:
    """Visible cases, filtered, red/yellow first then newest. Returns a queryset (paginate in the handler)."""
    f = filters if isinstance(filters, CaseFilters) else CaseFilters(**(filters or {}))
    qs = with_time_state(cases_visible_to(actor), now).select_related("category", "lead_unit", "street")
    if f.state:
        qs = qs.filter(state=f.state)
    if f.open_only:
        qs = qs.exclude(state__in=(CaseState.CLOSED, CaseState.MERGED, CaseState.WITHDRAWN))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.category_id:
        qs = qs.filter(Q(category_id=f.category_id) | Q(category__parent_id=f.category_id))
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.time_state:
        qs = qs.filter(time_state=f.time_state)
    if f.lead_unit_id:
        qs = qs.filter(lead_unit_id=f.lead_unit_id)
    if f.street_id:
        qs = qs.filter(street_id=f.street_id)
    if f.community_id:
        qs = qs.filter(community_id=f.community_id)
    if f.text:
        qs = qs.filter(Q(tracking_code=f.text.strip()) | Q(description__icontains=f.text.strip()))
    return qs.order_by("time_rank", "-created_at", "-id")


def case_events_for(actor, case_id: int) -> QuerySet:
    """The timeline of a visible case, oldest first."""
    case = case_get_for(actor, case_id)
    return CaseEvent.objects.filter(case=case).select_related("actor", "actor_unit").order_by("seq")


def case_reporter_for(actor, case: Case, *, reveal: bool = False, reason: str = "") -> dict:
    """Reporter details: masked unless `reveal` and the actor may see them; a reveal is logged (UnmaskLog)."""
    if case.reporter_anonymous:
        return {"name": "", "phone": "", "id_number": "", "anonymous": True, "masked": False}
    if reveal and may_unmask(actor, case):
        if not is_system(actor):
            unmask_log(user=actor, district_id=case.district_id, object_type="cases.case", object_id=case.pk,
                       fields=["reporter_name", "reporter_phone", "reporter_id_number"], reason=reason)
        return {"name": case.reporter_name, "phone": case.reporter_phone, "id_number": case.reporter_id_number,
                "anonymous": False, "masked": False}
    return {"name": mask_name(case.reporter_name), "phone": mask_phone(case.reporter_phone),
            "id_number": mask_id_number(case.reporter_id_number), "anonymous": False, "masked": True}


INBOX_LIMIT = 20
INBOX_SECTIONS = ("to_accept", "to_handle", "to_reply", "to_triage", "to_dispatch", "to_close", "supervisions",
                  "extensions")


def inbox_conditions(actor) -> dict[str, Q]:
    """Each inbox section as a Q over the actor's visible cases (state included).

    to_accept / to_handle / supervisions: my unit leads (handler role). to_triage / to_dispatch / to_close:
    cases my territory covers (dispatcher role). to_reply: either. extensions: pending requests I may decide.
    """
    scope = scope_for(actor)
    none = Q(pk__in=[])
    mine = Q(lead_unit_id=actor.unit_id) if (actor.unit_id and scope.has_role(Role.HANDLER)) else none
    # the territory's own cases (not those a department merely handles)
    dispatching = scope.has_role(Role.DISPATCHER) and not scope.is_department and scope.root_id is not None
    if scope.is_superuser and scope.root_id is None:
        dispatching = True
    territory = scope.territorial_q() if dispatching else none
    approvals = none
    if scope.has_role(Role.DISPATCHER):
        approvals = Q(dispatching_unit_id=actor.unit_id) if actor.unit_id else approvals
        if scope.root_level == "district" and not scope.is_department:
            approvals = Q(district_id=scope.district_id)
    return {
        "to_accept": mine & Q(state__in=(CaseState.DISPATCHED, CaseState.REOPENED)),
        "to_handle": mine & Q(state__in=(CaseState.ACCEPTED, CaseState.IN_PROGRESS)),
        "to_reply": (mine | territory) & Q(state=CaseState.RESOLVED),
        "to_triage": territory & Q(state=CaseState.REGISTERED),
        "to_dispatch": territory & Q(state__in=(CaseState.TRIAGED, CaseState.RETURNED)),
        "to_close": territory & Q(state__in=(CaseState.REPLIED, CaseState.RATED)),
        "supervisions": mine & Q(state__in=states_allowing(Action.SUPERVISION_REPLY),
                                 pk__in=Supervision.objects.filter(replied_at__isnull=True).values("case_id")),
        "extensions": approvals & Q(state__in=states_allowing(Action.APPROVE_EXTENSION), pk__in=ExtensionRequest.objects.filter(
            state=ExtensionState.PENDING).values("case_id")),
    }


def inbox_for(actor, *, now: dt.datetime | None = None, limit: int = INBOX_LIMIT) -> dict:
    """What needs *me* now, by section, each `{"count": n, "cases": [...]}` red/yellow first.

    One query counts every section (an aggregate with a FILTER per section over the visible cases that are in
    any section); then one query lists the first `limit` cases of each non-empty section.
    """
    conditions = inbox_conditions(actor)
    visible = cases_visible_to(actor)
    any_section = Q(pk__in=[])
    for q in conditions.values():
        any_section |= q
    counts = visible.filter(any_section).aggregate(
        **{name: Count("pk", filter=q) for name, q in conditions.items()})
    base = with_time_state(visible, now).select_related("category", "lead_unit")
    result = {}
    for name, q in conditions.items():
        n = counts[name] or 0
        cases = list(base.filter(q).order_by("time_rank", "deadline", "id")[:limit]) if n else []
        result[name] = {"count": n, "cases": cases}
    result["unread_notifications"] = notifications_for(actor).filter(read_at__isnull=True).count()
    return result


def notifications_for(actor) -> QuerySet:
    """The actor's own notifications (personal rows, each with its own read state), newest first."""
    if not getattr(actor, "pk", None):
        return Notification.objects.none()
    return Notification.objects.filter(user_id=actor.pk).select_related("case")


def case_available_actions(actor, case: Case) -> list[str]:
    """Actions the table allows now and this actor may take (for showing only the right buttons)."""
    from .permissions import may
    from .transitions import WHO, Who, actions_from

    return [a for a in actions_from(case.state) if WHO[a] != Who.SYSTEM and may(actor, case, a)]


def covers_case(actor, case: Case) -> bool:
    return covers(scope_for(actor), case)


def case_counts_by_state(actor) -> dict[str, int]:
    rows = cases_visible_to(actor).values("state").annotate(n=Count("id")).order_by()
    return {r["state"]: r["n"] for r in rows}


def meetings_for(actor):
    """Meetings of the actor's district, for district-level (non-department) staff; nothing for others
    (the same rule the consultation services apply)."""
    scope = scope_for(actor)
    qs = Meeting.objects.select_related("body").order_by("-date", "-id")
    if scope.is_superuser and scope.root_id is None:
        return qs
    if scope.root_level == PlaceLevel.DISTRICT and not scope.is_department and scope.has_role(
            Role.DISPATCHER, Role.LEADER, Role.DISTRICT_ADMIN):
        return qs.filter(district_id=scope.district_id)
    return qs.none()


def meeting_get_for(actor, meeting_id: int) -> Meeting:
    return first_or_not_found(meetings_for(actor), pk=meeting_id)

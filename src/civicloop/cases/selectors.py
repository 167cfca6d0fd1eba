"""Reads of the closed loop. Every function takes the viewer and applies `permissions.visible_q(scope_for(actor))`.

`time_state` (green/yellow/red/none) is derived in SQL from the stored `deadline` and `yellow_at` and "now":
nothing flips it on a schedule. `yellow_at` is written together with `deadline` (dispatched_at + 80 % of the
time), so the yellow test is a plain indexed comparison.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case as When_
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.core.masking import mask_id_number, mask_name, mask_phone
from civicloop.core.selectors import first_or_not_found
from civicloop.core.services import unmask_log
from civicloop.core.sql import Prepared
from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

from .constants import CLOCK_STATES, OPEN_STATES, Action, CaseState, ExtensionState, TimeState
from .models import Case, CaseEvent, ExtensionRequest, Meeting, Notification, Supervision
from .permissions import covers, is_system, may_unmask, meetings_visible_q, visible_q
from .transitions import states_allowing


def cases_visible_to(actor, *, inline_co_cases: bool | Q = False) -> QuerySet:
    if is_system(actor):
        return Case.objects.all()
    return Case.objects.filter(visible_q(scope_for(actor), inline_co_cases=inline_co_cases))


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
    qs = with_related(with_time_state(cases_visible_to(actor))).select_related("place").defer("place__boundary")
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
    states = Q()
    if f.state:
        states &= Q(state=f.state)
    if f.open_only:
        states &= Q(state__in=OPEN_STATES)  # IN, not NOT IN: the (who, state, …) indexes serve it
    qs = with_related(with_time_state(cases_visible_to(actor, inline_co_cases=states or True), now)).filter(states)
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


# The states of the sections defined by state alone (supervisions and extensions: transitions.states_allowing).
SECTION_STATES = {
    "to_accept": (CaseState.DISPATCHED, CaseState.REOPENED),
    "to_handle": (CaseState.ACCEPTED, CaseState.IN_PROGRESS),
    "to_reply": (CaseState.RESOLVED,),
    "to_triage": (CaseState.REGISTERED,),
    "to_dispatch": (CaseState.TRIAGED, CaseState.RETURNED),
    "to_close": (CaseState.REPLIED, CaseState.RATED),
}
# Sections whose cases never run a clock: time_rank is the same for all of them, so they are ordered by
# (deadline, yellow_at, id) alone — the order of the (who, state, deadline, yellow_at, id) indexes, so a one-state
# section (e.g. a backlog of registrations to triage) reads just its first rows instead of sorting them all.
UNTIMED_SECTIONS = frozenset(n for n, states in SECTION_STATES.items() if not set(states) & set(CLOCK_STATES))


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
            Supervision.objects.filter(case_id=OuterRef("pk"), replied_at__isnull=True))),
        # pending requests are few: their case ids (partial index) make an indexable `id IN (…)`
        "extensions": approvals & Q(state__in=states_allowing(Action.APPROVE_EXTENSION), pk__in=(
            _pending_extension_case_ids(scope) if pending_extension_ids is None else pending_extension_ids))
        if approvals != none else none,
    }


def _pending_extension_case_ids(scope) -> list[int]:
    if scope.district_id is None:
        return sorted(set(_pending_extensions(None).values_list("case_id", flat=True)))
    read = _prepared(("pending", connection.vendor, connection.alias), lambda: Prepared(
        _pending_extensions(_DISTRICT).values_list("case_id"), district=_DISTRICT))
    return sorted({case_id for (case_id,) in read.rows(connection, district=scope.district_id)})


def _pending_extensions(district_id: int | None) -> QuerySet:
    qs = ExtensionRequest.objects.filter(state=ExtensionState.PENDING)
    return qs if district_id is None else qs.filter(district_id=district_id)


def with_related(qs: QuerySet) -> QuerySet:
    """Cases with what a list row shows (category, lead unit, street, committee) in the same query — without
    the places' outlines."""
    return qs.select_related("category", "lead_unit", "street", "community").defer(
        "street__boundary", "community__boundary")


# What an inbox row shows (the page's row; the API's CaseOut but for its labels), by the path it is read from:
# plain values in one statement — building ~100 rows × 5 model instances was most of an inbox's Python time.
INBOX_ROW = {"id": "id", "tracking_code": "tracking_code", "state": "state", "channel": "channel",
             "category": "category__name", "urgency": "urgency", "layer": "layer", "description": "description",
             "street": "street__name", "community": "community__name", "address": "address",
             "lead_unit": "lead_unit__name", "deadline": "deadline", "time_state": "time_state",
             "version": "version", "created_at": "created_at"}

# Compiled statements (decision 32, 33): the inbox's per scope and the few shared ones, most recently used
# last; bounded.
_PLANS: dict[tuple, object] = {}
_PLANS_MAX = 1024
_PLANS_LOCK = threading.Lock()
# Stand-ins while compiling (core.sql.Prepared), replaced by the request's values when the statements run:
# values no real parameter has.
_NOW = dt.datetime(2000, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
_DISTRICT = _USER = -7_000_001
_IDS = -8_000_001  # the first of a list of ids
_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)  # sorts a missing deadline last
_UNTIMED = (F("deadline").asc(nulls_last=True), F("yellow_at").asc(nulls_last=True), "id")


def _prepared(key: tuple, build):
    """The compiled statement(s) under `key`, built by `build()` the first time."""
    with _PLANS_LOCK:  # gunicorn threads share the cache
        plan = _PLANS.pop(key, None)
        if plan is not None:
            _PLANS[key] = plan
            return plan
    plan = build()
    with _PLANS_LOCK:
        while len(_PLANS) >= _PLANS_MAX:
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = plan
    return plan


def _inbox_plan(actor, scope, pending: tuple[int, ...], limit: int) -> dict:
    """The inbox's SQL for this scope, compiled once: one statement of per-section counts (and the viewer's
    unread notifications), and per section its "first `limit` ids" statement. The ORM builds every section
    (the rule lives in `inbox_conditions`); compiling ~15 querysets cost ~10 ms of CPU per inbox request, and
    their SQL only changes with the scope and the pending extension requests — both part of the key — so it is
    kept per process (decision 32). Now and the viewer are stand-ins bound per request."""
    key = ("inbox", scope, actor.unit_id, pending, limit, connection.vendor, connection.alias)
    return _prepared(key, lambda: _build_inbox_plan(actor, pending, limit))


def _build_inbox_plan(actor, pending: tuple[int, ...], limit: int) -> dict:
    conditions = inbox_conditions(actor, pending_extension_ids=list(pending))
    base = with_time_state(Case.objects.all(), _NOW)
    counts = {n: Prepared(Case.objects.filter(q).order_by().values("pk"), now=_NOW) for n, q in conditions.items()}
    live = [n for n in conditions if counts[n].sql is not None]
    unread = Prepared(_own_notifications(_USER, unread_only=True).order_by().values("pk"), user=_USER)
    parts = [counts[n] for n in live] + [unread]
    return {
        "names": list(conditions),
        "live": live,
        "counts": (f"SELECT {', '.join(f'(SELECT COUNT(*) FROM ({part.sql}) AS c{i})' for i, part in enumerate(parts))}",
                   parts),
        "tops": {n: Prepared(base.filter(q).order_by(*(_UNTIMED if n in UNTIMED_SECTIONS else
                                                       ("time_rank", *_UNTIMED))).values_list("pk")[:limit], now=_NOW)
                 for n, q in conditions.items()},
    }


def _rows_plan(size: int) -> Prepared:
    """The inbox rows of `size` ids (a power of two: the ids are padded with the first), with `time_rank` and
    `yellow_at` for ordering them, compiled once per size."""
    def build():
        ids = [_IDS - i for i in range(size)]
        qs = with_time_state(Case.objects.filter(pk__in=ids), _NOW).order_by().values_list(
            *INBOX_ROW.values(), "time_rank", "yellow_at")
        return Prepared(qs, ids=ids, now=_NOW)
    return _prepared(("inbox-rows", size, connection.vendor, connection.alias), build)


def inbox_for(actor, *, now: dt.datetime | None = None, limit: int = INBOX_LIMIT) -> dict:
    """What needs *me* now, by section, each `{"count": n, "cases": [row, …]}` red/yellow first, a row being a
    dict of `INBOX_ROW`'s keys.

    Three statements, whatever the number of sections: the counts (one scalar subquery per section, so the
    database plans each on its own index), the first `limit` ids of each non-empty section (a UNION ALL of
    per-section ORDER BY … LIMIT, sorted on the case table alone), and the rows of those ids with their
    related names. The statements are built by the ORM and compiled once per scope (`_inbox_plan`); only
    their joining is written here.
    """
    scope = scope_for(actor)
    pending = tuple(_pending_extension_case_ids(scope)) if scope.has_role(Role.DISPATCHER) else ()
    plan = _inbox_plan(actor, scope, pending, limit)
    now = now or timezone.now()
    names = plan["names"]
    counts = dict.fromkeys(names, 0)
    sql, parts = plan["counts"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for part in parts for p in part.bind(connection, now=now, user=actor.pk or 0)])
        *live_counts, unread = cursor.fetchone()
    counts.update(zip(plan["live"], live_counts, strict=True))
    tops = [(n, plan["tops"][n]) for n in names if counts[n] and plan["tops"][n].sql is not None]
    ids: dict[str, list[int]] = {n: [] for n in names}
    if tops:
        sql = " UNION ALL ".join(f"SELECT {names.index(n)}, t{i}.* FROM ({part.sql}) AS t{i}"
                                 for i, (n, part) in enumerate(tops))
        with connection.cursor() as cursor:
            cursor.execute(sql, [p for _n, part in tops for p in part.bind(connection, now=now)])
            for section, pk in cursor.fetchall():
                ids[names[section]].append(pk)
    wanted = sorted({pk for section in ids.values() for pk in section})
    rows, order = {}, {}
    if wanted:
        size = 1 << (len(wanted) - 1).bit_length()
        keys = list(INBOX_ROW)
        for values in _rows_plan(size).rows(connection, ids=wanted + wanted[:1] * (size - len(wanted)), now=now):
            row = dict(zip(keys, values[:len(keys)], strict=True))
            rows[row["id"]] = row
            # the order of the SQL above (time_rank is constant in the untimed sections)
            order[row["id"]] = (values[-2], row["deadline"] or _FAR, values[-1] or _FAR, row["id"])
    result = {n: {"count": counts[n], "cases": [rows[pk] for pk in sorted((pk for pk in ids[n] if pk in rows),
                                                                            key=order.__getitem__)]}
              for n in names}
    result["unread_notifications"] = unread
    return result


def notifications_for(actor, *, unread_only: bool = False) -> QuerySet:
    """The actor's own notifications (personal rows, each with its own read state), newest first, with the case
    and the unit they reached the actor through."""
    if not getattr(actor, "pk", None):
        return Notification.objects.none()
    return _own_notifications(actor.pk, unread_only=unread_only).select_related("case", "unit")


def _own_notifications(user_id: int, *, unread_only: bool = False) -> QuerySet:
    qs = Notification.objects.filter(user_id=user_id)
    return qs.filter(read_at__isnull=True) if unread_only else qs


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
    """The meetings the actor may see (`permissions.may_see_meetings`: the district-level readers of their
    district), newest first."""
    return Meeting.objects.select_related("body").filter(meetings_visible_q(actor)).order_by("-date", "-id")


def meeting_get_for(actor, meeting_id: int) -> Meeting:
    return first_or_not_found(meetings_for(actor), pk=meeting_id)

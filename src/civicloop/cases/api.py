"""JSON API of the closed loop (mounted at /api/cases/).

Handlers are thin: parse the schema, call one service (or selector), answer a schema. Every write takes
`expected_version` (optimistic lock: a stale one answers 409 `conflict`). Cases outside the actor's scope answer
404 like missing ones. Request field names are the service's keyword names, so `payload.dict()` is passed as is;
the actions' request schemas and services are `actions.py`'s, shared with the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, StrictBool

from civicloop.core.api import (
    NOT_BLANK,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    FilterText,
    Id,
    PageIn,
    PathId,
    paged,
)
from civicloop.core.capacity import Busy, gate_from_environment
from civicloop.core.errors import CivicError

from . import selectors, services
from .actions import ACTION_SCHEMAS, ACTION_SERVICES, AgendaIn, DecideIn, MeetingIn
from .constants import Action, AppealType, CaseState, Channel, StaffChannel, Urgency
from .error_codes import CaseErrorCode
from .inbox import inbox_for
from .models import AgendaItem, Meeting
from .rows import case_row, case_rows_for

router = Router(tags=["cases"])


# ----- schemas out


class CaseRefOut(Schema):
    """What a registration answers: enough to find the case and act on it (`version` for the next write)."""

    id: int
    tracking_code: str
    state: str
    version: int
    created_at: dt.datetime


# A case row (`rows.CASE_ROW`'s keys) and its state's label (`labelled`); a test holds the fields to those keys.
# (The docstring is the OpenAPI document's description: keep it.)
class CaseOut(BaseModel):
    """A case as lists show it. A plain pydantic model fed by `case_row` (one dict per case): the inbox answers
    ~100 of them, and ninja's attribute getter per field cost a third of that request's time (decision 32)."""

    id: int
    tracking_code: str
    state: str
    state_label: str
    channel: str
    category: str | None
    urgency: str
    appeal_type: str
    layer: str
    description: str
    street: str | None
    community: str | None
    address: str
    lead_unit: str | None
    deadline: dt.datetime | None
    deadline_provisional: bool  # counted over a year whose holidays are not yet official (shown as 暂定)
    time_state: str
    version: int
    created_at: dt.datetime


def labelled(rows: list[dict]) -> list[dict]:
    """`rows` (case rows) with their state's label, in the request's language (`CaseOut`)."""
    labels = {state.value: str(state.label) for state in CaseState}
    return [{**row, "state_label": labels[row["state"]]} for row in rows]


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class ReporterOut(Schema):
    name: str
    phone: str
    id_number: str
    anonymous: bool
    masked: bool


class EventOut(Schema):
    seq: int
    action: str
    action_label: str
    actor: str | None
    unit: str | None
    at: dt.datetime
    note: str
    summary: str = ""  # what the step did, in words (whom it went to, days, deadline, rating …): cases/timeline.py


class CaseDetailOut(CaseOut):
    reporter: ReporterOut
    co_unit_names: list[str]
    satisfaction: str
    return_count: int
    unsatisfied_count: int
    timeline: list[EventOut]
    allowed_actions: list[str]


class InboxSectionOut(Schema):
    count: int
    cases: list[CaseOut]


class InboxOut(Schema):
    sections: dict[str, InboxSectionOut]
    unread_notifications: int


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    case_id: int | None
    unit_id: int | None
    unit: str | None  # the unit it reached the reader through (lead unit, co-unit, dispatching unit …)
    created_at: dt.datetime
    read_at: dt.datetime | None
    actor: str | None  # who acted (null: the system)
    actor_unit: str | None  # for which unit
    case_tracking_code: str | None  # the case's page: /cases/<tracking code>/

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return str(obj.actor) if obj.actor_id else None

    @staticmethod
    def resolve_actor_unit(obj) -> str | None:
        return obj.actor_unit.name if obj.actor_unit_id else None

    @staticmethod
    def resolve_case_tracking_code(obj) -> str | None:
        return obj.case.tracking_code if obj.case_id else None


class NotificationPage(Schema):
    count: int
    items: list[NotificationOut]


class MeetingOut(Schema):
    id: int
    body: str
    date: dt.date
    title: str
    state: str
    minutes: str
    items: list[dict]


# ----- schemas in


class CaseFilterIn(PageIn):
    state: CaseState | None = None
    time_state: FilterText | None = None
    channel: Channel | None = None
    appeal_type: AppealType | None = None
    category: PathId | None = None
    q: FilterText | None = None
    open_only: bool = False


# `GET /{key}`: an id or a tracking code (`XH2026-0004711`), never one of the static paths beside it.
CaseKey = Annotated[str, Field(pattern=r"^([0-9]{1,18}|[0-9A-Za-z]{1,16}[0-9]{4}-[0-9]{7})$")]


class RegisterIn(Schema):
    channel: StaffChannel  # never open311 by hand (constants.API_ONLY_CHANNELS)
    description: str = Field(..., max_length=4000, pattern=NOT_BLANK)
    place_code: FilterText | None = None
    category_id: Id | None = None
    urgency: Urgency = Urgency.NORMAL
    appeal_type: AppealType = AppealType.HELP
    reporter_name: str = Field("", max_length=40)
    reporter_phone: str = Field("", max_length=20)
    reporter_id_number: str = Field("", max_length=18)
    reporter_anonymous: StrictBool = False
    external_id: str = Field("", max_length=64)
    address: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class RegisterBatchIn(Schema):
    cases: list[RegisterIn] = Field(..., min_length=1, max_length=services.BATCH_MAX)


class RegisterBatchItemOut(Schema):
    index: int
    outcome: Literal["registered", "repeated", "refused"]
    case: CaseRefOut | None = None
    error: ErrorOut | None = None


class RegisterBatchOut(Schema):
    registered: int
    repeated: int
    refused: int
    results: list[RegisterBatchItemOut]


# ----- helpers


def _meeting_out(actor, m: Meeting) -> dict:
    """The meeting and its agenda as `actor` may see them (`selectors.meeting_agenda_for`, `meeting_shown`)."""
    agenda = selectors.meeting_agenda_for(actor, m)
    m = selectors.meeting_shown(actor, m, agenda)
    items = []
    for item in agenda:
        d = getattr(item, "decision", None)
        items.append({"id": item.pk, "case_id": item.case_id, "tracking_code": item.case.tracking_code,
                      "decided": d is not None, "lead_unit": d.lead_unit.name if d else None,
                      "measures": d.measures if d else ""})
    return {"id": m.pk, "body": m.body.name, "date": m.date, "title": m.title, "state": m.state,
            "minutes": m.minutes, "items": items}


def _detail_out(actor, case_id) -> dict:
    """The case's row with the detail fields (`CaseDetailOut`)."""
    d = selectors.case_detail(actor, case_id)
    case = d.pop("case")
    d.pop("may_unmask")
    return {**labelled([case_row(case)])[0], "satisfaction": case.satisfaction, "return_count": case.return_count,
            "unsatisfied_count": case.unsatisfied_count, **d}


# ----- reads (static paths first: "/{key}" would swallow them)


@router.get("/", response={200: CasePage, **READ_ERRORS})
def case_list(request, filters: Query[CaseFilterIn]):
    qs = selectors.case_list_for(request.user, selectors.CaseFilters(
        state=filters.state, time_state=filters.time_state, channel=filters.channel,
        appeal_type=filters.appeal_type,
        category_id=filters.category, text=filters.q, open_only=filters.open_only))
    page = paged(qs, filters)
    return {"count": page["count"], "items": labelled(case_rows_for(request.user, page["items"]))}


@router.get("/inbox", response={200: InboxOut, 401: ErrorOut})
def inbox(request):
    data = inbox_for(request.user)
    unread = data.pop("unread_notifications")
    return {"sections": {name: {"count": section["count"], "cases": labelled(section["cases"])}
                         for name, section in data.items()}, "unread_notifications": unread}


@router.get("/notifications", response={200: NotificationPage, **READ_ERRORS})
def notification_list(request, page: Query[PageIn], unread: bool = False):
    found = paged(selectors.notifications_for(request.user, unread_only=unread), page)
    return {**found, "items": selectors.notifications_shown(request.user, found["items"])}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, 403: ErrorOut, **READ_ERRORS})
def notification_read(request, notification_id: PathId):
    n = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    return selectors.notifications_shown(request.user, [n])[0]


@router.get("/meetings", response={200: list[MeetingOut], **READ_ERRORS})
def meeting_list(request):
    return [_meeting_out(request.user, m) for m in selectors.meetings_for(request.user)[:200]]


@router.post("/meetings", response={201: MeetingOut, **WRITE_ERRORS})
def meeting_create(request, payload: MeetingIn):
    meeting = services.meeting_create(actor=request.user, **payload.dict())
    return Status(201, _meeting_out(request.user, meeting))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **READ_ERRORS})
def meeting_detail(request, meeting_id: PathId):
    return _meeting_out(request.user, selectors.meeting_get_for(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/agenda", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_agenda_add(request, meeting_id: PathId, payload: AgendaIn):
    item = services.meeting_agenda_add(actor=request.user, meeting_id=meeting_id, case_id=payload.case_id)
    return _meeting_out(request.user, item.meeting)


@router.post("/agenda/{item_id}/decide", response={200: MeetingOut, **WRITE_ERRORS})
def agenda_decide(request, item_id: PathId, payload: DecideIn):
    decision = services.meeting_decide(actor=request.user, item_id=item_id, **payload.dict())
    return _meeting_out(request.user, AgendaItem.objects.get(pk=decision.item_id).meeting)


@router.post("/meetings/{meeting_id}/minutes", response={200: MeetingOut, **WRITE_ERRORS})
def meeting_minutes(request, meeting_id: PathId):
    return _meeting_out(request.user, services.meeting_minutes_generate(actor=request.user, meeting_id=meeting_id))


@router.post("/register", response={201: CaseRefOut, **WRITE_ERRORS})
def case_register(request, payload: RegisterIn):
    """Register a case; answers its reference (GET /api/cases/{id} for the whole case). A repeated
    `external_id` of the same channel answers the case registered the first time."""
    return Status(201, services.case_register(actor=request.user, **payload.dict()))


# Batches hold a web thread for seconds: at most a share of each process's threads, so pages stay quick
# (core.capacity; CIVICLOOP_BATCH_SLOTS / _QUEUE / _WAIT).
BATCH_GATE = gate_from_environment("CIVICLOOP_BATCH")


@router.post("/register-batch", response={200: RegisterBatchOut, 429: ErrorOut, **WRITE_ERRORS})
def case_register_batch(request, payload: RegisterBatchIn, response: HttpResponse):
    """Register 1–100 cases in one request — for systems that hand cases over in bulk (the 12345 platform,
    sensor gateways). Each item is registered as by `/register`, in its own transaction; `results` answers
    each item in order: `registered`, `repeated` (its external_id was registered before: the existing case)
    or `refused` with the error that a single `/register` would have answered. Refused items change nothing.
    While the server is busy with other batches it answers 429 `intake_busy` with a `Retry-After` header
    (seconds): nothing of the batch was registered; send it again after that time."""
    try:
        with BATCH_GATE.slot():
            results = services.case_register_batch(actor=request.user, items=[item.dict() for item in payload.cases])
    except Busy as busy:
        response["Retry-After"] = str(busy.retry_after)
        return Status(429, CivicError(CaseErrorCode.INTAKE_BUSY).as_dict())
    out = []
    for i, r in enumerate(results):
        if r.error is not None:
            out.append({"index": i, "outcome": "refused", "error": r.error.as_dict()})
        else:
            out.append({"index": i, "outcome": "repeated" if r.repeated else "registered", "case": r.case})
    counts = {k: sum(1 for o in out if o["outcome"] == k) for k in ("registered", "repeated", "refused")}
    return {**counts, "results": out}


@router.get("/{key}", response={200: CaseDetailOut, **READ_ERRORS})
def case_get(request, key: CaseKey):
    """One case by id or tracking code: masked reporter, timeline, the actions this actor may take now."""
    return _detail_out(request.user, key)


# ----- one POST per action


def _action(name: str, schema, service):
    def handler(request, case_id: int, payload):
        service(actor=request.user, case_id=case_id, **payload.dict())
        return _detail_out(request.user, case_id)

    handler.__name__ = f"case_{name}"
    handler.__annotations__ = {"case_id": PathId, "payload": schema}
    handler.__doc__ = f"{Action(name).label if name in Action.values else name}"
    router.post(f"/{{case_id}}/{name}", response={200: CaseDetailOut, **WRITE_ERRORS}, operation_id=f"cases_{name}")(handler)


for _name in ACTION_SCHEMAS:
    _action(_name, ACTION_SCHEMAS[_name], ACTION_SERVICES[_name])

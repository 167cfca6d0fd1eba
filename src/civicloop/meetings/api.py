"""The meetings API at /api/meetings/: meetings and their packs, minutes, decisions and what came of them."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, PageIn, PathId, paged

from . import selectors
from . import services as s
from .constants import DecisionKind, ItemSource, MeetingState
from .inputs import AgendaItemIn, ItemMinutesIn, MeetingDecisionIn, WorkMeetingIn

router = Router(tags=["meetings"])


class WorkMeetingOut(Schema):
    id: int
    title: str
    date: dt.date
    street_id: int | None
    street_name: str
    chair_name: str
    state: str
    state_label: str
    previous_id: int | None
    pack_built_at: dt.datetime | None

    @staticmethod
    def resolve_street_name(obj) -> str:
        return obj.street.name if obj.street_id else ""

    @staticmethod
    def resolve_chair_name(obj) -> str:
        return str(obj.chair) if obj.chair_id else ""

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(MeetingState(obj.state).label)


class WorkMeetingPage(Schema):
    count: int
    items: list[WorkMeetingOut]


class DecisionOutcomeOut(Schema):
    kind: str  # "task" (a plan task's derived status) or "case" (a case's state)
    status: str
    status_label: str
    title: str
    due: dt.date | None
    unit_name: str
    url: str
    percent: int | None
    time_state: str
    done: bool
    visible: bool  # False: the task or case is not the viewer's to see


class MeetingDecisionOut(Schema):
    id: int
    item_id: int | None
    kind: str
    kind_label: str
    text: str
    task_id: int | None
    case_id: int | None
    unit_name: str
    due: dt.date | None
    decided_at: dt.datetime
    outcome: DecisionOutcomeOut


class AgendaItemOut(Schema):
    id: int
    position: int
    source: str
    source_label: str
    ref_id: int | None
    title: str
    status: str
    status_label: str
    due: dt.date | None
    unit_name: str
    url: str
    detail: dict
    minutes: str
    decisions: list[MeetingDecisionOut]


class PackSectionOut(Schema):
    source: str
    label: str
    more: int  # items of this source beyond those on the agenda
    items: list[AgendaItemOut]


class MeetingPackOut(Schema):
    meeting: WorkMeetingOut
    sections: list[PackSectionOut]
    decisions: list[MeetingDecisionOut]  # decisions of the meeting as a whole (on no item)
    earlier: list[MeetingDecisionOut]  # the previous meeting's decisions and what came of them now


class MeetingDecisionRecordedOut(MeetingDecisionOut):
    created: bool  # False: the same decision was recorded before; nothing new was made


def _outcome(out) -> dict:
    return {"kind": out.kind, "status": out.status if out.visible else "", "status_label": out.status_label,
            "title": out.title, "due": out.due, "unit_name": out.unit_name, "url": out.url, "percent": out.percent,
            "time_state": out.time_state, "done": out.done, "visible": out.visible}


def _decision(d, out) -> dict:
    return {"id": d.pk, "item_id": d.item_id, "kind": d.kind, "kind_label": str(DecisionKind(d.kind).label),
            "text": d.text, "task_id": d.task_id, "case_id": d.case_id, "unit_name": d.unit.name if d.unit_id else "",
            "due": d.due, "decided_at": d.decided_at, "outcome": _outcome(out)}


def _item(item) -> dict:
    return {"id": item.pk, "position": item.position, "source": item.source,
            "source_label": str(ItemSource(item.source).label), "ref_id": item.ref_id, "title": item.title,
            "status": item.status, "status_label": item.status_label, "due": item.due, "unit_name": item.unit_name,
            "url": item.url, "detail": item.detail, "minutes": item.minutes,
            "decisions": [_decision(d, out) for d, out in item.shown_decisions]}


def _pack(pack: dict) -> dict:
    return {"meeting": pack["meeting"],
            "sections": [{"source": sec["source"], "label": sec["label"], "more": sec["more"],
                          "items": [_item(i) for i in sec["items"]]} for sec in pack["sections"]],
            "decisions": [_decision(d, out) for d, out in pack["decisions"]],
            "earlier": [_decision(d, out) for d, out in pack["earlier"]]}


@router.get("/", response={200: WorkMeetingPage, **READ_ERRORS}, summary="Meetings the viewer may read")
def meeting_list(request, page: Query[PageIn]):
    return paged(selectors.meetings_for(request.user), page)


@router.post("/", response={201: WorkMeetingOut, **WRITE_ERRORS}, summary="Plan a meeting (its pack is built at once)")
def meeting_create(request, payload: WorkMeetingIn):
    """A meeting of the district (no `street_id`) or of a street, for a date; its pack is built from the sources as
    the caller sees them. 403 for who may not keep meetings of that scope."""
    return Status(201, s.meeting_create(actor=request.user, **payload.dict()))


@router.get("/{meeting_id}", response={200: MeetingPackOut, **READ_ERRORS}, summary="A meeting's pack")
def meeting_pack(request, meeting_id: PathId):
    """The agenda by source (each item as it stood when the pack was built, with its minutes, its decisions and
    what came of them), the meeting's other decisions, and what came of the previous meeting's decisions."""
    return _pack(selectors.meeting_pack_for(request.user, meeting_id))


@router.post("/{meeting_id}/build", response={200: MeetingPackOut, **WRITE_ERRORS}, summary="Build the pack again")
def meeting_build(request, meeting_id: PathId):
    """While the meeting is planned (else 409 `meeting_state`): the sources' items as they stand now."""
    s.meeting_pack_build(actor=request.user, meeting_id=meeting_id)
    return _pack(selectors.meeting_pack_for(request.user, meeting_id))


@router.post("/{meeting_id}/hold", response={200: WorkMeetingOut, **WRITE_ERRORS}, summary="The meeting took place")
def meeting_hold(request, meeting_id: PathId):
    return s.meeting_hold(actor=request.user, meeting_id=meeting_id)


@router.post("/{meeting_id}/close", response={200: WorkMeetingOut, **WRITE_ERRORS}, summary="The minutes are final")
def meeting_close(request, meeting_id: PathId):
    return s.meeting_close(actor=request.user, meeting_id=meeting_id)


@router.post("/{meeting_id}/items", response={201: AgendaItemOut, **WRITE_ERRORS}, summary="Add an agenda item by hand")
def item_add(request, meeting_id: PathId, payload: AgendaItemIn):
    item = s.item_add(actor=request.user, meeting_id=meeting_id, **payload.dict())
    item.status_label, item.shown_decisions = "", []
    return Status(201, _item(item))


@router.post("/items/{item_id}/minutes", response={200: AgendaItemOut, **WRITE_ERRORS},
             summary="Record the minutes of an agenda item")
def item_minutes(request, item_id: PathId, payload: ItemMinutesIn):
    """While the meeting is held (else 409 `meeting_state`); replaces the item's minutes."""
    s.item_minutes_record(actor=request.user, item_id=item_id, **payload.dict())
    pack = selectors.meeting_pack_for(request.user, selectors.item_get_for(request.user, item_id).meeting_id)
    return _item(next(i for i in pack["items"] if i.pk == item_id))


@router.get("/{meeting_id}/decisions", response={200: list[MeetingDecisionOut], **READ_ERRORS},
            summary="A meeting's decisions and what came of each")
def decision_list(request, meeting_id: PathId):
    _meeting, rows = selectors.decisions_for(request.user, meeting_id)
    return [_decision(d, out) for d, out in rows]


@router.post("/{meeting_id}/decisions", response={200: MeetingDecisionRecordedOut, 201: MeetingDecisionRecordedOut, **WRITE_ERRORS},
             summary="Record a decision: it becomes a task, a case or a re-dispatch")
def decision_create(request, meeting_id: PathId, payload: MeetingDecisionIn):
    """201 with the new decision and what it became; 200 with the stored one when the same decision was recorded
    before (a double submit makes nothing more). A refusal by plans or cases (the plan, unit or case not the
    caller's; a case the transition table will not dispatch) records nothing."""
    recorded = s.decision_record(actor=request.user, meeting_id=meeting_id, **payload.dict())
    _meeting, rows = selectors.decisions_for(request.user, meeting_id)
    d, out = next((d, out) for d, out in rows if d.pk == recorded.decision.pk)
    return Status(201 if recorded.created else 200, {**_decision(d, out), "created": recorded.created})

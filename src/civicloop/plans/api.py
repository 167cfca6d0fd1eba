"""The plans API at /api/plans/: plans, the board, tasks, milestones, progress, links, leader contacts, targets
and the responsibility letters 三书."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema, Status

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, ErrorOut, PageIn, PathId, paged

from . import selectors, services
from .board import STATUS_ORDER, my_tasks, plan_board
from .constants import TaskStatus
from .inputs import (
    AcknowledgeIn,
    ContactsIn,
    GoalIn,
    LetterIn,
    LinkIn,
    MilestoneIn,
    PlanIn,
    ReportIn,
    TargetsIn,
    TaskIn,
)
from .status import task_status

router = Router(tags=["plans"])


# ----- plans

class PlanOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    year: int
    start: dt.date
    end: dt.date
    owner_unit_id: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


@router.get("/plans", response={200: list[PlanOut], **READ_ERRORS})
def plan_list(request):
    return list(selectors.plans_for(request.user).order_by("-year", "start", "pk")[:200])


@router.post("/plans", response={201: PlanOut, **WRITE_ERRORS})
def plan_create(request, payload: PlanIn):
    return Status(201, services.plan_create(actor=request.user, **payload.dict()))


@router.get("/plans/{plan_id}", response={200: PlanOut, **READ_ERRORS})
def plan_detail(request, plan_id: PathId):
    return selectors.plan_get_for(request.user, plan_id)


class GoalOut(Schema):
    id: int
    plan_id: int
    title: str


@router.post("/goals", response={201: GoalOut, **WRITE_ERRORS})
def goal_create(request, payload: GoalIn):
    return Status(201, services.goal_create(actor=request.user, **payload.dict()))


class BoardRowOut(Schema):
    id: int | None = Field(None, description="the unit's or goal's id (none: tasks without a goal)")
    name: str
    light: str
    total: int
    percent: int
    counts: dict[str, int]


class BoardOut(Schema):
    plan_id: int
    on: dt.date
    totals: BoardRowOut
    by_unit: list[BoardRowOut]
    by_goal: list[BoardRowOut]
    late_count: int


def _row(r) -> dict:
    return {"id": r.key, "name": r.name, "light": r.light, "total": r.total, "percent": r.percent,
            "counts": {str(s): r.counts[s] for s in STATUS_ORDER}}


@router.get("/plans/{plan_id}/board", response={200: BoardOut, **READ_ERRORS})
def plan_board_get(request, plan_id: PathId):
    """Traffic lights by owner unit and by goal over the leaf tasks the viewer sees (status derived today)."""
    plan = selectors.plan_get_for(request.user, plan_id)
    on = selectors.today()
    board = plan_board(request.user, plan, on=on)
    return {"plan_id": plan.pk, "on": on, "totals": _row(board["totals"]), "late_count": board["late_count"],
            "by_unit": [_row(r) for r in board["by_unit"]], "by_goal": [_row(r) for r in board["by_goal"]]}


# ----- tasks

class TaskOut(Schema):
    id: int
    plan_id: int
    goal_id: int | None
    parent_id: int | None
    owner_unit_id: int
    title: str
    description: str
    start: dt.date | None
    due: dt.date
    weight: int
    percent: int
    done_at: dt.date | None
    status: str
    source_kind: str
    source_id: int | None

    @staticmethod
    def resolve_status(obj) -> str:
        return task_status(obj, selectors.today())


class TaskPageOut(Schema):
    count: int
    items: list[TaskOut]


class TaskFilterIn(PageIn):
    plan: PathId | None = Field(None, title="plan")
    status: TaskStatus | None = Field(None, title="status")


@router.get("/tasks", response={200: TaskPageOut, **READ_ERRORS})
def task_list(request, filters: Query[TaskFilterIn]):
    """The tasks the viewer may see, by plan; `status` filters on the derived status (of at most one page's
    worth: it is computed, not stored)."""
    qs = selectors.tasks_for(request.user).order_by("plan_id", "position", "pk")
    if filters.plan is not None:
        qs = qs.filter(plan_id=filters.plan)
    if filters.status is None:
        return paged(qs, filters)
    on = selectors.today()
    items = [t for t in qs[:5000] if task_status(t, on) == filters.status]
    return {"count": len(items), "items": items[filters.offset: filters.offset + filters.limit]}


class MyTaskOut(Schema):
    id: int
    title: str
    plan_id: int
    plan_title: str
    owner_unit: str
    co_unit: bool
    start: dt.date | None
    due: dt.date
    percent: int
    status: str


@router.get("/tasks/mine", response={200: list[MyTaskOut], **READ_ERRORS})
def task_mine(request):
    """The tasks of the viewer's unit (and the units under it), as owner or co-unit: late first."""
    return my_tasks(request.user, on=selectors.today())


@router.post("/tasks", response={201: TaskOut, **WRITE_ERRORS})
def task_create(request, payload: TaskIn):
    return Status(201, services.task_create(actor=request.user, **payload.dict()))


@router.get("/tasks/{task_id}", response={200: TaskOut, **READ_ERRORS})
def task_detail(request, task_id: PathId):
    return selectors.task_get_for(request.user, task_id)


class MilestoneOut(Schema):
    id: int
    task_id: int
    title: str
    due: dt.date
    done_at: dt.date | None


@router.post("/tasks/{task_id}/milestones", response={201: MilestoneOut, **WRITE_ERRORS})
def milestone_create(request, task_id: PathId, payload: MilestoneIn):
    return Status(201, services.milestone_create(actor=request.user, task_id=task_id, **payload.dict()))


@router.post("/milestones/{milestone_id}/done", response={200: MilestoneOut, **WRITE_ERRORS})
def milestone_done(request, milestone_id: PathId):
    return services.milestone_done(actor=request.user, milestone_id=milestone_id)


class ReportOut(Schema):
    id: int
    task_id: int
    percent: int
    text: str
    on: dt.date


@router.post("/tasks/{task_id}/reports", response={201: ReportOut, **WRITE_ERRORS})
def report_create(request, task_id: PathId, payload: ReportIn):
    """Report progress on a leaf task (its owner unit); evidence files are sent with the task page's form.
    409 task_has_children on a parent (it rolls up from its subtasks)."""
    return Status(201, services.report_create(actor=request.user, task_id=task_id, **payload.dict()))


class LinkOut(Schema):
    id: int
    task_id: int
    kind: str
    object_id: int


@router.post("/tasks/{task_id}/links", response={201: LinkOut, **WRITE_ERRORS})
def task_link(request, task_id: PathId, payload: LinkIn):
    """Link the task to a case, a consultation decision or an adopted suggestion the viewer may see."""
    return Status(201, services.task_link(actor=request.user, task_id=task_id, **payload.dict()))


# ----- leader contacts, targets

class ContactOut(Schema):
    street_id: int
    street: str
    leaders: list[str]


@router.get("/contacts", response={200: list[ContactOut], **READ_ERRORS})
def contact_list(request):
    return selectors.street_contacts(request.user)


@router.put("/contacts/{street_id}", response={200: list[int], **WRITE_ERRORS})
def contacts_set(request, street_id: PathId, payload: ContactsIn):
    """The street's contact leaders (2–3 district leaders) become `leader_ids`; answers their ids."""
    rows = services.leader_contacts_set(actor=request.user, street_id=street_id, leader_ids=payload.leader_ids)
    return [r.leader_id for r in rows]


@router.put("/targets", response={200: int, **WRITE_ERRORS})
def targets_set(request, payload: TargetsIn):
    """A unit's targets for a year (its 目标责任书 follows); answers how many."""
    rows = services.target_set(actor=request.user, unit_id=payload.unit_id, year=payload.year,
                               targets=[{"title": t.target, "measure": t.measure, "indicator_id": t.indicator_id}
                                        for t in payload.targets])
    return len(rows)


# ----- letters

class VersionOut(Schema):
    number: int
    digest: str
    created_at: dt.datetime
    acknowledged_by_id: int | None
    acknowledged_at: dt.datetime | None
    content: dict


class LetterOut(Schema):
    id: int
    unit_id: int
    year: int
    kind: str


class LetterDetailOut(LetterOut):
    stale: bool
    versions: list[VersionOut]


@router.get("/letters", response={200: list[LetterOut], **READ_ERRORS})
def letter_list(request):
    return list(selectors.letters_for(request.user).order_by("-year", "unit_id", "kind")[:500])


@router.post("/letters", response={200: VersionOut, **WRITE_ERRORS})
def letter_generate(request, payload: LetterIn):
    """Create the unit's letter for the year if needed and bring it up to date: its current version."""
    return services.letter_generate(actor=request.user, **payload.dict())


@router.get("/letters/{letter_id}", response={200: LetterDetailOut, **READ_ERRORS})
def letter_detail(request, letter_id: PathId):
    view = selectors.letter_view(request.user, letter_id)
    letter = view["letter"]
    return {"id": letter.pk, "unit_id": letter.unit_id, "year": letter.year, "kind": letter.kind,
            "stale": view["stale"], "versions": view["versions"]}


@router.post("/letters/{letter_id}/acknowledge", response={200: VersionOut, **WRITE_ERRORS})
def letter_acknowledge(request, letter_id: PathId, payload: AcknowledgeIn):
    """The unit acknowledges version `number`; 409 letter_stale when the data changed (a new version is made,
    to be acknowledged), 409 letter_acknowledged when it already is."""
    return services.letter_acknowledge(actor=request.user, letter_id=letter_id, number=payload.number)


@router.get("/letters/{letter_id}/versions/{number}/pdf", response={**READ_ERRORS, 503: ErrorOut},
            openapi_extra={"responses": {200: {"description": "the version as a PDF (CJK font embedded)", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def letter_pdf(request, letter_id: PathId, number: PathId):
    """A version as printed (its snapshot); 503 report_font_missing when the server lacks the CJK font."""
    from .letters import letter_pdf as render

    version = selectors.version_get_for(request.user, letter_id, number)
    response = HttpResponse(render(version), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"letter-{version.letter_id}-v{version.number}.pdf")
    return response

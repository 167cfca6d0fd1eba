"""Writes of plans, goals, tasks and milestones. Each writes its audit row in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.orgs.models import Unit
from civicloop.places.constants import PlaceLevel

from .. import selectors
from ..constants import MAX_DEPTH, MAX_WEIGHT, PlanKind, PlansAudit
from ..error_codes import PlanErrorCode
from ..models import Goal, Milestone, Plan, Task
from ..permissions import may_create_task, may_edit_task, may_manage, may_report
from ..rollup import weighted_percent


def _title(value: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise CivicError(ErrorCode.INVALID, _("请填写名称。"))
    if len(value) > max_length:
        raise CivicError(ErrorCode.INVALID, _("名称过长。"))
    return value


def _units(district_id: int, ids: Iterable[int]) -> list[Unit]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    found = list(Unit.objects.select_related("territory").filter(pk__in=ids, district_id=district_id, active=True))
    if len(found) != len(ids):
        raise CivicError(PlanErrorCode.UNIT_INVALID)
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(found, key=lambda u: order[u.pk])


def street_of(unit: Unit) -> int | None:
    """The street a unit works in (its territory's street), for the board by street and the contact leaders."""
    t = unit.territory
    if t is None:
        return None
    if t.level == PlaceLevel.STREET:
        return t.pk
    return t.street_id if t.level != PlaceLevel.DISTRICT else None


@transaction.atomic
def plan_create(*, actor, title: str, kind: str, year: int, start: dt.date, end: dt.date, owner_unit_id: int,
                description: str = "") -> Plan:
    from civicloop.orgs.scope import scope_for

    scope = scope_for(actor)
    district_id = scope.district_id
    if district_id is None or not may_manage(actor, district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if kind not in PlanKind.values:
        raise CivicError(ErrorCode.INVALID)
    if start > end:
        raise CivicError(PlanErrorCode.TASK_DATES)
    (owner,) = _units(district_id, [owner_unit_id])
    plan = Plan.objects.create(district_id=district_id, title=_title(title, 120), kind=kind, year=year, start=start,
                               end=end, owner_unit=owner, description=(description or "").strip(), created_by=actor)
    audit_write(action=PlansAudit.PLAN_CREATE, user=actor, district_id=district_id, object_type="plans.plan",
                object_id=plan.pk, details={"title": plan.title})
    return plan


@transaction.atomic
def goal_create(*, actor, plan_id: int, title: str, description: str = "") -> Goal:
    plan = selectors.plan_get_for(actor, plan_id)
    if not may_create_task(actor, plan):
        raise CivicError(ErrorCode.FORBIDDEN)
    position = plan.goals.count()
    goal = Goal.objects.create(district_id=plan.district_id, plan=plan, title=_title(title, 120),
                               description=(description or "").strip(), position=position)
    audit_write(action=PlansAudit.PLAN_CREATE, user=actor, district_id=plan.district_id, object_type="plans.goal",
                object_id=goal.pk, details={"plan": plan.pk, "title": goal.title})
    return goal


def _depth(task: Task) -> int:
    depth, node = 1, task
    while node.parent_id is not None:
        node = Task.objects.only("pk", "parent_id").get(pk=node.parent_id)
        depth += 1
    return depth


@transaction.atomic
def task_create(*, actor, plan_id: int, title: str, owner_unit_id: int, due: dt.date, start: dt.date | None = None,
                parent_id: int | None = None, goal_id: int | None = None, weight: int = 1, description: str = "",
                co_unit_ids=(), source_kind: str = "", source_id: int | None = None) -> Task:
    """Add a task to a plan (the meetings app calls this for a decision that assigns work: `source_kind` +
    `source_id` say where it came from)."""
    plan = selectors.plan_get_for(actor, plan_id)
    if not may_create_task(actor, plan):
        raise CivicError(ErrorCode.FORBIDDEN)
    if start is not None and start > due:
        raise CivicError(PlanErrorCode.TASK_DATES)
    if not 1 <= int(weight) <= MAX_WEIGHT:
        raise CivicError(ErrorCode.INVALID, _("权重应在 1 到 100 之间。"))
    if len(source_kind or "") > 30:
        raise CivicError(ErrorCode.INVALID)
    (owner,) = _units(plan.district_id, [owner_unit_id])
    co_units = [u for u in _units(plan.district_id, co_unit_ids) if u.pk != owner.pk]
    parent = None
    if parent_id is not None:
        parent = Task.objects.filter(pk=parent_id, plan_id=plan.pk).first()
        if parent is None or _depth(parent) >= MAX_DEPTH:
            raise CivicError(PlanErrorCode.TASK_TREE)
    goal = None
    if goal_id is not None:
        goal = Goal.objects.filter(pk=goal_id, plan_id=plan.pk).first()
        if goal is None:
            raise CivicError(ErrorCode.INVALID, _("目标不属于该计划。"))
    elif parent is not None:
        goal = parent.goal
    position = Task.objects.filter(plan_id=plan.pk, parent_id=parent_id).count()
    task = Task.objects.create(
        district_id=plan.district_id, plan=plan, goal=goal, parent=parent, owner_unit=owner, street_id=street_of(owner),
        title=_title(title), description=(description or "").strip(), start=start, due=due, weight=int(weight),
        position=position, source_kind=source_kind or "", source_id=source_id, created_by=actor,
    )
    if co_units:
        task.co_units.set(co_units)
    if parent is not None:
        roll_up_from(parent.pk)
    audit_write(action=PlansAudit.TASK_CREATE, user=actor, district_id=plan.district_id, object_type="plans.task",
                object_id=task.pk, details={"plan": plan.pk, "title": task.title, "owner_unit": owner.pk,
                                            "source_kind": task.source_kind, "source_id": task.source_id})
    _touch_letters(task, owner_ids=[owner.pk])
    return task


def roll_up_from(task_id: int) -> None:
    """Recompute `percent` and `done_at` of `task_id` from its children, and so on up to the root: a parent's
    percent is the weighted mean of its children's (`rollup.weighted_percent`), and it is done when they all are."""
    node_id = task_id
    while node_id is not None:
        node = Task.objects.select_for_update().get(pk=node_id)
        kids = list(node.children.values_list("weight", "percent", "done_at"))
        if kids:
            node.percent = weighted_percent((w, p) for w, p, _d in kids)
            dones = [d for _w, _p, d in kids]
            node.done_at = max(dones) if all(d is not None for d in dones) else None
            node.save(update_fields=["percent", "done_at"])
        node_id = node.parent_id


@transaction.atomic
def milestone_create(*, actor, task_id: int, title: str, due: dt.date) -> Milestone:
    task = selectors.task_get_for(actor, task_id)
    if not may_edit_task(actor, task):
        raise CivicError(ErrorCode.FORBIDDEN)
    milestone = Milestone.objects.create(district_id=task.district_id, task=task, title=_title(title), due=due)
    audit_write(action=PlansAudit.MILESTONE_CREATE, user=actor, district_id=task.district_id,
                object_type="plans.milestone", object_id=milestone.pk, details={"task": task.pk, "due": str(due)})
    return milestone


@transaction.atomic
def milestone_done(*, actor, milestone_id: int, on: dt.date | None = None) -> Milestone:
    milestone = Milestone.objects.filter(selectors.tasks_visible_q(actor, "task__"), pk=milestone_id) \
        .select_related("task").distinct().first()
    if milestone is None:
        raise not_found()
    if not may_report(actor, milestone.task):
        raise CivicError(ErrorCode.FORBIDDEN)
    if milestone.done_at is None:
        milestone.done_at = on or selectors.today()
        milestone.save(update_fields=["done_at"])
        audit_write(action=PlansAudit.MILESTONE_DONE, user=actor, district_id=milestone.district_id,
                    object_type="plans.milestone", object_id=milestone.pk, details={"on": str(milestone.done_at)})
    return milestone


def _touch_letters(task: Task, *, owner_ids: list[int]) -> None:
    """The 任务书 of the owner units for the plan's year follow their tasks: a new version when the content changed."""
    from .letters import letters_sync_for_units

    letters_sync_for_units(unit_ids=owner_ids, year=task.plan.year)

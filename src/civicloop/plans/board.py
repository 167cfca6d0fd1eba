"""The plan board (traffic lights by unit and by goal), the Gantt rows and "my tasks": reads over a plan's tasks
as the actor may see them, computed from one `values_list` each (a board of thousands of tasks is one query and a
loop: the status is the pure `status.status_of`, never a column)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from civicloop.orgs.models import Unit

from .constants import STATUS_LIGHT, TaskStatus
from .models import Goal, Plan, Task
from .selectors import _may_repeat, own_unit_ids, tasks_visible_q
from .status import status_of

STATUS_ORDER = (TaskStatus.LATE, TaskStatus.AT_RISK, TaskStatus.ON_TRACK, TaskStatus.NOT_STARTED, TaskStatus.DONE)
GANTT_MAX_ROWS = 400
LATE_LIST_MAX = 50
MINE_MAX = 300


def light_of(counts: Counter) -> str:
    """A row's light: red with any late task, amber with any at risk, blue when all are done, grey when none has
    started, green otherwise."""
    if counts[TaskStatus.LATE]:
        return STATUS_LIGHT[TaskStatus.LATE]
    if counts[TaskStatus.AT_RISK]:
        return STATUS_LIGHT[TaskStatus.AT_RISK]
    total = sum(counts.values())
    if total and counts[TaskStatus.DONE] == total:
        return STATUS_LIGHT[TaskStatus.DONE]
    if total and counts[TaskStatus.NOT_STARTED] == total:
        return STATUS_LIGHT[TaskStatus.NOT_STARTED]
    return STATUS_LIGHT[TaskStatus.ON_TRACK]


@dataclass
class BoardRow:
    key: int | None
    name: str
    counts: Counter = field(default_factory=Counter)
    percent_sum: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def light(self) -> str:
        return light_of(self.counts)

    @property
    def percent(self) -> int:
        return self.percent_sum // self.total if self.total else 0

    @property
    def cells(self) -> list[int]:
        return [self.counts[s] for s in STATUS_ORDER]


def _plan_tasks(actor, plan_id: int):
    qs = Task.objects.filter(tasks_visible_q(actor), plan_id=plan_id)
    return qs.distinct() if _may_repeat(actor) else qs


def plan_board(actor, plan: Plan, *, on: dt.date) -> dict:
    """The board of `plan` (the leaf tasks the actor sees — a parent is its children's sum): counts per status
    and a light by owner unit and by goal, the plan's totals, and its late tasks (latest-due last)."""
    rows = list(_plan_tasks(actor, plan.pk).order_by().values_list("pk", "parent_id", "goal_id", "owner_unit_id",
                                                                    "start", "due", "done_at", "percent"))
    parents = {r[1] for r in rows if r[1] is not None}
    by_unit: dict[int, BoardRow] = {}
    by_goal: dict[int | None, BoardRow] = {}
    totals = BoardRow(None, "")
    late = []
    for pk, _parent, goal_id, unit_id, start, due, done_at, percent in rows:
        if pk in parents:
            continue
        status = status_of(start=start, due=due, done_at=done_at, percent=percent, today=on)
        for group, key in ((by_unit, unit_id), (by_goal, goal_id)):
            row = group.get(key)
            if row is None:
                row = group[key] = BoardRow(key, "")
            row.counts[status] += 1
            row.percent_sum += percent
        totals.counts[status] += 1
        totals.percent_sum += percent
        if status == TaskStatus.LATE:
            late.append((due, pk, unit_id))
    unit_names = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    goal_names = dict(Goal.objects.filter(plan_id=plan.pk).values_list("pk", "title"))
    for key, row in by_unit.items():
        row.name = unit_names.get(key, "")
    for key, row in by_goal.items():
        row.name = goal_names.get(key, "") if key is not None else ""
    # the reddest first: most late, then most at risk, then by name
    order = lambda r: (-r.counts[TaskStatus.LATE], -r.counts[TaskStatus.AT_RISK], r.name)  # noqa: E731
    late.sort()
    titles = dict(Task.objects.filter(pk__in=[pk for _d, pk, _u in late[:LATE_LIST_MAX]]).order_by()
                  .values_list("pk", "title")) if late else {}
    return {
        "by_unit": sorted(by_unit.values(), key=order),
        "by_goal": sorted(by_goal.values(), key=lambda r: (r.key is None, list(goal_names).index(r.key)
                                                           if r.key in goal_names else 0)),
        "totals": totals,
        "late": [{"id": pk, "title": titles.get(pk, ""), "due": due, "owner_unit": unit_names.get(unit_id, "")}
                 for due, pk, unit_id in late[:LATE_LIST_MAX]],
        "late_count": len(late),
        "statuses": [(s, TaskStatus(s).label, STATUS_LIGHT[s]) for s in STATUS_ORDER],
    }


def gantt_rows(actor, plan: Plan, *, on: dt.date, unit_id: int | None = None) -> dict:
    """The plan's tasks as a tree in order (depth-first), each with its bar's offset and width in percent of the
    plan's period, its status and progress; at most GANTT_MAX_ROWS rows (`more`: how many were left out)."""
    qs = _plan_tasks(actor, plan.pk)
    if unit_id is not None:
        qs = qs.filter(owner_unit_id=unit_id)
    rows = list(qs.order_by("position", "pk").values_list(
        "pk", "parent_id", "title", "owner_unit__name", "start", "due", "done_at", "percent"))
    ids = {r[0] for r in rows}
    children: dict[int | None, list] = {}
    for r in rows:
        parent = r[1] if r[1] in ids else None  # a parent out of sight: the task shows at the top
        children.setdefault(parent, []).append(r)
    begin, end = plan.start, max(plan.end, max((r[5] for r in rows), default=plan.end))
    span = max((end - begin).days, 1)

    def pos(day: dt.date) -> float:
        return round(100 * min(max((day - begin).days, 0), span) / span, 2)

    out: list[dict] = []

    def walk(parent, depth):
        for pk, _p, title, unit, start, due, done_at, percent in children.get(parent, ()):
            if len(out) >= GANTT_MAX_ROWS:
                return
            s = start or due
            left = pos(s)
            status = status_of(start=start, due=due, done_at=done_at, percent=percent, today=on)
            out.append({"id": pk, "title": title, "owner_unit": unit, "start": start, "due": due, "depth": depth,
                        "percent": percent, "status": status, "status_label": TaskStatus(status).label,
                        "light": STATUS_LIGHT[status], "left": left, "width": max(pos(due) - left, 0.8)})
            walk(pk, depth + 1)

    walk(None, 0)
    months = []
    day = begin.replace(day=1)
    while day <= end:
        if day >= begin:
            months.append({"label": f"{day.month}", "left": pos(day)})
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return {"rows": out, "more": max(len(rows) - len(out), 0), "months": months,
            "today": pos(on) if begin <= on <= end else None, "start": begin, "end": end}


def my_tasks(actor, *, on: dt.date) -> list[dict]:
    """The tasks of the viewer's unit (and the units under it), as owner or co-unit, open ones first by due date."""
    units = own_unit_ids(actor)
    if not units:
        return []
    rows = (Task.objects.filter(Q(owner_unit_id__in=units) | Q(co_units__in=units), tasks_visible_q(actor))
            .distinct().order_by("done_at", "due", "pk")
            .values_list("pk", "title", "plan_id", "plan__title", "owner_unit_id", "owner_unit__name", "start", "due",
                         "done_at", "percent")[:MINE_MAX])
    out = []
    for pk, title, plan_id, plan_title, unit_id, unit_name, start, due, done_at, percent in rows:
        status = status_of(start=start, due=due, done_at=done_at, percent=percent, today=on)
        out.append({"id": pk, "title": title, "plan_id": plan_id, "plan_title": plan_title, "owner_unit": unit_name,
                    "co_unit": unit_id not in units, "start": start, "due": due, "percent": percent,
                    "status": status, "status_label": TaskStatus(status).label, "light": STATUS_LIGHT[status]})
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    out.sort(key=lambda r: (rank[r["status"]], r["due"]))
    return out

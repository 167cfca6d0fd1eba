"""The plans app's kind of the imports framework: a plan's task list from Excel.

A row names its plan by number (the plan's id, shown on its page) and its task by the plan's own task number
(任务编号, e.g. "1", "1.2"): a task already numbered so in that plan is updated, a new one added. A parent is
named by its number — a task of the plan, or an earlier row of the file. Owner and co-units are unit codes of the
district. Each row is checked as `services.task_create` checks one (dates, weight, units, the tree's depth), and
the rows are written all together or not at all, by the framework; then the parents roll up and the owners'
任务书 follow (`write`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from civicloop.imports import spec as s
from civicloop.orgs.models import Unit
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from .constants import MAX_DEPTH, MAX_WEIGHT, PlanImportKind
from .models import Goal, Plan, Task

FIELDS = ["title", "parent_id", "goal_id", "owner_unit_id", "street_id", "start", "due", "weight", "description"]


def day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(_("应为日期（如 2026-06-30）。")) from None


class PlanTasksSpec(s.KindSpec):
    kind = PlanImportKind.TASKS
    model = Task
    natural_key = "code"
    compare_fields = FIELDS
    m2m_fields = ["co_units"]
    example_setup = "civicloop.plans.testing.make_example_plan"  # plan 1 of the example
    columns = [
        s.Column("plan", _("计划编号"), "Plan number", True, s.integer(1, 2**63 - 1), "1"),
        s.Column("code", _("任务编号"), "Task number", True, s.code, "1.1"),
        s.Column("title", _("任务"), "Task", True, s.text(200), "老旧小区综合整治"),
        s.Column("parent", _("上级任务编号"), "Parent task number", False, s.code, ""),
        s.Column("goal", _("目标"), "Goal", False, s.text(120), ""),
        s.Column("owner_unit", _("责任单位编码"), "Owner unit code", True, s.code, "U-SA"),
        s.Column("co_units", _("配合单位编码"), "Co-unit codes", False, s.many(s.code), "U-HOUSING"),
        s.Column("start", _("开始日期"), "Start", False, day, "2026-03-01"),
        s.Column("due", _("完成时限"), "Due", True, day, "2026-06-30"),
        s.Column("weight", _("权重"), "Weight", False, s.integer(1, MAX_WEIGHT), "1"),
        s.Column("description", _("任务说明"), "Description", False, s.text(2000), ""),
    ]

    def row_key(self, data):
        if data.get("plan") is None or data.get("code") is None:
            return None
        return f"{data['plan']}|{data['code']}"

    def load(self, ctx) -> None:
        district = ctx.district.pk
        ctx.cache["plans"] = {p.pk: p for p in Plan.objects.filter(district_id=district)}
        ctx.cache["units"] = {code: (pk, territory) for code, pk, territory in
                              Unit.objects.filter(district_id=district, active=True)
                              .values_list("code", "pk", "territory_id")}
        ctx.cache["streets"] = {pk: (level, street) for pk, level, street in
                                Place.objects.filter(district_id=district, level__in=(PlaceLevel.STREET,
                                                                                     PlaceLevel.COMMUNITY))
                                .values_list("pk", "level", "street_id")}
        ctx.cache["goals"] = {(plan, title): pk for pk, plan, title in
                              Goal.objects.filter(plan__district_id=district).values_list("pk", "plan_id", "title")}
        ctx.cache["tasks"] = {(plan, code): (pk, parent) for pk, plan, code, parent in
                              Task.objects.filter(district_id=district).exclude(code="")
                              .values_list("pk", "plan_id", "code", "parent_id")}
        ctx.cache["parents_of"] = dict(Task.objects.filter(district_id=district).values_list("pk", "parent_id"))

    def _street(self, ctx, territory_id):
        level, street = ctx.cache["streets"].get(territory_id, (None, None))
        return territory_id if level == PlaceLevel.STREET else street

    def _depth_of(self, ctx, task_id) -> int:
        depth, node = 1, task_id
        parents = ctx.cache["parents_of"]
        while parents.get(node) is not None and depth <= MAX_DEPTH:
            node, depth = parents[node], depth + 1
        return depth

    def resolve(self, ctx, row, data) -> s.Entry:
        from civicloop.plans.permissions import may_create_task

        plan = ctx.cache["plans"].get(data["plan"])
        if plan is None or not may_create_task(ctx.actor, plan):
            raise s.RowProblem("plan", _("计划编号不存在或无权添加任务。"))
        start, due = data.get("start"), data["due"]
        if start is not None and start > due:
            raise s.RowProblem("start", _("开始日期不能晚于完成时限。"))
        owner = ctx.cache["units"].get(data["owner_unit"])
        if owner is None:
            raise s.RowProblem("owner_unit", _("单位编码不存在、已停用或不属于本区。"))
        co = []
        for code in data.get("co_units") or ():
            unit = ctx.cache["units"].get(code)
            if unit is None:
                raise s.RowProblem("co_units", _("单位编码不存在、已停用或不属于本区。"))
            if unit[0] != owner[0]:
                co.append(unit[0])
        values = {"district_id": ctx.district.pk, "plan_id": plan.pk, "code": data["code"], "title": data["title"],
                  "owner_unit_id": owner[0], "street_id": self._street(ctx, owner[1]), "start": start, "due": due,
                  "weight": data.get("weight") or 1, "description": data.get("description") or "",
                  "goal_id": None, "parent_id": None}
        if data.get("goal"):
            goal = ctx.cache["goals"].get((plan.pk, data["goal"]))
            if goal is None:
                raise s.RowProblem("goal", _("该计划没有这个目标（请先在计划页面添加）。"))
            values["goal_id"] = goal
        depth = 0
        parent = data.get("parent")
        if parent:
            if parent == data["code"]:
                raise s.RowProblem("parent", _("上级任务不能是自己。"))
            existing = ctx.cache["tasks"].get((plan.pk, parent))
            earlier = ctx.seen.get(f"{plan.pk}|{parent}")
            if earlier is not None and earlier.instance is not None:
                values.pop("parent_id")
                values["parent"] = earlier.instance
                depth = earlier.depth + 1
                if depth + 1 > MAX_DEPTH:
                    raise s.RowProblem("parent", _("任务层级过深。"))
            elif existing is not None:
                values["parent_id"] = existing[0]
                if self._depth_of(ctx, existing[0]) + 1 > MAX_DEPTH:
                    raise s.RowProblem("parent", _("任务层级过深。"))
            else:
                raise s.RowProblem("parent", _("上级任务编号不存在（须已在该计划中，或在本文件前面的行）。"))
        key = self.row_key(data)
        entry = s.Entry(row=row, key=key, values=values, m2m={"co_units": frozenset(co)}, depth=depth)
        if (plan.pk, data["code"]) not in ctx.cache["tasks"]:
            entry.instance = Task(**values)  # later rows may name it as their parent
        return entry

    def existing(self, ctx) -> dict[str, dict]:
        rows = Task.objects.filter(district_id=ctx.district.pk).exclude(code="").values("id", "plan_id", "code",
                                                                                        *FIELDS)
        return {f"{r['plan_id']}|{r['code']}": r for r in rows}

    def existing_m2m(self, ctx, ids: list[int]) -> dict[int, dict[str, frozenset]]:
        out: dict[int, set] = {}
        for task_id, unit_id in Task.co_units.through.objects.filter(task_id__in=ids).values_list("task_id",
                                                                                                 "unit_id"):
            out.setdefault(task_id, set()).add(unit_id)
        return {pk: {"co_units": frozenset(units)} for pk, units in out.items()}

    def taken_elsewhere(self, ctx, keys) -> set[str]:
        return set()  # task numbers are the plan's own

    def write(self, ctx, plan) -> None:
        from .services.letters import letters_sync_for_units
        from .services.tasks import roll_up_from

        super().write(ctx, plan)
        entries = plan.create + plan.update
        parents = {e.values.get("parent_id") or getattr(e.values.get("parent"), "pk", None) for e in entries}
        for parent_id in sorted(p for p in parents if p is not None):
            roll_up_from(parent_id)
        years = {ctx.cache["plans"][e.values["plan_id"]].year for e in entries}
        units = sorted({e.values["owner_unit_id"] for e in entries})
        for year in sorted(years):
            letters_sync_for_units(unit_ids=units, year=year)

"""The plans bench's plan: BENCH_PLAN_TASKS (5,000) tasks of one plan in the demo district, written by bulk insert
(a bench fixture, not the service path): 200 parents owned by the streets and departments in turn, each with its
share of subtasks, dates over the year, progress and some done — so the board's lights vary as in use. Reused when
a plan of that size exists. The tables are vacuumed and analysed after the inserts, as autovacuum would have done.

Usage: DATABASE_URL=… python bench/plans_setup.py build [--tasks 5000] [--seed 1]
       → one JSON line: plan, tasks, built
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicloop.settings")

PARENTS = 200
TITLE = "基准计划（{n} 项任务）"


def build(tasks: int, seed: int) -> dict:
    from django.db import connection

    from civicloop.demo.generator import preset_district
    from civicloop.orgs.constants import UnitKind
    from civicloop.orgs.models import Unit
    from civicloop.plans.constants import PlanKind
    from civicloop.plans.models import Goal, Plan, Task
    from civicloop.plans.rollup import weighted_percent

    district = preset_district("xuhui")
    title = TITLE.format(n=f"{tasks:,}")
    found = Plan.objects.filter(district=district, title=title).first()
    if found is not None and Task.objects.filter(plan=found).count() == tasks:
        return {"plan": found.pk, "tasks": tasks, "built": False}
    rng = random.Random(seed)
    year = dt.date.today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    research = Unit.objects.get(district=district, code="XH-RO")
    owners = list(Unit.objects.filter(district=district, kind__in=(UnitKind.STREET_OFFICE, UnitKind.DEPARTMENT),
                                      active=True).select_related("territory").order_by("code"))
    plan = Plan.objects.create(district=district, title=title, kind=PlanKind.ANNUAL, year=year, start=start, end=end,
                               owner_unit=research)
    goals = Goal.objects.bulk_create([Goal(district=district, plan=plan, title=f"目标{i + 1}", position=i)
                                      for i in range(8)])
    today = dt.date.today()

    def street(unit):
        t = unit.territory
        return t.pk if t is not None and t.level == "street" else None

    def dated(k: int):
        s = start + dt.timedelta(days=rng.randrange(0, 200))
        due = min(end, s + dt.timedelta(days=rng.randrange(20, 200)))
        spent = max(0, min(100, 100 * (today - s).days // max(1, (due - s).days)))
        percent = max(0, min(100, spent + rng.randint(-40, 15)))
        done = due if percent >= 100 or (due < today and rng.random() < 0.6) else None
        return s, due, (100 if done else percent), done

    parents = []
    for k in range(PARENTS):
        unit = owners[k % len(owners)]
        parents.append(Task(district=district, plan=plan, goal=goals[k % len(goals)], owner_unit=unit,
                            street_id=street(unit), code=str(k + 1), title=f"任务{k + 1}", start=start, due=end,
                            position=k))
    Task.objects.bulk_create(parents, batch_size=1000)
    children, per_parent = [], {}
    for k in range(tasks - PARENTS):
        parent = parents[k % PARENTS]
        s, due, percent, done = dated(k)
        weight = rng.choice((1, 1, 2, 3))
        children.append(Task(district=district, plan=plan, goal_id=parent.goal_id, parent=parent,
                             owner_unit_id=parent.owner_unit_id, street_id=parent.street_id,
                             code=f"{parent.code}.{k // PARENTS + 1}", title=f"{parent.title}之{k // PARENTS + 1}",
                             start=s, due=due, weight=weight, percent=percent, done_at=done, position=k // PARENTS))
        per_parent.setdefault(parent.pk, []).append((weight, percent))
    Task.objects.bulk_create(children, batch_size=2000)
    for p in parents:
        p.percent = weighted_percent(per_parent.get(p.pk, []))
    Task.objects.bulk_update(parents, ["percent"], batch_size=1000)
    with connection.cursor() as cursor:
        for table in ("plans_task", "plans_plan", "plans_goal"):
            cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")
    return {"plan": plan.pk, "tasks": tasks, "built": True}


def main() -> None:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--tasks", type=int, default=int(os.environ.get("BENCH_PLAN_TASKS", "5000")))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(build(args.tasks, args.seed)))


if __name__ == "__main__":
    main()

"""Helpers for the plans app's tests (and the meetings app's): a plan of the test world with tasks."""

from __future__ import annotations

import datetime as dt

from .constants import PlanKind
from .services import plan_create, task_create


def make_plan(world, *, title: str = "2026年文明城区创建计划", year: int = 2026, start=dt.date(2026, 1, 1),
              end=dt.date(2026, 12, 31), kind: str = PlanKind.ANNUAL, owner=None):
    return plan_create(actor=world.district_admin, title=title, kind=kind, year=year, start=start, end=end,
                       owner_unit_id=(owner or world.research).pk)


def make_task(world, plan, *, title: str = "任务", owner=None, due=dt.date(2026, 6, 30), start=dt.date(2026, 1, 1),
              parent=None, weight: int = 1, co_units=(), **extra):
    return task_create(actor=world.district_admin, plan_id=plan.pk, title=title,
                       owner_unit_id=(owner or world.street_a_office).pk, due=due, start=start,
                       parent_id=parent.pk if parent else None, weight=weight,
                       co_unit_ids=[u.pk for u in co_units], **extra)


def make_example_plan(world):
    """What the import template's example row names: plan number 1 (made with that id: a test database's
    sequences are not reset between tests)."""
    from .models import Plan

    return Plan.objects.create(pk=1, district=world.district, title="示例计划", year=2026, start=dt.date(2026, 1, 1),
                               end=dt.date(2026, 12, 31), owner_unit=world.research)

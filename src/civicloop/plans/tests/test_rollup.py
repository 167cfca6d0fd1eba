"""A parent's progress is the weighted mean of its children's (pure), and the services keep it up to date."""

import datetime as dt

from civicloop.plans.models import Task
from civicloop.plans.rollup import rolled_up, weighted_percent
from civicloop.plans.services import report_create


def test_weighted_percent():
    assert weighted_percent([]) == 0
    assert weighted_percent([(3, 100), (1, 0)]) == 75
    assert weighted_percent([(1, 100), (1, 50), (2, 0)]) == 37  # 150/4 = 37.5, rounded down
    assert weighted_percent([(1, 99), (1, 100)]) == 99  # never 100 before every child is
    assert weighted_percent([(2, 150), (1, -5)]) == 66  # percents clamped to 0..100


def test_rolled_up_tree():
    parent_of = {1: None, 2: 1, 3: 1, 4: 3, 5: 3}
    weights = {1: 1, 2: 1, 3: 1, 4: 1, 5: 3}
    percents = {2: 100, 4: 0, 5: 100, 1: 7, 3: 9}  # a parent's own percent is ignored
    got = rolled_up(percents, weights, parent_of)
    assert got[3] == 75
    assert got[1] == (100 + 75) // 2


def test_reports_roll_up_to_the_parent(world, plan_world):
    report_create(actor=world.street_dispatcher, task_id=plan_world.a1.pk, percent=100, text="完成", on=dt.date.today())
    a = Task.objects.get(pk=plan_world.a.pk)
    assert a.percent == 75 and a.done_at is None  # 3 × 100 + 1 × 0 over 4
    report_create(actor=world.district_admin, task_id=plan_world.a2.pk, percent=100, text="完成", on=dt.date.today())
    a.refresh_from_db()
    assert a.percent == 100 and a.done_at == dt.date.today()

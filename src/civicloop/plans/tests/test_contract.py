"""What the meetings app calls (issue 16's contract): task_create with a source, tasks_by_source,
milestones_needing_attention, plans_open_for, may_create_task."""

import datetime as dt

import pytest

from civicloop.core.errors import CivicError
from civicloop.plans.constants import TaskStatus
from civicloop.plans.permissions import may_create_task
from civicloop.plans.selectors import milestones_needing_attention, plans_open_for, tasks_by_source
from civicloop.plans.services import milestone_create, task_create


def test_task_from_a_decision_is_found_by_its_source(world, plan_world):
    task = task_create(actor=world.district_admin, plan_id=plan_world.plan.pk, title="会议决定的任务",
                       owner_unit_id=world.street_a_office.pk, due=dt.date(2026, 12, 1), source_kind="meeting_decision",
                       source_id=41)
    got = tasks_by_source(world.street_dispatcher, source_kind="meeting_decision", source_ids=[41, 42])
    assert list(got) == [41]
    assert got[41].task_id == task.pk and got[41].owner_unit_name == world.street_a_office.name
    assert got[41].url.endswith(f"/plans/tasks/{task.pk}/")
    assert tasks_by_source(world.outsider, source_kind="meeting_decision", source_ids=[41]) == {}


def test_milestones_needing_attention_are_scoped_and_ordered(world, plan_world):
    late = milestone_create(actor=world.district_admin, task_id=plan_world.a1.pk, title="方案", due=dt.date(2026, 3, 1))
    soon = milestone_create(actor=world.district_admin, task_id=plan_world.b.pk, title="开工", due=dt.date(2026, 4, 5))
    milestone_create(actor=world.district_admin, task_id=plan_world.b.pk, title="完工", due=dt.date(2026, 6, 1))
    on = dt.date(2026, 4, 1)
    rows = milestones_needing_attention(world.district_admin, on=on)
    assert [(r.id, r.status) for r in rows] == [(late.pk, TaskStatus.LATE), (soon.pk, TaskStatus.AT_RISK)]
    assert [r.id for r in milestones_needing_attention(world.street_dispatcher, on=on)] == [late.pk]
    assert [r.id for r in milestones_needing_attention(world.district_admin, on=on,
                                                       unit_ids=[world.street_b_office.pk])] == [soon.pk]
    assert milestones_needing_attention(world.stranger, on=on) == []


def test_plans_open_for_and_may_create_task(world, plan_world):
    assert [p.id for p in plans_open_for(world.district_admin)] == [plan_world.plan.pk]
    assert plans_open_for(world.street_dispatcher) == []  # sees the plan, may not add to it
    assert not may_create_task(world.street_dispatcher, plan_world.plan)
    with pytest.raises(CivicError) as exc:
        task_create(actor=world.street_dispatcher, plan_id=plan_world.plan.pk, title="x",
                    owner_unit_id=world.street_a_office.pk, due=dt.date(2026, 5, 1))
    assert exc.value.code == "forbidden"

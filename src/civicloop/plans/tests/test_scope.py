"""Scope: a street sees its own tasks and the plans it owns work in; a department its own and those it
co-works; a contact leader the streets they are linked to; anyone else nothing (missing and out of scope alike)."""

import datetime as dt

import pytest

from civicloop.core.errors import CivicError
from civicloop.plans.models import Task
from civicloop.plans.selectors import contact_red_items, plan_get_for, plans_for, task_get_for, tasks_for
from civicloop.plans.services import leader_contacts_set, report_create
from civicloop.plans.testing import make_plan, make_task

pytestmark = pytest.mark.django_db


def titles(user):
    return sorted(tasks_for(user).values_list("title", flat=True))


def test_who_sees_which_tasks(world, plan_world):
    everything = sorted(Task.objects.values_list("title", flat=True))
    assert titles(world.district_admin) == everything
    assert titles(world.leader) == everything  # district-level
    assert titles(world.street_dispatcher) == sorted(["街道甲整治", "甲一", "甲二"])  # its own and its committee's
    assert titles(world.committee_worker) == ["甲二"]
    assert titles(world.outsider) == ["街道乙整治"]
    assert titles(world.dept_handler) == sorted(["街道乙整治", "房管专项"])  # a co-unit sees the task too
    assert titles(world.city_handler) == []
    assert titles(world.stranger) == [] and titles(world.nobody) == []


def test_a_street_sees_the_plans_it_works_in_only(world, plan_world):
    other = make_plan(world, title="另一个计划")
    make_task(world, other, title="乙的任务", owner=world.street_b_office)
    assert list(plans_for(world.street_dispatcher)) == [plan_world.plan]
    assert set(plans_for(world.outsider)) == {plan_world.plan, other}
    assert set(plans_for(world.district_admin)) == {plan_world.plan, other}
    with pytest.raises(CivicError) as exc:
        plan_get_for(world.street_dispatcher, other.pk)
    assert exc.value.code == "not_found"
    with pytest.raises(CivicError) as exc:
        task_get_for(world.street_dispatcher, plan_world.b.pk)
    assert exc.value.code == "not_found"
    with pytest.raises(CivicError):
        task_get_for(world.stranger, plan_world.a.pk)


def test_only_the_owner_unit_reports(world, plan_world):
    with pytest.raises(CivicError) as exc:
        report_create(actor=world.dept_handler, task_id=plan_world.b.pk, percent=10, text="配合单位报告")
    assert exc.value.code == "forbidden"  # sees it as a co-unit, does not own it
    with pytest.raises(CivicError) as exc:
        report_create(actor=world.outsider, task_id=plan_world.a1.pk, percent=10, text="别人的任务")
    assert exc.value.code == "not_found"
    report_create(actor=world.outsider, task_id=plan_world.b.pk, percent=10, text="开始")
    assert Task.objects.get(pk=plan_world.b.pk).percent == 10


def test_a_contact_leader_sees_the_streets_plans_and_red_items(world, plan_world):
    from civicloop.orgs.constants import Role
    from civicloop.testing import make_user

    contact = make_user("contact_leader", world.housing, Role.LEADER)  # a leader outside the district office
    assert titles(contact) == sorted(["街道乙整治", "房管专项"])  # the department's own
    leader_contacts_set(actor=world.district_admin, street_id=world.street_a.pk, leader_ids=[contact.pk])
    contact = type(contact).objects.get(pk=contact.pk)  # a new request
    assert "甲一" in titles(contact) and "甲二" in titles(contact)
    items = contact_red_items(contact, on=dt.date(2026, 7, 15))
    assert [s["street"] for s in items] == [world.street_a.name]
    assert sorted(t["title"] for t in items[0]["late_tasks"]) == sorted(["街道甲整治", "甲一", "甲二"])
    assert [p["id"] for p in items[0]["plans"]] == [plan_world.plan.pk]


def test_leader_contacts_are_set_by_the_district_and_limited_to_three(world, plan_world):
    from civicloop.testing import make_user

    with pytest.raises(CivicError) as exc:
        leader_contacts_set(actor=world.street_dispatcher, street_id=world.street_a.pk, leader_ids=[world.leader.pk])
    assert exc.value.code == "forbidden"
    many = [make_user(f"l{i}", world.district_office).pk for i in range(4)]
    with pytest.raises(CivicError):
        leader_contacts_set(actor=world.district_admin, street_id=world.street_a.pk, leader_ids=many)
    with pytest.raises(CivicError):  # an account of another district
        leader_contacts_set(actor=world.district_admin, street_id=world.street_a.pk, leader_ids=[world.stranger.pk])

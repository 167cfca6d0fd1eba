import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sources(world, today):
    """What the packs of the test world find, one of each per street where it matters:
    - milestones: street A's late (task A), street B's late (task B), street A's done (never on a pack);
    - cases: red and supervised in A (`red_a`) and in B (`red_b`), red but never supervised in A (`red_plain`),
      escalated to consultation in A (`escalated_a`), returned by its lead unit in A (`returned_a`: the one a
      meeting can re-dispatch)."""
    from civicloop.cases import services as cs
    from civicloop.cases.constants import Channel
    from civicloop.cases.models import Case, Category
    from civicloop.plans.services import milestone_create, milestone_done
    from civicloop.plans.testing import make_plan, make_task

    plan = make_plan(world, year=today.year, start=dt.date(today.year, 1, 1), end=dt.date(today.year + 1, 12, 31))
    task_a = make_task(world, plan, title="老旧小区加装电梯", owner=world.street_a_office,
                       start=today - dt.timedelta(days=200), due=today + dt.timedelta(days=100))
    task_b = make_task(world, plan, title="背街小巷整治", owner=world.street_b_office,
                       start=today - dt.timedelta(days=200), due=today + dt.timedelta(days=100))
    ms_a = milestone_create(actor=world.district_admin, task_id=task_a.pk, title="完成意见征询",
                            due=today - dt.timedelta(days=10))
    ms_b = milestone_create(actor=world.district_admin, task_id=task_b.pk, title="完成方案设计",
                            due=today - dt.timedelta(days=5))
    ms_done = milestone_create(actor=world.district_admin, task_id=task_a.pk, title="完成摸底",
                               due=today - dt.timedelta(days=30))
    milestone_done(actor=world.district_admin, milestone_id=ms_done.pk, on=today - dt.timedelta(days=31))

    cs.categories_ensure_defaults()
    category = Category.objects.filter(parent__isnull=False).order_by("code").first()

    def case(place, dispatcher, *, description, lead):
        c = cs.case_register(actor=dispatcher, channel=Channel.HOTLINE_12345, description=description,
                             place_id=place.pk, reporter_phone="13912345678")
        cs.case_triage(actor=dispatcher, case_id=c.pk, category_id=category.pk)
        cs.case_dispatch(actor=dispatcher, case_id=c.pk, lead_unit_id=lead.pk)
        return c

    def red(c, *, supervise_by=None):
        Case.objects.filter(pk=c.pk).update(deadline=timezone.now() - dt.timedelta(days=3),
                                            yellow_at=timezone.now() - dt.timedelta(days=5))
        if supervise_by is not None:
            cs.case_supervise(actor=supervise_by, case_id=c.pk, notice="请加快办理")
        c.refresh_from_db()
        return c

    red_a = red(case(world.comm_a1, world.street_dispatcher, description="楼道堆物 联系 13912345678",
                     lead=world.housing), supervise_by=world.street_dispatcher)
    red_b = red(case(world.comm_b1, world.outsider, description="乙街道占道经营", lead=world.city_mgmt),
                supervise_by=world.outsider)
    red_plain = red(case(world.comm_a1, world.street_dispatcher, description="路灯不亮", lead=world.housing))
    escalated_a = cs.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345,
                                   description="跨街道噪声扰民", place_id=world.comm_a1.pk)
    cs.case_escalate(actor=world.street_dispatcher, case_id=escalated_a.pk, reason="涉及多个部门")
    returned_a = case(world.comm_a1, world.street_dispatcher, description="绿化带破损", lead=world.housing)
    cs.case_return(actor=world.dept_handler, case_id=returned_a.pk, reason="非本单位职责")
    for c in (escalated_a, returned_a):
        c.refresh_from_db()
    return SimpleNamespace(plan=plan, task_a=task_a, task_b=task_b, ms_a=ms_a, ms_b=ms_b, ms_done=ms_done,
                           red_a=red_a, red_b=red_b, red_plain=red_plain, escalated_a=escalated_a,
                           returned_a=returned_a, category=category)


@pytest.fixture
def district_meeting(world, sources, today):
    from civicloop.meetings.services import meeting_create

    return meeting_create(actor=world.district_admin, title="区工作例会", date=today, chair_id=world.leader.pk)


@pytest.fixture
def street_meeting(world, sources, today):
    from civicloop.meetings.services import meeting_create

    return meeting_create(actor=world.street_dispatcher, title="街道工作例会", date=today,
                          street_id=world.street_a.pk)


def held(meeting, actor):
    from civicloop.meetings.services import meeting_hold

    return meeting_hold(actor=actor, meeting_id=meeting.pk)

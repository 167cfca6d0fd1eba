"""The next pack shows what came of each earlier decision: open ones on its agenda, every one with its outcome."""

import datetime as dt

import pytest

from civicloop.cases.constants import CaseState
from civicloop.meetings import selectors
from civicloop.meetings.constants import DecisionKind, ItemSource, OutcomeKind
from civicloop.meetings.models import AgendaItem
from civicloop.meetings.services import decision_record, meeting_close, meeting_create, meeting_pack_build

from .conftest import held

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world, sources, district_meeting, today):
    """Last week's district meeting, held and closed, with a task decision and a case decision."""
    held(district_meeting, world.district_admin)
    item = AgendaItem.objects.get(meeting=district_meeting, source=ItemSource.MILESTONE, ref_id=sources.ms_a.pk)
    task = decision_record(actor=world.district_admin, meeting_id=district_meeting.pk, item_id=item.pk,
                           kind=DecisionKind.TASK, text="街道甲本月完成意见征询", plan_id=sources.plan.pk,
                           owner_unit_id=world.street_a_office.pk, due=today + dt.timedelta(days=30)).decision
    case = decision_record(actor=world.district_admin, meeting_id=district_meeting.pk, kind=DecisionKind.CASE,
                           text="对甲街道沿街设摊专项整治", place_id=world.comm_a1.pk).decision
    meeting_close(actor=world.district_admin, meeting_id=district_meeting.pk)
    return task, case


def test_the_next_pack_follows_up_open_decisions(world, decided, district_meeting, today):
    task, case = decided
    nxt = meeting_create(actor=world.district_admin, title="下周例会", date=today + dt.timedelta(days=7))
    assert nxt.previous_id == district_meeting.pk
    follow = {i.ref_id: i for i in AgendaItem.objects.filter(meeting=nxt, source=ItemSource.DECISION)}
    assert set(follow) == {task.pk, case.pk}
    assert (follow[task.pk].status_kind, follow[task.pk].detail["meeting"]) == (OutcomeKind.TASK, "区工作例会")
    assert (follow[case.pk].status, follow[case.pk].status_kind) == (CaseState.REGISTERED, OutcomeKind.CASE)
    pack = selectors.meeting_pack_for(world.district_admin, nxt.pk)
    outcomes = {d.pk: out for d, out in pack["earlier"]}
    assert set(outcomes) == {task.pk, case.pk} and not any(o.done for o in outcomes.values())
    assert outcomes[task.pk].title == "街道甲本月完成意见征询" and outcomes[task.pk].unit_name == world.street_a_office.name
    assert outcomes[case.pk].title == case.case.tracking_code and outcomes[case.pk].status == CaseState.REGISTERED


def test_what_came_about_leaves_the_agenda_and_shows_done(world, decided, today):
    from civicloop.plans.services import report_create

    task, case = decided
    report_create(actor=world.street_dispatcher, task_id=task.task_id, percent=100, text="已完成意见征询")
    nxt = meeting_create(actor=world.district_admin, title="下周例会", date=today + dt.timedelta(days=7))
    assert set(AgendaItem.objects.filter(meeting=nxt, source=ItemSource.DECISION).values_list("ref_id", flat=True)) \
        == {case.pk}
    outcomes = {d.pk: out for d, out in selectors.meeting_pack_for(world.district_admin, nxt.pk)["earlier"]}
    assert outcomes[task.pk].done and outcomes[task.pk].status == "done" and outcomes[task.pk].percent == 100


def test_open_decisions_are_carried_on_until_they_come_about(world, decided, today):
    task, case = decided
    second = meeting_create(actor=world.district_admin, title="第二次", date=today + dt.timedelta(days=7))
    held(second, world.district_admin)
    meeting_close(actor=world.district_admin, meeting_id=second.pk)
    third = meeting_create(actor=world.district_admin, title="第三次", date=today + dt.timedelta(days=14))
    assert third.previous_id == second.pk
    carried = set(AgendaItem.objects.filter(meeting=third, source=ItemSource.DECISION).values_list("ref_id", flat=True))
    assert carried == {task.pk, case.pk}


def test_a_meeting_never_held_is_not_the_previous_one(world, decided, district_meeting, today):
    meeting_create(actor=world.district_admin, title="未召开", date=today + dt.timedelta(days=3))
    nxt = meeting_create(actor=world.district_admin, title="下周例会", date=today + dt.timedelta(days=7))
    assert nxt.previous_id == district_meeting.pk
    meeting_pack_build(actor=world.district_admin, meeting_id=nxt.pk)
    nxt.refresh_from_db()
    assert nxt.previous_id == district_meeting.pk


def test_a_street_meeting_does_not_follow_the_districts(world, decided, today):
    street = meeting_create(actor=world.street_dispatcher, title="街道例会", date=today + dt.timedelta(days=7),
                            street_id=world.street_a.pk)
    assert street.previous_id is None
    assert not AgendaItem.objects.filter(meeting=street, source=ItemSource.DECISION).exists()


def test_the_outcomes_page_data_reads_as_the_viewer(world, decided, district_meeting):
    meeting, rows = selectors.decisions_for(world.leader, district_meeting.pk)
    assert [d.kind for d, _out in rows] == [DecisionKind.TASK, DecisionKind.CASE]
    # the leader reads the district's tasks; the case registered in street A is theirs to read too
    assert all(out.visible for _d, out in rows)

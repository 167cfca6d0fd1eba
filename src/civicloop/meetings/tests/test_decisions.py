"""Minutes and decisions: each decision becomes exactly one task, case or re-dispatch, through the owning app's
service; recording it twice makes nothing more; a refusal anywhere records nothing."""

import datetime as dt

import pytest

from civicloop.cases.constants import Action, CaseState, Channel
from civicloop.cases.models import Case, CaseEvent
from civicloop.core.errors import CivicError
from civicloop.core.models import AuditLog
from civicloop.meetings.constants import TASK_SOURCE_KIND, DecisionKind, ItemSource
from civicloop.meetings.models import AgendaItem, Decision
from civicloop.meetings.services import decision_record, item_minutes_record, meeting_close, meeting_hold
from civicloop.plans.models import Task

from .conftest import held

pytestmark = pytest.mark.django_db


def item_of(meeting, source, ref_id):
    return AgendaItem.objects.get(meeting=meeting, source=source, ref_id=ref_id)


def test_a_task_decision_creates_exactly_one_task(world, sources, street_meeting, today):
    held(street_meeting, world.street_dispatcher)
    item = item_of(street_meeting, ItemSource.MILESTONE, sources.ms_a.pk)
    args = dict(actor=world.district_admin, meeting_id=street_meeting.pk, item_id=item.pk, kind=DecisionKind.TASK,
                text="加派力量，月底前完成意见征询\n由街道牵头", plan_id=sources.plan.pk,
                owner_unit_id=world.street_a_office.pk, due=today + dt.timedelta(days=20))
    first = decision_record(**args)
    again = decision_record(**args)  # a double submit
    assert first.created and not again.created and again.decision.pk == first.decision.pk
    tasks = Task.objects.filter(source_kind=TASK_SOURCE_KIND, source_id=first.decision.pk)
    assert tasks.count() == 1 and Decision.objects.count() == 1
    task = tasks.get()
    assert task.title == "加派力量，月底前完成意见征询" and task.owner_unit_id == world.street_a_office.pk
    assert first.decision.task_id == task.pk and first.decision.case_id is None
    assert AuditLog.objects.filter(action="meetings.decision", object_id=str(first.decision.pk)).count() == 1


def test_a_case_decision_registers_exactly_one_case(world, sources, street_meeting):
    held(street_meeting, world.street_dispatcher)
    args = dict(actor=world.street_dispatcher, meeting_id=street_meeting.pk, kind=DecisionKind.CASE,
                text="对徐家汇路沿街违规设摊开展专项整治")
    first, again = decision_record(**args), decision_record(**args)
    cases = Case.objects.filter(channel=Channel.MEETING)
    assert cases.count() == 1 and first.created and not again.created
    case = cases.get()
    assert first.decision.case_id == case.pk and first.decision.task_id is None
    assert case.external_id == f"MD{first.decision.pk}" and case.street_id == world.street_a.pk
    assert case.state == CaseState.REGISTERED


def test_a_redispatch_decision_dispatches_the_case_once(world, sources, street_meeting):
    from civicloop.meetings.services import meeting_pack_build

    # the returned case is no agenda source: the decision is the meeting's as a whole
    held(street_meeting, world.street_dispatcher)
    case = sources.returned_a
    assert case.state == CaseState.RETURNED
    args = dict(actor=world.street_dispatcher, meeting_id=street_meeting.pk, kind=DecisionKind.REDISPATCH,
                text="改由区城管执法局牵头办理", case_id=case.pk, lead_unit_id=world.city_mgmt.pk,
                time_limit_days=5, expected_version=case.version)
    first, again = decision_record(**args), decision_record(**args)
    assert first.created and not again.created
    case.refresh_from_db()
    assert case.state == CaseState.DISPATCHED and case.lead_unit_id == world.city_mgmt.pk
    assert CaseEvent.objects.filter(case=case, action=Action.DISPATCH).count() == 2  # the first, and the meeting's
    assert first.decision.case_id == case.pk and first.decision.unit_id == world.city_mgmt.pk
    assert "工作例会决定" in CaseEvent.objects.filter(case=case).order_by("-seq").first().note
    with pytest.raises(CivicError):
        meeting_pack_build(actor=world.street_dispatcher, meeting_id=street_meeting.pk)  # held: frozen


def test_a_case_the_table_will_not_dispatch_records_nothing(world, sources, street_meeting):
    held(street_meeting, world.street_dispatcher)
    with pytest.raises(CivicError) as e:
        decision_record(actor=world.street_dispatcher, meeting_id=street_meeting.pk, kind=DecisionKind.REDISPATCH,
                        text="改派", case_id=sources.red_a.pk, lead_unit_id=world.city_mgmt.pk)
    assert e.value.code == "transition_not_allowed"
    assert not Decision.objects.exists()


def test_someone_elses_case_is_not_found_and_changes_nothing(world, sources, street_meeting):
    held(street_meeting, world.street_dispatcher)
    other = sources.red_b  # street B's
    version = Case.objects.get(pk=other.pk).version
    with pytest.raises(CivicError) as e:
        decision_record(actor=world.street_dispatcher, meeting_id=street_meeting.pk, kind=DecisionKind.REDISPATCH,
                        text="改派", case_id=other.pk, lead_unit_id=world.street_a_office.pk)
    assert e.value.code == "not_found"
    assert not Decision.objects.exists() and Case.objects.get(pk=other.pk).version == version


def test_district_staff_cannot_redispatch_another_streets_case_from_a_streets_meeting(world, sources, street_meeting):
    held(street_meeting, world.street_dispatcher)
    from civicloop.cases import services as cs

    cs.case_return(actor=world.city_handler, case_id=sources.red_b.pk, reason="非本单位职责")
    with pytest.raises(CivicError) as e:
        decision_record(actor=world.district_admin, meeting_id=street_meeting.pk, kind=DecisionKind.REDISPATCH,
                        text="改派", case_id=sources.red_b.pk, lead_unit_id=world.housing.pk)
    assert e.value.code == "not_found" and not Decision.objects.exists()


@pytest.mark.parametrize("extra, code", [
    ({"kind": DecisionKind.TASK}, "decision_incomplete"),  # no plan, unit, due
    ({"kind": DecisionKind.REDISPATCH}, "decision_incomplete"),  # no case
    ({"kind": DecisionKind.CASE, "item_id": 10**12}, "not_found"),  # an unknown item
    ({"kind": "vote"}, "decision_incomplete"),
    ({"kind": DecisionKind.TASK, "plan_id": 10**12, "owner_unit_id": 1, "due": dt.date(2030, 1, 1)}, "not_found"),
    ({"kind": DecisionKind.CASE, "text": "  "}, "invalid"),
])
def test_bad_decisions_record_nothing(world, sources, street_meeting, extra, code):
    held(street_meeting, world.street_dispatcher)
    args = {"text": "决定", **extra}
    with pytest.raises(CivicError) as e:
        decision_record(actor=world.street_dispatcher, meeting_id=street_meeting.pk, **args)
    assert e.value.code == code
    assert not Decision.objects.exists() and not Case.objects.filter(channel=Channel.MEETING).exists()


def test_a_plan_that_is_not_theirs_records_nothing(world, sources, street_meeting, today):
    held(street_meeting, world.street_dispatcher)  # a street office may not add tasks to the district's plan
    with pytest.raises(CivicError) as e:
        decision_record(actor=world.street_dispatcher, meeting_id=street_meeting.pk, kind=DecisionKind.TASK,
                        text="交办", plan_id=sources.plan.pk, owner_unit_id=world.street_a_office.pk, due=today)
    assert e.value.code == "forbidden"
    assert not Decision.objects.exists() and not Task.objects.filter(source_kind=TASK_SOURCE_KIND).exists()


def test_minutes_and_decisions_only_while_held(world, sources, street_meeting):
    item = AgendaItem.objects.filter(meeting=street_meeting).first()
    for call in (lambda: item_minutes_record(actor=world.street_dispatcher, item_id=item.pk, minutes="听取汇报"),
                 lambda: decision_record(actor=world.street_dispatcher, meeting_id=street_meeting.pk,
                                         kind=DecisionKind.CASE, text="立案")):
        with pytest.raises(CivicError) as e:
            call()
        assert e.value.code == "meeting_state"
    meeting_hold(actor=world.street_dispatcher, meeting_id=street_meeting.pk)
    saved = item_minutes_record(actor=world.street_dispatcher, item_id=item.pk, minutes=" 听取汇报，要求本月完成 ")
    assert saved.minutes == "听取汇报，要求本月完成" and saved.minutes_by == world.street_dispatcher
    meeting_close(actor=world.street_dispatcher, meeting_id=street_meeting.pk)
    with pytest.raises(CivicError) as e:
        item_minutes_record(actor=world.street_dispatcher, item_id=item.pk, minutes="改")
    assert e.value.code == "meeting_state"


def test_who_may_keep_a_meeting(world, sources, street_meeting, district_meeting):
    meeting_hold(actor=world.district_admin, meeting_id=street_meeting.pk)  # district staff keep every meeting
    for actor, meeting, code in [
        (world.leader, district_meeting, "forbidden"),  # reads, does not keep
        (world.outsider, street_meeting, "not_found"),  # another street's: as if missing
        (world.street_dispatcher, district_meeting, "not_found"),  # the district's: not a street's to read
        (world.stranger, district_meeting, "not_found"),
        (world.committee_worker, street_meeting, "not_found"),
        (world.dept_handler, district_meeting, "not_found"),
    ]:
        with pytest.raises(CivicError) as e:
            meeting_close(actor=actor, meeting_id=meeting.pk)
        assert e.value.code == code, actor


def test_who_may_plan_a_meeting(world, sources, today):
    from civicloop.meetings.services import meeting_create

    for actor, street in [(world.outsider, world.street_a), (world.street_dispatcher, None),
                          (world.leader, None), (world.committee_worker, world.street_a), (world.nobody, None)]:
        with pytest.raises(CivicError) as e:
            meeting_create(actor=actor, title="例会", date=today, street_id=street.pk if street else None)
        assert e.value.code == "forbidden"
    with pytest.raises(CivicError) as e:
        meeting_create(actor=world.stranger, title="例会", date=today, street_id=world.street_a.pk)
    assert e.value.code == "meeting_scope_invalid"

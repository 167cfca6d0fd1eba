"""The demo generator and the services write the same case for the same decisions.

The replay test shows that each generated case equals the replay of *its own* events; it cannot see the generator
building different changes than the services (a dispatch without `yellow_at`, another escalation threshold).
Here one case goes through a long life twice — once through the services, once through `demo.Sim` (whose
decision methods are all the generator uses to change a case) — with the same decisions at the same moments, and
the rows and the events must be equal.
"""

import datetime as dt
import inspect

import pytest
from django.utils import timezone

from civicloop.cases import demo
from civicloop.cases import services as s
from civicloop.cases.changes import overdue_episode
from civicloop.cases.constants import Action, Channel, Satisfaction, SupervisionKind
from civicloop.cases.models import Case, CaseCoUnit, CaseEvent
from civicloop.workdays.calendar import SHANGHAI, deadline_for

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday


class Clock:
    """`timezone.now()` for the services (the demo is given its moments): each decision one hour after the last."""

    def __init__(self):
        self.t = T0

    def tick(self) -> dt.datetime:
        self.t += dt.timedelta(hours=1)
        return self.t


def _events(case_id: int) -> list[tuple]:
    # Compared: everything an event says. Not compared: `id` (assigned on insert; the demo writes its events
    # without one), `district_id`/`case_id` (the same case by construction), `attachments` (no decision here
    # attaches anything; the demo writes none).
    return list(CaseEvent.objects.filter(case_id=case_id).order_by("seq").values_list(
        "seq", "actor_id", "actor_unit_id", "at", "action", "before", "after", "note"))


def _row(case: Case) -> dict:
    return {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}


def test_the_generator_and_the_services_write_the_same_case(world, cats, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.t)
    w, cat = world, cats["0201"]

    # --- through the services ----------------------------------------------------------------------------------
    case = s.case_register(actor=w.street_dispatcher, channel=Channel.HOTLINE_12345, description="楼道堆物，影响通行",
                           place_id=w.comm_a1.pk, reporter_name="李四", reporter_phone="13912345678")
    registered = Case.objects.get(pk=case.pk)  # the demo starts from the same registered row
    moments = []

    def at() -> dt.datetime:
        moments.append(clock.tick())
        return moments[-1]

    def act(service, **kwargs):
        at()
        return service(**kwargs)

    def current() -> Case:
        return Case.objects.get(pk=case.pk)

    pk = case.pk
    act(s.case_triage, actor=w.street_dispatcher, case_id=pk, category_id=cat.pk)
    act(s.case_dispatch, actor=w.street_dispatcher, case_id=pk, lead_unit_id=w.housing.pk, co_unit_ids=[w.city_mgmt.pk])
    first_deadline = current().deadline
    act(s.case_return, actor=w.dept_handler, case_id=pk, reason="经核实不属于本单位职责。")
    act(s.case_dispatch, actor=w.street_dispatcher, case_id=pk, lead_unit_id=w.city_mgmt.pk)
    second_deadline = current().deadline
    act(s.case_accept, actor=w.city_handler, case_id=pk)
    act(s.case_request_extension, actor=w.city_handler, case_id=pk, days=5, reason="需协调多方，申请延期。")
    act(s.case_approve_extension, actor=w.street_dispatcher, case_id=pk)
    extended = current().deadline
    act(s.case_add_progress, actor=w.city_handler, case_id=pk, note="已现场查看，正在协调处理。")
    notice = "工单已超期，请立即办理并回复。"
    act(s.case_supervise, actor=s.SYSTEM, case_id=pk, notice=notice, kind=SupervisionKind.AUTO,
                           overdue_episode=overdue_episode(extended))
    act(s.case_supervision_reply, actor=w.city_handler, case_id=pk, reply="已加派人手，尽快办结。")
    act(s.case_resolve, actor=w.city_handler, case_id=pk, result="已清理")
    act(s.case_reply, actor=w.city_handler, case_id=pk, channel="phone", content="您反映的问题已处理，感谢监督。")
    act(s.case_rate, actor=w.street_dispatcher, case_id=pk, value=Satisfaction.UNSATISFIED)  # + reopen
    act(s.case_dispatch, actor=w.street_dispatcher, case_id=pk, lead_unit_id=w.housing.pk)
    third_deadline = current().deadline
    act(s.case_return, actor=w.dept_handler, case_id=pk, reason="经核实不属于本单位职责。")  # second: + escalate
    meeting = s.meeting_create(actor=w.consultation_staff, body_unit_id=w.consultation.pk, date=T0.date(),
                               title="“2+1”会商")
    item = s.meeting_agenda_add(actor=w.consultation_staff, meeting_id=meeting.pk, case_id=pk)
    decided_at = at()
    decided_deadline = deadline_for(decided_at, 15)
    measures = "明确牵头部门，属地街道配合，限期办结。"
    s.meeting_decide(actor=w.consultation_staff, item_id=item.pk, lead_unit_id=w.city_mgmt.pk, measures=measures,
                     deadline=decided_deadline, co_unit_ids=[w.street_a_office.pk])
    act(s.case_accept, actor=w.city_handler, case_id=pk)
    act(s.case_resolve, actor=w.city_handler, case_id=pk, result="已处理完毕")
    act(s.case_reply_unreachable, actor=w.city_handler, case_id=pk, note="无法联系诉求人。")
    act(s.case_rate, actor=w.street_dispatcher, case_id=pk, value=Satisfaction.SATISFIED)
    act(s.case_close, actor=w.street_dispatcher, case_id=pk)

    # --- through the demo's Sim, the same decisions at the same moments ------------------------------------------
    sim = demo.Sim(registered, w.street_dispatcher, T0, "")
    t = iter(moments)
    days = cat.time_limit(registered.urgency)
    assert sim.triage(w.street_dispatcher, next(t), category_id=cat.pk, urgency=registered.urgency, layer="local")
    assert sim.dispatch(w.street_dispatcher, next(t), lead_unit_id=w.housing.pk, co_unit_ids=[w.city_mgmt.pk],
                        time_limit_days=days, deadline=first_deadline)
    assert sim.return_(w.dept_handler, next(t), reason="经核实不属于本单位职责。")
    assert sim.dispatch(w.street_dispatcher, next(t), lead_unit_id=w.city_mgmt.pk, co_unit_ids=[],
                        time_limit_days=days, deadline=second_deadline)
    assert sim.step(w.city_handler, Action.ACCEPT, next(t))
    assert sim.step(w.city_handler, Action.REQUEST_EXTENSION, next(t), note="需协调多方，申请延期。")
    assert sim.approve_extension(w.street_dispatcher, next(t), days=5, deadline=extended)
    assert sim.step(w.city_handler, Action.ADD_PROGRESS, next(t), note="已现场查看，正在协调处理。")
    assert sim.supervise_overdue(next(t), notice=notice) == overdue_episode(extended)
    assert sim.step(w.city_handler, Action.SUPERVISION_REPLY, next(t), note="已加派人手，尽快办结。")
    assert sim.resolve(w.city_handler, next(t), result="已清理")
    assert sim.reply(w.city_handler, Action.REPLY, next(t), content="您反映的问题已处理，感谢监督。")
    assert sim.rate(w.street_dispatcher, next(t), value=Satisfaction.UNSATISFIED)
    assert sim.dispatch(w.street_dispatcher, next(t), lead_unit_id=w.housing.pk, co_unit_ids=[],
                        time_limit_days=days, deadline=third_deadline)
    assert sim.return_(w.dept_handler, next(t), reason="经核实不属于本单位职责。")
    # the generator's consultation: 15 working days, the deadline at the end of the 15th
    assert sim.decide(w.consultation_staff, next(t), body_unit_id=w.consultation.pk, lead_unit_id=w.city_mgmt.pk,
                      co_unit_ids=[w.street_a_office.pk], time_limit_days=15, deadline=decided_deadline,
                      note=f"会商决定（{meeting.title}）：{measures}")
    assert sim.step(w.city_handler, Action.ACCEPT, next(t))
    assert sim.resolve(w.city_handler, next(t), result="已处理完毕")
    assert sim.reply(w.city_handler, Action.REPLY_UNREACHABLE, next(t), content="无法联系诉求人。")
    assert sim.rate(w.street_dispatcher, next(t), value=Satisfaction.SATISFIED)
    assert sim.close(w.street_dispatcher, next(t))

    # --- the same row, co-units and events -------------------------------------------------------------------------
    stored = current()
    assert stored.state == "closed" and stored.return_count == 2 and stored.unsatisfied_count == 1
    # Every column, `updated_at` included (both set it to the moment of the last step).
    assert _row(sim.case) == _row(stored)
    assert sim.co == sorted(CaseCoUnit.objects.filter(case_id=pk).values_list("unit_id", flat=True))
    assert [tuple(e) for e in sim.events] == _events(pk)


def test_the_generator_changes_a_case_only_through_the_sims_decisions():
    """The parity above covers what the generator does only if the generator builds no changes of its own."""
    source = inspect.getsource(demo.Generator)
    assert "changes=" not in source and "steps.step" not in source


def test_a_direct_answer_is_the_same_through_the_generator_and_the_services(world, cats, monkeypatch):
    """直接答复办结 then a rating and the close: the same row and events both ways (and the replay of the log)."""
    from civicloop.cases.constants import AppealType
    from civicloop.cases.events import snapshot
    from civicloop.cases.replay import replay_case

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.t)
    w = world
    case = s.case_register(actor=w.committee_worker, channel=Channel.HOTLINE_12345, description="咨询垃圾分类投放时间",
                           place_id=w.comm_a1.pk, appeal_type=AppealType.CONSULTATION)
    registered = Case.objects.get(pk=case.pk)
    moments = [clock.tick(), clock.tick(), clock.tick()]
    clock.t = moments[0]
    s.case_answer(actor=w.committee_worker, case_id=case.pk, channel="phone", content="每天7-9点、18-20点定时投放。")
    clock.t = moments[1]
    s.case_rate(actor=w.street_dispatcher, case_id=case.pk, value=Satisfaction.SATISFIED)
    clock.t = moments[2]
    s.case_close(actor=w.street_dispatcher, case_id=case.pk)

    sim = demo.Sim(registered, w.committee_worker, T0, "")
    assert sim.answer(w.committee_worker, moments[0], content="每天7-9点、18-20点定时投放。")
    assert sim.rate(w.street_dispatcher, moments[1], value=Satisfaction.SATISFIED)
    assert sim.close(w.street_dispatcher, moments[2])

    stored = Case.objects.get(pk=case.pk)
    assert stored.state == "closed" and stored.dispatched_at is None and stored.lead_unit_id is None
    assert stored.resolved_at == stored.replied_at == moments[0]
    assert _row(sim.case) == _row(stored)
    assert [tuple(e) for e in sim.events] == _events(case.pk)
    assert replay_case(stored) == snapshot(stored)

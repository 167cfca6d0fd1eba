"""The main loop and its rules, with the world's personas."""

import pytest
from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.constants import CaseState, Channel, Layer, Satisfaction, Urgency
from civicloop.cases.error_codes import CaseErrorCode
from civicloop.cases.events import snapshot
from civicloop.cases.models import Case, CaseEvent, Notification, Reply
from civicloop.cases.replay import replay_case
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.workdays.calendar import deadline_for


def refused(code, fn, **kw):
    with pytest.raises(CivicError) as exc:
        fn(**kw)
    assert exc.value.code == code, exc.value.message
    return exc.value


def test_register_assigns_tracking_code_and_denormalises_place(world, flow):
    case = flow.register()
    year = timezone.localdate().year
    assert case.tracking_code == f"XH{year}-0000001"
    assert flow.register().tracking_code == f"XH{year}-0000002"
    assert (case.district_id, case.street_id, case.community_id) == (world.district.pk, world.street_a.pk, world.comm_a1.pk)
    assert case.state == CaseState.REGISTERED and case.version == 1
    ev = CaseEvent.objects.get(case=case)
    assert (ev.seq, ev.action, ev.actor, ev.actor_unit_id) == (1, "register", world.street_dispatcher, world.street_a_office.pk)


def test_register_is_idempotent_by_external_id(world, flow):
    a = flow.register(external_id="12345-2026-001")
    b = flow.register(external_id="12345-2026-001")
    c = flow.register(external_id="12345-2026-001", channel=Channel.PORTAL)
    assert a.pk == b.pk != c.pk
    assert Case.objects.count() == 2
    # the refused repeat rolled back whole: it took no tracking number
    year = timezone.localdate().year
    assert (a.tracking_code, c.tracking_code) == (f"XH{year}-0000001", f"XH{year}-0000002")
    assert flow.register().tracking_code == f"XH{year}-0000003"


def test_register_without_place_uses_the_registrars_territory(world, flow):
    from civicloop.cases import services as s

    case = s.case_register(actor=world.committee_worker, channel=Channel.HOTLINE_12345, description="路灯不亮")
    assert (case.place_id, case.street_id, case.community_id) == (world.comm_a1.pk, world.street_a.pk, world.comm_a1.pk)
    case = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, description="路灯不亮")
    assert (case.place_id, case.street_id, case.community_id) == (world.street_a.pk, world.street_a.pk, None)


def test_register_outside_territory_is_not_found(world, flow):
    refused(ErrorCode.NOT_FOUND, flow.register, actor=world.outsider, place=world.comm_a1)
    refused(ErrorCode.FORBIDDEN, flow.register, actor=world.nobody)


def test_full_loop_happy_path(world, flow, cats, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched()
    assert case.state == CaseState.DISPATCHED and case.lead_unit_id == world.housing.pk
    assert case.time_limit_days == 15
    assert case.deadline == deadline_for(case.dispatched_at, 15)
    assert case.dispatched_at < case.yellow_at < case.deadline
    assert Notification.objects.filter(user=world.dept_handler, unit=world.housing, case=case, kind="dispatch").count() == 1
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    s.case_add_progress(actor=world.dept_handler, case_id=case.pk, note="已联系物业")
    s.case_resolve(actor=world.dept_handler, case_id=case.pk, result="已清理", measures="物业每周巡查")
    s.case_reply(actor=world.dept_handler, case_id=case.pk, channel="phone", content="已清理完毕")
    s.case_rate(actor=world.street_dispatcher, case_id=case.pk, value=Satisfaction.SATISFIED)
    s.case_close(actor=world.street_dispatcher, case_id=case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_at and case.satisfaction == Satisfaction.SATISFIED
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["register", "triage", "dispatch", "accept", "add_progress", "resolve", "reply", "rate", "close"]
    assert list(case.events.values_list("seq", flat=True)) == list(range(1, 10)) and case.version == 9
    assert replay_case(case) == snapshot(case)


def test_transition_refused_with_state_and_action_named(world, flow, cats):
    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0101"].pk)
    err = refused(CaseErrorCode.TRANSITION_NOT_ALLOWED, s.case_close, actor=world.street_dispatcher, case_id=case.pk)
    assert "已研判" in err.message and "结案" in err.message


def test_wrong_actor_is_forbidden_and_outsider_not_found(world, flow):
    case = flow.dispatched()
    refused(ErrorCode.FORBIDDEN, s.case_accept, actor=world.street_dispatcher, case_id=case.pk)  # not the lead unit
    refused(ErrorCode.NOT_FOUND, s.case_accept, actor=world.city_handler, case_id=case.pk)  # other dept: invisible
    refused(ErrorCode.NOT_FOUND, s.case_accept, actor=world.outsider, case_id=case.pk)
    refused(ErrorCode.NOT_FOUND, s.case_accept, actor=world.stranger, case_id=case.pk)
    refused(ErrorCode.NOT_FOUND, s.case_accept, actor=world.dept_handler, case_id=999999)
    case.refresh_from_db()
    assert case.version == 3


def test_expected_version_conflict(world, flow):
    case = flow.dispatched()
    err = refused(ErrorCode.CONFLICT, s.case_accept, actor=world.dept_handler, case_id=case.pk,
                  expected_version=case.version - 1)
    assert "已被他人修改" in err.message
    s.case_accept(actor=world.dept_handler, case_id=case.pk, expected_version=case.version)


def test_return_then_second_return_escalates(world, flow):
    case = flow.dispatched()
    s.case_return(actor=world.dept_handler, case_id=case.pk, reason="不属于本部门职责")
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED and case.lead_unit_id is None and case.return_count == 1
    deadline = case.deadline
    s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.city_mgmt.pk)
    case.refresh_from_db()
    assert case.deadline >= deadline
    refused(ErrorCode.INVALID, s.case_return, actor=world.city_handler, case_id=case.pk, reason=" ")
    s.case_return(actor=world.city_handler, case_id=case.pk, reason="属于房管")
    case.refresh_from_db()
    assert case.state == CaseState.ESCALATED and case.return_count == 2
    assert list(case.events.values_list("action", flat=True))[-2:] == ["return", "escalate"]


def test_cross_layer_triage_escalates(world, flow, cats):
    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0301"].pk, layer=Layer.CROSS)
    case.refresh_from_db()
    assert case.state == CaseState.ESCALATED


def test_dispatch_deadline_by_category_and_urgency(world, flow, cats):
    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0701"].pk, urgency=Urgency.URGENT)
    s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.housing.pk,
                    co_unit_ids=[world.city_mgmt.pk, world.housing.pk])
    case.refresh_from_db()
    assert case.time_limit_days == cats["0701"].limit_urgent == 2
    assert list(case.co_units.values_list("pk", flat=True)) == [world.city_mgmt.pk]  # lead never its own co-unit
    # the co-unit sees the case
    from civicloop.cases.selectors import case_get_for

    assert case_get_for(world.city_handler, case.pk).pk == case.pk


def test_extensions(world, flow, django_capture_on_commit_callbacks):
    case = flow.dispatched()
    refused(CaseErrorCode.TRANSITION_NOT_ALLOWED, s.case_request_extension, actor=world.dept_handler, case_id=case.pk,
            days=3, reason="需协调")
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    with django_capture_on_commit_callbacks(execute=True):
        s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=5, reason="需协调施工队")
    assert Notification.objects.filter(user=world.street_dispatcher, kind="request_extension").exists()
    refused(CaseErrorCode.EXTENSION_PENDING, s.case_request_extension, actor=world.dept_handler, case_id=case.pk,
            days=3, reason="再延")
    refused(ErrorCode.FORBIDDEN, s.case_approve_extension, actor=world.dept_handler, case_id=case.pk)
    old = Case.objects.get(pk=case.pk)
    s.case_approve_extension(actor=world.street_dispatcher, case_id=case.pk)
    case.refresh_from_db()
    assert case.deadline == deadline_for(old.deadline, 5) and case.time_limit_days == 20
    assert case.yellow_at > old.yellow_at
    refused(CaseErrorCode.NO_EXTENSION_PENDING, s.case_deny_extension, actor=world.street_dispatcher, case_id=case.pk)
    s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=2, reason="仍需时间")
    s.case_deny_extension(actor=world.district_admin, case_id=case.pk, note="请按期办结")  # district level may
    assert Case.objects.get(pk=case.pk).deadline == case.deadline


def test_close_requires_reply(world, flow):
    case = flow.resolved()
    refused(CaseErrorCode.REPLY_REQUIRED, s.case_close, actor=world.street_dispatcher, case_id=case.pk)
    refused(ErrorCode.FORBIDDEN, s.case_close, actor=world.dept_handler, case_id=case.pk)
    s.case_reply_unreachable(actor=world.street_dispatcher, case_id=case.pk, note="电话空号，三次未接通")
    s.case_close(actor=world.street_dispatcher, case_id=case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and Reply.objects.get(case=case).unreachable


def test_unsatisfied_reopens_and_third_escalates(world, flow):
    case = flow.replied()
    for n in (1, 2):
        s.case_rate(actor=world.street_dispatcher, case_id=case.pk, value=Satisfaction.UNSATISFIED, note="没解决")
        case.refresh_from_db()
        assert case.state == CaseState.REOPENED and case.unsatisfied_count == n and case.replied_at is None
        refused(CaseErrorCode.TRANSITION_NOT_ALLOWED, s.case_close, actor=world.street_dispatcher, case_id=case.pk)
        s.case_accept(actor=world.dept_handler, case_id=case.pk)
        s.case_resolve(actor=world.dept_handler, case_id=case.pk, result="再次处理")
        s.case_reply(actor=world.dept_handler, case_id=case.pk, channel="visit", content="上门说明")
    s.case_rate(actor=world.street_dispatcher, case_id=case.pk, value=Satisfaction.UNSATISFIED)
    case.refresh_from_db()
    assert case.state == CaseState.ESCALATED and case.unsatisfied_count == 3
    assert case.ratings.count() == 3


def test_reopen_by_dispatcher_then_accept(world, flow):
    case = flow.replied()
    s.case_reopen(actor=world.street_dispatcher, case_id=case.pk, reason="答复不实")
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


def test_supervise_and_reply(world, flow, django_capture_on_commit_callbacks):
    case = flow.dispatched()
    refused(ErrorCode.FORBIDDEN, s.case_supervise, actor=world.committee_worker, case_id=case.pk, notice="x")
    refused(CaseErrorCode.SUPERVISION_NOT_OPEN, s.case_supervision_reply, actor=world.dept_handler, case_id=case.pk,
            reply="在办")
    with django_capture_on_commit_callbacks(execute=True):
        s.case_supervise(actor=world.leader, case_id=case.pk, notice="请加快办理")
    assert Notification.objects.filter(user=world.dept_handler, kind="supervise").exists()
    sup = s.case_supervision_reply(actor=world.dept_handler, case_id=case.pk, reply="本周内完成")
    assert sup.replied_at and sup.reply == "本周内完成"
    assert Case.objects.get(pk=case.pk).state == CaseState.DISPATCHED


@pytest.mark.parametrize("end", ["close", "withdraw"])
def test_a_supervision_unanswered_when_its_case_ends_is_closed_with_it(world, flow, end):
    """销号: the notice still open when the case ends (closed, withdrawn) is closed at that step — no answer can
    come any more — and the open notices (the inbox's section, the reply's precondition) are only those of cases
    still in the loop; an answered notice keeps its answer and no lapse."""
    from civicloop.cases.inbox import inbox_for
    from civicloop.cases.models import Supervision

    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    answered = s.case_supervise(actor=world.leader, case_id=case.pk, notice="请加快办理")
    s.case_supervision_reply(actor=world.dept_handler, case_id=case.pk, reply="本周内完成")
    unanswered = s.case_supervise(actor=world.leader, case_id=case.pk, notice="再次督办")
    assert inbox_for(world.dept_handler)["supervisions"]["count"] == 1
    if end == "close":
        s.case_resolve(actor=world.dept_handler, case_id=case.pk, result="已处理")
        assert Supervision.objects.filter(Supervision.OPEN, case=case).count() == 1  # answerable until closed
        s.case_reply_unreachable(actor=world.street_dispatcher, case_id=case.pk, note="电话空号，三次未接通")
        s.case_close(actor=world.street_dispatcher, case_id=case.pk)
    else:
        s.case_withdraw(actor=world.street_dispatcher, case_id=case.pk, reason="诉求人来电撤回")
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    answered.refresh_from_db()
    unanswered.refresh_from_db()
    assert unanswered.lapsed_at == last.at and unanswered.replied_at is None
    assert answered.lapsed_at is None and answered.reply == "本周内完成"
    assert not Supervision.objects.filter(Supervision.OPEN, case=case).exists()
    assert inbox_for(world.dept_handler)["supervisions"]["count"] == 0


def test_merge_gives_reporters_the_targets_reply(world, flow):
    target = flow.dispatched()
    dup = flow.register(reporter_name="王五")
    dup2 = flow.register()
    s.case_merge(actor=world.street_dispatcher, case_id=dup.pk, into_case_id=target.pk)
    refused(CaseErrorCode.MERGE_INVALID, s.case_merge, actor=world.street_dispatcher, case_id=dup2.pk, into_case_id=dup.pk)
    refused(CaseErrorCode.MERGE_INVALID, s.case_merge, actor=world.street_dispatcher, case_id=dup2.pk, into_case_id=dup2.pk)
    s.case_accept(actor=world.dept_handler, case_id=target.pk)
    s.case_resolve(actor=world.dept_handler, case_id=target.pk, result="已修复")
    s.case_reply(actor=world.dept_handler, case_id=target.pk, channel="sms", content="已修复，感谢反映")
    dup.refresh_from_db()
    assert dup.state == CaseState.MERGED and dup.merged_into_id == target.pk and dup.replied_at
    reply = Reply.objects.get(case=dup)
    assert reply.content == "已修复，感谢反映" and reply.via_case_id == target.pk
    # merging into an already-replied case replies at once
    s.case_merge(actor=world.street_dispatcher, case_id=dup2.pk, into_case_id=target.pk)
    assert Reply.objects.filter(case=dup2, via_case=target).exists()
    for c in (dup, dup2, target):
        c.refresh_from_db()
        assert replay_case(c) == snapshot(c)


def test_withdraw(world, flow):
    case = flow.dispatched()
    s.case_withdraw(actor=world.street_dispatcher, case_id=case.pk, reason="诉求人来电撤回")
    assert Case.objects.get(pk=case.pk).state == CaseState.WITHDRAWN
    refused(CaseErrorCode.TRANSITION_NOT_ALLOWED, s.case_accept, actor=world.dept_handler, case_id=case.pk)


def test_system_register_needs_district(world):
    case = s.case_register(actor=s.SYSTEM, channel=Channel.SENSOR, description="烟感报警", district_id=world.district.pk,
                           place_id=world.comm_b1.pk)
    assert case.street_id == world.street_b.pk and case.registered_by is None
    refused(ErrorCode.INVALID, s.case_register, actor=s.SYSTEM, channel=Channel.SENSOR, description="x")


def test_stale_page_after_losing_sight_is_conflict_not_not_found(world, flow):
    """The other handler returned the case (it left our unit's sight): acting on the stale page says CONFLICT."""
    case = flow.dispatched()
    s.case_return(actor=world.dept_handler, case_id=case.pk, reason="非本部门职责")
    refused(ErrorCode.CONFLICT, s.case_accept, actor=world.dept_handler, case_id=case.pk, expected_version=case.version)
    refused(ErrorCode.NOT_FOUND, s.case_accept, actor=world.dept_handler, case_id=case.pk)
    refused(ErrorCode.NOT_FOUND, s.case_accept, actor=world.city_handler, case_id=case.pk, expected_version=case.version)

"""Reads: scope, time state, inbox, masking."""

import datetime as dt

import pytest
from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.constants import CaseState, SupervisionKind, TimeState
from civicloop.cases.inbox import inbox_for
from civicloop.cases.models import Case, Category, Supervision
from civicloop.cases.selectors import (
    case_available_actions,
    case_get_for,
    case_list_for,
    case_reporter_for,
    with_time_state,
)
from civicloop.cases.tasks import supervise_overdue_now
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import UnmaskLog


def not_found(actor, key):
    with pytest.raises(CivicError) as exc:
        case_get_for(actor, key)
    assert exc.value.code == ErrorCode.NOT_FOUND


def test_outsider_sees_not_found_like_a_missing_id(world, flow):
    case = flow.dispatched()
    for actor in (world.outsider, world.stranger, world.city_handler, world.nobody):
        not_found(actor, case.pk)
        not_found(actor, case.tracking_code)
        assert not case_list_for(actor).filter(pk=case.pk).exists()
    not_found(world.street_dispatcher, 999999)
    for actor in (world.street_dispatcher, world.committee_worker, world.dept_handler, world.leader, world.district_admin):
        assert case_get_for(actor, case.tracking_code).pk == case.pk


def test_committee_sees_only_its_community(world, flow):
    a1 = flow.register(place=world.comm_a1)
    a2 = flow.register(place=world.comm_a2)
    assert set(case_list_for(world.committee_worker).values_list("pk", flat=True)) == {a1.pk}
    assert set(case_list_for(world.street_dispatcher).values_list("pk", flat=True)) == {a1.pk, a2.pk}


def test_time_state_derived_from_deadline(world, flow):
    case = flow.dispatched()
    at = lambda moment: with_time_state(Case.objects.filter(pk=case.pk), moment).get().time_state  # noqa: E731
    assert at(case.dispatched_at + dt.timedelta(seconds=1)) == TimeState.GREEN
    assert at(case.yellow_at) == TimeState.YELLOW
    assert at(case.deadline + dt.timedelta(seconds=1)) == TimeState.RED
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    s.case_resolve(actor=world.dept_handler, case_id=case.pk, result="好了")
    assert at(case.deadline + dt.timedelta(days=3)) == TimeState.NONE  # the clock stopped
    red_list = case_list_for(world.street_dispatcher, {"time_state": "red"}, now=case.deadline + dt.timedelta(days=1))
    assert not red_list.exists()


def test_inbox_sections_and_red_first(world, flow):
    green = flow.dispatched()
    red = flow.dispatched()
    Case.objects.filter(pk=red.pk).update(deadline=timezone.now() - dt.timedelta(hours=1),
                                          yellow_at=timezone.now() - dt.timedelta(days=2))
    registered = flow.register()
    box = inbox_for(world.dept_handler)
    assert box["to_accept"]["count"] == 2
    assert [c["id"] for c in box["to_accept"]["cases"]] == [red.pk, green.pk]
    assert box["to_triage"]["count"] == 0
    disp = inbox_for(world.street_dispatcher)
    assert [c["id"] for c in disp["to_triage"]["cases"]] == [registered.pk]
    assert disp["to_accept"]["count"] == 0
    assert inbox_for(world.outsider)["to_triage"]["count"] == 0


def test_inbox_rows_are_what_the_orm_reads(world, flow):
    """The rows read by the compiled statement (core.sql.Prepared) carry the values and types the ORM gives —
    datetimes included, which SQLite returns as text."""
    case = flow.dispatched()
    now = timezone.now()
    [row] = inbox_for(world.dept_handler, now=now)["to_accept"]["cases"]
    orm = with_time_state(Case.objects.filter(pk=case.pk), now).select_related(
        "category", "lead_unit", "street", "community").get()
    assert row == {
        "id": orm.pk, "tracking_code": orm.tracking_code, "state": orm.state, "channel": orm.channel,
        "category": orm.category.name if orm.category_id else None, "urgency": orm.urgency,
        "appeal_type": orm.appeal_type, "layer": orm.layer, "description": orm.description, "street": orm.street.name, "community": orm.community.name
        if orm.community_id else None, "address": orm.address, "lead_unit": orm.lead_unit.name,
        "deadline": orm.deadline, "deadline_provisional": orm.deadline_provisional, "time_state": orm.time_state,
        "version": orm.version, "created_at": orm.created_at}
    assert row["deadline_provisional"] is False  # a bool, as the ORM reads it (SQLite stores 0)
    assert isinstance(row["deadline"], dt.datetime) and row["time_state"] == TimeState.GREEN


def test_inbox_extensions_and_supervisions(world, flow):
    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=3, reason="协调中")
    s.case_supervise(actor=world.street_dispatcher, case_id=case.pk, notice="请加快")
    assert inbox_for(world.street_dispatcher)["extensions"]["count"] == 1
    assert inbox_for(world.district_admin)["extensions"]["count"] == 1
    assert inbox_for(world.outsider)["extensions"]["count"] == 0
    assert inbox_for(world.dept_handler)["supervisions"]["count"] == 1


def test_inbox_query_count_is_bounded(world, flow, django_assert_max_num_queries):
    for _ in range(5):
        flow.dispatched()
    world.dept_handler = type(world.dept_handler).objects.get(pk=world.dept_handler.pk)
    # scope (unit, roles), one count for all sections and unread notifications, the ids of each non-empty
    # section, their rows
    with django_assert_max_num_queries(5):
        box = inbox_for(world.dept_handler)
    assert [name for name in box if name != "unread_notifications" and box[name]["count"]] == ["to_accept"]


def test_inbox_statements_compiled_once_per_scope_still_see_now_and_new_rows(world, flow, monkeypatch):
    """The compiled plan is reused (no recompile) yet every request reads fresh rows at its own `now`, and a
    new pending extension request (part of the key) gives a new plan."""
    from civicloop.cases import inbox
    from civicloop.core.sql import PlanCache

    case = flow.dispatched()
    monkeypatch.setattr(inbox, "_PLANS", PlanCache())
    t0 = case.deadline - dt.timedelta(days=10)
    box = inbox_for(world.dept_handler, now=t0)
    assert [c["time_state"] for c in box["to_accept"]["cases"]] == [TimeState.GREEN]
    compiled = []
    build = inbox._build_inbox_plan
    monkeypatch.setattr(inbox, "_build_inbox_plan", lambda *a: compiled.append(a) or build(*a))
    late = inbox_for(world.dept_handler, now=case.deadline + dt.timedelta(hours=1))
    assert [c["time_state"] for c in late["to_accept"]["cases"]] == [TimeState.RED] and not compiled
    other = flow.dispatched()
    assert inbox_for(world.dept_handler, now=t0)["to_accept"]["count"] == 2 and not compiled
    assert sum(key[0] == "inbox" for key in inbox._PLANS) == 1
    monkeypatch.undo()
    monkeypatch.setattr(inbox, "_PLANS", PlanCache())
    s.case_accept(actor=world.dept_handler, case_id=other.pk)
    inbox_for(world.street_dispatcher)
    s.case_request_extension(actor=world.dept_handler, case_id=other.pk, days=3, reason="协调中")
    assert inbox_for(world.street_dispatcher)["extensions"]["count"] == 1
    assert sum(key[0] == "inbox" for key in inbox._PLANS) == 2


def test_reporter_masked_and_unmask_logged(world, flow):
    case = flow.dispatched()
    masked = case_reporter_for(world.committee_worker, case)
    assert masked["phone"] == "139****5678" and masked["masked"]
    with pytest.raises(CivicError) as exc:  # a committee worker may not unmask (the reveal is a service)
        s.case_reporter_reveal(actor=world.committee_worker, case_id=case.pk)
    assert exc.value.code == ErrorCode.FORBIDDEN
    assert not UnmaskLog.objects.exists()
    clear = s.case_reporter_reveal(actor=world.dept_handler, case_id=case.pk, reason_code="callback")
    assert clear["phone"] == "13912345678" and not clear["masked"]
    log = UnmaskLog.objects.get()
    assert (log.user, log.object_id) == (world.dept_handler, str(case.pk))


def test_available_actions(world, flow):
    case = flow.dispatched()
    # issue 11: 督办回复 only with an open supervision (the service's precondition, preconditions.can)
    assert set(case_available_actions(world.dept_handler, case)) == {"accept", "return"}
    assert "accept" not in case_available_actions(world.street_dispatcher, case)
    assert "supervise" in case_available_actions(world.street_dispatcher, case)
    s.case_supervise(actor=world.street_dispatcher, case_id=case.pk, notice="请尽快签收")
    case.refresh_from_db()
    assert set(case_available_actions(world.dept_handler, case)) == {"accept", "return", "supervision_reply"}


def test_supervise_overdue_is_idempotent_per_episode(world, flow, django_capture_on_commit_callbacks):
    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    case.refresh_from_db()
    later = case.deadline + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert supervise_overdue_now(now=later) == 1
    assert supervise_overdue_now(now=later) == 0
    assert Supervision.objects.filter(case=case, kind=SupervisionKind.AUTO).count() == 1
    assert case.events.filter(action="supervise", actor__isnull=True).count() == 1
    # an extension starts a new episode
    s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=2, reason="需要时间")
    s.case_approve_extension(actor=world.street_dispatcher, case_id=case.pk)
    case.refresh_from_db()
    assert supervise_overdue_now(now=case.deadline - dt.timedelta(hours=1)) == 0
    assert supervise_overdue_now(now=case.deadline + dt.timedelta(hours=1)) == 1
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


@pytest.mark.parametrize("inline_limit", [5000, 0])  # ids inlined in the query, or the subquery past the limit
def test_list_shows_co_handled_cases_to_the_co_unit(world, flow, monkeypatch, inline_limit):
    from civicloop.cases import permissions

    monkeypatch.setattr(permissions, "INLINE_CO_CASES", inline_limit)
    shared = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=shared.pk, category_id=Category.objects.filter(
        parent__isnull=False).first().pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=shared.pk, lead_unit_id=world.housing.pk,
                    co_unit_ids=[world.city_mgmt.pk])
    flow.dispatched()  # housing alone: not the co-unit's
    for filters in ({}, {"open_only": True}, {"state": "dispatched"}):
        assert [c.pk for c in case_list_for(world.city_handler, filters)] == [shared.pk], filters
    assert not case_list_for(world.city_handler, {"state": "closed"}).exists()
    assert not case_list_for(world.outsider, {"open_only": True}).exists()

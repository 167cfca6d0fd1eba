"""Personal notifications (one row per person, own read state) and extension requests that lapse when the case
leaves the handling states."""

import pytest

from civicloop.cases import services as s
from civicloop.cases.constants import Action, CaseState, ExtensionState
from civicloop.cases.error_codes import CaseErrorCode
from civicloop.cases.inbox import inbox_for
from civicloop.cases.models import CaseEvent, ExtensionRequest, Notification
from civicloop.cases.selectors import notifications_for
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.models import Unit
from civicloop.testing import make_user


def refused(code, fn, **kw) -> CivicError:
    with pytest.raises(CivicError) as exc:
        fn(**kw)
    assert exc.value.code == code, exc.value.message
    return exc.value


def mine(user, **kw):
    return Notification.objects.filter(user=user, **kw)


@pytest.fixture
def colleagues(world):
    """区房管局 with two handlers, a leader (no handler role) and a handler who left (inactive)."""
    second = make_user("dept_handler2", world.housing, Role.HANDLER)
    boss = make_user("dept_leader", world.housing, Role.LEADER)
    gone = make_user("dept_gone", world.housing, Role.HANDLER)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    return {"second": second, "boss": boss, "gone": gone}


def test_each_handler_gets_an_own_row_and_reads_it_alone(world, flow, colleagues, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched()
    first, second = world.dept_handler, colleagues["second"]
    a, b = mine(first, case=case, kind=Action.DISPATCH).get(), mine(second, case=case, kind=Action.DISPATCH).get()
    assert a.pk != b.pk and a.unit_id == b.unit_id == world.housing.pk  # delivered via 区房管局
    # only the people who act on a dispatch (handlers, active) — not the leader, not the one who left
    assert set(Notification.objects.filter(case=case).values_list("user_id", flat=True)) == {first.pk, second.pk}
    assert inbox_for(first)["unread_notifications"] == inbox_for(second)["unread_notifications"] == 1

    s.notification_mark_read(actor=first, notification_id=a.pk)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.read_at is not None and b.read_at is None
    assert inbox_for(first)["unread_notifications"] == 0
    assert inbox_for(second)["unread_notifications"] == 1
    assert list(notifications_for(second).filter(read_at__isnull=True)) == [b]


def test_only_the_addressee_may_mark_read(world, flow, colleagues, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched()
    n = mine(world.dept_handler, case=case).get()
    for other in (world.outsider, colleagues["second"], world.street_dispatcher, world.nobody):
        refused(ErrorCode.NOT_FOUND, s.notification_mark_read, actor=other, notification_id=n.pk)
        assert n.pk not in notifications_for(other).values_list("pk", flat=True)
    n.refresh_from_db()
    assert n.read_at is None
    assert s.notification_mark_read(actor=world.dept_handler, notification_id=n.pk).read_at is not None


def test_notify_event_twice_creates_no_duplicates(world, flow, colleagues, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched()
    event = CaseEvent.objects.get(case=case, action=Action.DISPATCH)
    before = sorted(Notification.objects.values_list("pk", "user_id", "dedupe_key"))
    assert len(before) == 2
    assert s.notify_event(event.pk) == 2
    assert s.notify_event(event.pk) == 2
    assert sorted(Notification.objects.values_list("pk", "user_id", "dedupe_key")) == before
    assert {k for _pk, _u, k in before} == {f"e{event.pk}:p{world.dept_handler.pk}",
                                            f"e{event.pk}:p{colleagues['second'].pk}"}


def test_extension_request_reaches_the_dispatchers_not_the_actor(world, flow, django_capture_on_commit_callbacks):
    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    second = make_user("sa_dispatcher2", world.street_a_office, Role.DISPATCHER)
    clerk = make_user("sa_clerk", world.street_a_office, Role.GRID_WORKER)
    with django_capture_on_commit_callbacks(execute=True):
        s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=3, reason="需协调")
    got = set(Notification.objects.filter(kind=Action.REQUEST_EXTENSION).values_list("user_id", flat=True))
    assert got == {world.street_dispatcher.pk, second.pk}
    assert clerk.pk not in got and world.dept_handler.pk not in got

    # a dispatcher dispatching to their own office: the colleagues who handle hear of it, the actor does not
    with django_capture_on_commit_callbacks(execute=True):
        own = flow.dispatched(lead=world.street_a_office)
    assert not Notification.objects.filter(case=own).exists()  # the only handler there is the actor
    handler = make_user("sa_handler", world.street_a_office, Role.HANDLER)
    with django_capture_on_commit_callbacks(execute=True):
        own = flow.dispatched(lead=world.street_a_office)
    assert list(Notification.objects.filter(case=own).values_list("user_id", flat=True)) == [handler.pk]


def test_unit_without_anyone_in_the_role_falls_back_to_all_active_staff(world, flow, django_capture_on_commit_callbacks):
    unit = Unit.objects.create(code="U-PARKS", name="区绿化市容局", kind=UnitKind.DEPARTMENT, district=world.district)
    clerk = make_user("parks_clerk", unit)
    boss = make_user("parks_boss", unit, Role.LEADER)
    gone = make_user("parks_gone", unit)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched(lead=unit)
    assert set(Notification.objects.filter(case=case).values_list("user_id", flat=True)) == {clerk.pk, boss.pk}


def pending_request(world, flow) -> tuple:
    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    req = s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=5, reason="需协调施工队")
    assert inbox_for(world.street_dispatcher)["extensions"]["count"] == 1
    return case, req


def test_pending_extension_lapses_on_resolve_and_cannot_be_decided(world, flow):
    case, req = pending_request(world, flow)
    s.case_resolve(actor=world.dept_handler, case_id=case.pk, result="已清理")
    req.refresh_from_db()
    assert req.state == ExtensionState.LAPSED and req.decided_at is not None and req.decided_by is None
    assert str(CaseState.RESOLVED.label) in req.decision_note
    for approver in (world.street_dispatcher, world.district_admin):
        assert inbox_for(approver)["extensions"]["count"] == 0
        for fn in (s.case_approve_extension, s.case_deny_extension):
            err = refused(CaseErrorCode.NO_EXTENSION_PENDING, fn, actor=approver, case_id=case.pk, extension_id=req.pk)
            assert "失效" in str(err.message)
            refused(CaseErrorCode.NO_EXTENSION_PENDING, fn, actor=approver, case_id=case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED and case.events.filter(action__in=(
        Action.APPROVE_EXTENSION, Action.DENY_EXTENSION)).count() == 0
    # reopened and accepted again, the handler may ask anew; the lapsed one stays lapsed
    s.case_reopen(actor=world.street_dispatcher, case_id=case.pk, reason="未彻底清理")
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    again = s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=2, reason="再协调")
    s.case_approve_extension(actor=world.street_dispatcher, case_id=case.pk)
    assert ExtensionRequest.objects.get(pk=again.pk).state == ExtensionState.APPROVED
    assert ExtensionRequest.objects.get(pk=req.pk).state == ExtensionState.LAPSED


@pytest.mark.parametrize("leave", ["return", "withdraw", "escalate"])
def test_pending_extension_lapses_whenever_the_case_leaves_handling(world, flow, leave):
    case, req = pending_request(world, flow)
    if leave == "return":
        s.case_return(actor=world.dept_handler, case_id=case.pk, reason="非本单位职责")
    elif leave == "withdraw":
        s.case_withdraw(actor=world.street_dispatcher, case_id=case.pk, reason="诉求人撤回")
    else:
        s.case_escalate(actor=world.street_dispatcher, case_id=case.pk, reason="需会商")
    req.refresh_from_db()
    assert req.state == ExtensionState.LAPSED
    assert inbox_for(world.street_dispatcher)["extensions"]["count"] == 0
    assert inbox_for(world.district_admin)["extensions"]["count"] == 0


def test_steps_inside_handling_keep_the_request_pending(world, flow):
    case, req = pending_request(world, flow)
    s.case_add_progress(actor=world.dept_handler, case_id=case.pk, note="已联系施工队")
    s.case_supervise(actor=world.leader, case_id=case.pk, notice="请加快")
    assert ExtensionRequest.objects.get(pk=req.pk).state == ExtensionState.PENDING
    s.case_approve_extension(actor=world.street_dispatcher, case_id=case.pk, extension_id=req.pk)
    assert ExtensionRequest.objects.get(pk=req.pk).state == ExtensionState.APPROVED


def test_a_notification_reads_in_its_readers_language(client, world, flow, cats, django_capture_on_commit_callbacks):
    """The notice keeps its parts (action, case, the note as written) and is rendered when read, in the reader's
    language — the page's (cookie) and the API's (Accept-Language) — not in the language it was written in."""
    from django.test import Client

    from civicloop.testing import PASSWORD

    with django_capture_on_commit_callbacks(execute=True):
        case = flow.register()
        s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
        s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.housing.pk,
                        note="请尽快处理")
    stored = mine(world.dept_handler, case=case, kind=Action.DISPATCH).get()
    assert stored.note == "请尽快处理"  # no sentence stored, only its parts
    code = case.tracking_code

    client.login(username=world.dept_handler.username, password=PASSWORD)
    assert f"工单 {code}：派单 — 请尽快处理" in client.get("/cases/notifications/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/cases/notifications/").content.decode()
    assert f"Case {code}: Dispatch — 请尽快处理" in english and f"工单 {code}" not in english
    assert f"Case {code}: Dispatch" in client.get("/").content.decode()  # the home page's unread notices

    api = Client()
    api.login(username=world.dept_handler.username, password=PASSWORD)
    [en] = api.get("/api/cases/notifications", HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    [zh] = api.get("/api/cases/notifications", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["items"]
    assert en["text"] == f"Case {code}: Dispatch — 请尽快处理" and zh["text"] == f"工单 {code}：派单 — 请尽快处理"

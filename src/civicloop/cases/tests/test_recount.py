"""Issue 11, "Deadlines in years the calendar does not know", the last part: when an administrator confirms a year
or loads the State Council's arrangement for it, every open case whose deadline was counted over that year is
counted again on the now-official calendar — the `recount` step by the system, with its event, its timeline line
and its replay; extensions granted and dates a meeting decided are kept; closed cases are left alone; running
it again changes nothing. The hook runs through core.registry (workdays imports nothing of cases)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases import tasks
from civicloop.cases.constants import Action, CaseState
from civicloop.cases.events import snapshot
from civicloop.cases.models import Case, CaseEvent, Notification
from civicloop.cases.replay import replay_case
from civicloop.cases.services.deadlines import cases_recount
from civicloop.core import registry
from civicloop.testing import PASSWORD
from civicloop.workdays.calendar import SHANGHAI
from civicloop.workdays.services import calendar_year_confirm, calendar_year_load

pytestmark = pytest.mark.django_db

DISPATCHED = dt.datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI)  # a Sunday
ARRANGEMENT_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用）
2027-01-01..2027-01-03 休 元旦
2027-01-09 班 元旦调休   # Saturday 9 January made a working day
2027-02-05..2027-02-12 休 春节
"""
SOURCE = "国办发明电〔2026〕X号"


def _day(moment) -> dt.date:
    return timezone.localtime(moment, SHANGHAI).date()


@pytest.fixture
def at(monkeypatch):
    """Set the services' clock: `at(datetime)`."""
    def set_clock(moment: dt.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return set_clock


@pytest.fixture
def dispatched(world, cats, flow, at):
    """A case dispatched on Sunday 2026-12-20 with 15 working days: 2027-01-11, provisional (1 January is 元旦,
    computed from the rules; 1 January as a working day would have given 8 January)."""
    at(DISPATCHED)
    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.housing.pk, time_limit_days=15)
    case.refresh_from_db()
    assert _day(case.deadline) == dt.date(2027, 1, 11) and case.deadline_provisional
    return case


def _recounts(case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, action=Action.RECOUNT).order_by("seq"))


def test_confirming_2027_keeps_the_deadline_and_drops_the_mark(world, dispatched, at,
                                                               django_capture_on_commit_callbacks):
    at(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))
    version = dispatched.version
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_confirm(actor=world.district_admin, year=2027, source="已核对")
    case = Case.objects.get(pk=dispatched.pk)
    assert _day(case.deadline) == dt.date(2027, 1, 11) and not case.deadline_provisional
    assert case.state == CaseState.DISPATCHED and case.version == version + 1
    [event] = _recounts(case)
    assert event.actor_id is None and event.note == "2027 已核对"
    assert event.after == {"deadline_provisional": False, "version": version + 1}  # the deadline itself stayed
    assert replay_case(case) == snapshot(case)
    # nothing anyone has to do: the lead unit is not told
    assert not Notification.objects.filter(case=case, kind=Action.RECOUNT).exists()


def test_a_loaded_arrangement_moves_the_deadline_and_the_record_says_so(world, dispatched, at, client,
                                                                        django_capture_on_commit_callbacks):
    at(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))
    yellow_before = dispatched.yellow_at
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=world.district_admin, year=2027, text=ARRANGEMENT_2027, source=SOURCE)
    case = Case.objects.get(pk=dispatched.pk)
    # Saturday 9 January is a working day now: 4–8 January are the 10th–14th, the 9th is the 15th
    assert timezone.localtime(case.deadline, SHANGHAI) == dt.datetime(2027, 1, 9, 23, 59, 59, tzinfo=SHANGHAI)
    # yellow stays as 7 January begins (12 of 15 working days used), before the swapped day
    assert not case.deadline_provisional and case.yellow_at == yellow_before
    assert case.time_limit_days == 15  # the time limit is what it was
    [event] = _recounts(case)
    assert event.actor_id is None and event.note == f"2027 {SOURCE}"
    assert set(event.before) == {"deadline", "deadline_provisional", "version"}
    assert replay_case(case) == snapshot(case)

    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    html = client.get(f"/cases/{case.tracking_code}/").content.decode()
    assert "按2027年正式节假日安排重算期限：2027-01-11 → 2027-01-09" in html
    item = client.get(f"/api/cases/{case.pk}").json()
    assert item["timeline"][-1]["action"] == Action.RECOUNT and "2027-01-09" in item["timeline"][-1]["summary"]
    assert item["deadline_provisional"] is False
    # the deadline moved: the lead unit's handler is told
    notice = Notification.objects.select_related("case").get(case=case, kind=Action.RECOUNT, user=world.dept_handler)
    assert notice.text == f"工单 {case.tracking_code}：重算期限 — 2027 {SOURCE}"


def test_extensions_granted_are_kept(world, dispatched, at, django_capture_on_commit_callbacks):
    at(dt.datetime(2026, 12, 22, 9, 0, tzinfo=SHANGHAI))
    s.case_accept(actor=world.dept_handler, case_id=dispatched.pk)
    s.case_request_extension(actor=world.dept_handler, case_id=dispatched.pk, days=3, reason="需协调多方")
    s.case_approve_extension(actor=world.street_dispatcher, case_id=dispatched.pk)
    case = Case.objects.get(pk=dispatched.pk)
    assert _day(case.deadline) == dt.date(2027, 1, 14) and case.time_limit_days == 18 and case.deadline_provisional
    at(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=None, year=2027, text=ARRANGEMENT_2027)
    case.refresh_from_db()
    # the dispatch's 15 days end on Saturday 9 January now; the 3 granted days follow: 11, 12, 13 January
    assert _day(case.deadline) == dt.date(2027, 1, 13) and case.time_limit_days == 18
    assert case.state == CaseState.ACCEPTED and not case.deadline_provisional
    assert replay_case(case) == snapshot(case)


def test_a_date_a_meeting_decided_is_not_recounted(world, dispatched, at, django_capture_on_commit_callbacks):
    at(dt.datetime(2026, 12, 21, 9, 0, tzinfo=SHANGHAI))
    s.case_escalate(actor=world.street_dispatcher, case_id=dispatched.pk, reason="涉及多个部门")
    meeting = s.meeting_create(actor=world.consultation_staff, body_unit_id=world.consultation.pk,
                               date=dt.date(2026, 12, 21), title="协调会")
    item = s.meeting_agenda_add(actor=world.consultation_staff, meeting_id=meeting.pk, case_id=dispatched.pk)
    s.meeting_decide(actor=world.consultation_staff, item_id=item.pk, lead_unit_id=world.housing.pk,
                     measures="房管牵头", deadline=dt.date(2027, 1, 15))
    case = Case.objects.get(pk=dispatched.pk)
    assert case.deadline_provisional and case.time_limit_days == 18
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=None, year=2027, text=ARRANGEMENT_2027)
    case.refresh_from_db()
    # counted as a dispatch of 18 days it would be 14 January now; the meeting said 15 January
    assert _day(case.deadline) == dt.date(2027, 1, 15) and not case.deadline_provisional
    # the mark goes, and yellow moves: a working day more inside the decided span
    assert [e.after.keys() - {"version"} for e in _recounts(case)] == [{"deadline_provisional", "yellow_at"}]


def test_closed_cases_and_cases_outside_the_year_are_untouched(world, cats, flow, dispatched, at,
                                                               django_capture_on_commit_callbacks):
    at(dt.datetime(2026, 12, 21, 9, 0, tzinfo=SHANGHAI))
    s.case_accept(actor=world.dept_handler, case_id=dispatched.pk)
    s.case_resolve(actor=world.dept_handler, case_id=dispatched.pk, result="已清理", measures="通知物业")
    s.case_reply(actor=world.dept_handler, case_id=dispatched.pk, channel="phone", content="已处理")
    s.case_close(actor=world.street_dispatcher, case_id=dispatched.pk)
    at(dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
    early = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=early.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=early.pk, lead_unit_id=world.housing.pk, time_limit_days=15)
    rows = {c.pk: snapshot(c) for c in Case.objects.filter(pk__in=[dispatched.pk, early.pk])}
    at(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=None, year=2027, text=ARRANGEMENT_2027)
    assert {c.pk: snapshot(c) for c in Case.objects.filter(pk__in=rows)} == rows
    closed = Case.objects.get(pk=dispatched.pk)
    assert closed.state == CaseState.CLOSED and closed.deadline_provisional  # counted then, kept as it was
    assert not CaseEvent.objects.filter(action=Action.RECOUNT).exists()


def test_recounting_again_changes_nothing(world, dispatched, at, django_capture_on_commit_callbacks):
    at(dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=None, year=2027, text=ARRANGEMENT_2027, source=SOURCE)
    row = snapshot(Case.objects.get(pk=dispatched.pk))
    events = CaseEvent.objects.count()
    assert tasks.recount_for_year(year=2027, source=SOURCE) == 1  # one batch, run at once in tests
    assert cases_recount(year=2027, source=SOURCE, first_id=0, last_id=dispatched.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):  # confirming the loaded year again: announced again
        calendar_year_confirm(actor=None, year=2027, source=SOURCE)
    assert snapshot(Case.objects.get(pk=dispatched.pk)) == row and CaseEvent.objects.count() == events


def test_batches_split_the_candidates(world, cats, flow, dispatched, at, monkeypatch):
    at(DISPATCHED)
    more = [flow.register() for _ in range(2)]
    for case in more:
        s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
        s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.housing.pk,
                        time_limit_days=15)
    calendar_year_load(actor=None, year=2027, text=ARRANGEMENT_2027)  # not committed: nothing announced yet
    assert not CaseEvent.objects.filter(action=Action.RECOUNT).exists()
    enqueued = []
    monkeypatch.setattr(tasks, "RECOUNT_BATCH", 2)
    monkeypatch.setattr(tasks, "recount_deadlines", SimpleNamespace(enqueue=lambda **kw: enqueued.append(kw)))
    assert tasks.recount_for_year(year=2027, source="") == 2
    ids = sorted([dispatched.pk, *(c.pk for c in more)])
    assert [(b["first_id"], b["last_id"]) for b in enqueued] == [(ids[0], ids[1]), (ids[2], ids[2])]


def test_the_hook_is_declared_in_the_registry_and_workdays_does_not_import_cases():
    from pathlib import Path

    import civicloop.workdays

    assert tasks.recount_for_year in registry.calendar_listeners()
    root = Path(civicloop.workdays.__file__).parent
    sources = [p for p in root.rglob("*.py") if "tests" not in p.relative_to(root).parts]
    assert len(sources) > 5
    assert [p.name for p in sources if "civicloop.cases" in p.read_text() or "..cases" in p.read_text()] == []


def test_a_recount_is_not_offered_to_anyone(world, dispatched, client):
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    assert Action.RECOUNT not in client.get(f"/api/cases/{dispatched.pk}").json()["allowed_actions"]

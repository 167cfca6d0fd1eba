"""A deadline counted into a year whose holidays are not official yet says so (issue 11): on the row, in the
event log, in the API and on the pages; a deadline inside official years does not; yellow by working time."""

import datetime as dt

import pytest
from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.models import Case
from civicloop.cases.replay import replay_case
from civicloop.testing import PASSWORD
from civicloop.workdays.calendar import SHANGHAI, WorkCalendar
from civicloop.workdays.services import calendar_year_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(monkeypatch):
    """Set the services' clock: `at(datetime)`."""
    def set_clock(moment: dt.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return set_clock


def _dispatch(world, cats, flow, **kw) -> Case:
    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.housing.pk,
                    time_limit_days=15, **kw)
    return Case.objects.get(pk=case.pk)


def test_dispatched_on_20_december_2026_the_deadline_skips_new_year_and_is_provisional(world, cats, flow, at, client):
    at(dt.datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI))
    case = _dispatch(world, cats, flow)
    assert timezone.localtime(case.deadline, SHANGHAI) == dt.datetime(2027, 1, 11, 23, 59, 59, tzinfo=SHANGHAI)
    assert case.deadline_provisional
    assert replay_case(case)["deadline_provisional"] is True  # the event log carries it

    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    html = client.get(f"/cases/{case.tracking_code}/").content.decode()
    assert "2027-01-11 23:59" in html and "（暂定）" in html
    assert "（暂定）" in client.get("/cases/").content.decode()  # the open-cases list under the inbox
    item = client.get(f"/api/cases/{case.pk}").json()
    assert item["deadline_provisional"] is True
    listed = client.get("/api/cases/").json()["items"]
    assert [c["deadline_provisional"] for c in listed if c["id"] == case.pk] == [True]


def test_with_2027_loaded_the_same_dispatch_is_official_and_uses_the_swapped_day(world, cats, flow, at, client):
    calendar_year_load(actor=None, year=2027, text="2027-01-01..2027-01-03 休 元旦\n2027-01-09 班 元旦调休\n")
    at(dt.datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI))
    case = _dispatch(world, cats, flow)
    assert timezone.localtime(case.deadline, SHANGHAI).date() == dt.date(2027, 1, 9)
    assert not case.deadline_provisional
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    assert "（暂定）" not in client.get(f"/cases/{case.tracking_code}/").content.decode()


def test_an_extension_into_2027_becomes_provisional(world, cats, flow, at):
    at(dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI))
    case = _dispatch(world, cats, flow)
    assert not case.deadline_provisional  # 23 Nov 2026
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=30, reason="需协调多方，申请延期。")
    s.case_approve_extension(actor=world.street_dispatcher, case_id=case.pk)
    case.refresh_from_db()
    assert case.deadline.year == 2027 and case.deadline_provisional


def test_dispatched_before_national_day_turns_yellow_on_a_working_day(world, cats, flow, at):
    at(dt.datetime(2026, 9, 25, 15, 0, tzinfo=SHANGHAI))
    case = _dispatch(world, cats, flow)
    assert timezone.localtime(case.deadline, SHANGHAI).date() == dt.date(2026, 10, 22)
    yellow = timezone.localtime(case.yellow_at, SHANGHAI)
    assert yellow == dt.datetime(2026, 10, 20, tzinfo=SHANGHAI)
    assert WorkCalendar().is_workday(yellow.date()) and not case.deadline_provisional

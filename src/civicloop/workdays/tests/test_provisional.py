"""Years the official calendar does not know: holidays computed from the national rules, deadlines marked
provisional until an administrator confirms the year or loads its arrangement; yellow by working time."""

import datetime as dt

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicloop.core.errors import CivicError
from civicloop.core.models import AuditLog
from civicloop.workdays.calendar import LAST_OFFICIAL_YEAR, SHANGHAI, WorkCalendar, deadline_for, is_workday
from civicloop.workdays.holidays import RULES_SINCE, statutory_holidays
from civicloop.workdays.models import CalendarDay, CalendarYear
from civicloop.workdays.services import arrangement_parse, calendar_year_confirm, calendar_year_load

D = dt.date
pytestmark = pytest.mark.django_db

DISPATCHED = dt.datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI)  # a Sunday
ARRANGEMENT_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用）
2027-01-01..2027-01-03 休 元旦
2027-01-09 班 元旦调休   # a Saturday made a working day
2027-02-05..2027-02-12 休 春节
"""


def test_the_rules_agree_with_the_official_years_they_cover():
    # Every statutory day (and 补假 day) computed for a year chinesecalendar knows is a day off there.
    for year in range(RULES_SINCE, LAST_OFFICIAL_YEAR + 1):
        computed = statutory_holidays(year)
        assert len(computed) >= 13
        assert [day for day in computed if chinese_calendar.is_workday(day)] == []


def test_2027_holidays_from_the_rules():
    days = statutory_holidays(2027)
    assert days[D(2027, 1, 1)] == "元旦"
    # 春节 4 days from 除夕 (5 Feb 2027); 初一 and 初二 fall on the weekend → two 补假 days after the run
    assert [d for d, name in days.items() if name == "春节"] == [D(2027, 2, d) for d in (5, 6, 7, 8)]
    assert days[D(2027, 2, 9)] == days[D(2027, 2, 10)] == "春节补假"
    assert days[D(2027, 4, 5)] == "清明节" and days[D(2027, 6, 9)] == "端午节" and days[D(2027, 9, 15)] == "中秋节"
    assert {D(2027, 5, 1), D(2027, 5, 2), D(2027, 10, 1), D(2027, 10, 2), D(2027, 10, 3)} <= set(days)
    assert not is_workday(D(2027, 1, 1)) and not is_workday(D(2027, 2, 9)) and is_workday(D(2027, 2, 11))


def test_a_deadline_into_2027_skips_new_year_and_is_provisional():
    cal = WorkCalendar()
    deadline = deadline_for(DISPATCHED, 15, calendar=cal)
    # 21–25, 28–31 Dec (9), 1 Jan off, 4–8 Jan (14), 11 Jan (15) — not 8 Jan as with 1 Jan a working day
    assert deadline == dt.datetime(2027, 1, 11, 23, 59, 59, tzinfo=SHANGHAI)
    assert cal.provisional(DISPATCHED, deadline)
    assert not cal.provisional(DISPATCHED, deadline_for(DISPATCHED, 5))  # ends 25 Dec 2026: official


def test_a_loaded_arrangement_with_a_swapped_day_changes_the_deadline_and_confirms_the_year():
    calendar_year_load(actor=None, year=2027, text=ARRANGEMENT_2027, source="国办发明电〔2026〕X号")
    cal = WorkCalendar()
    deadline = deadline_for(DISPATCHED, 15, calendar=cal)
    # Saturday 9 Jan is a working day now: 4–8 Jan (14), 9 Jan (15)
    assert deadline == dt.datetime(2027, 1, 9, 23, 59, 59, tzinfo=SHANGHAI)
    assert not cal.provisional(DISPATCHED, deadline)
    assert CalendarDay.objects.filter(date__year=2027).count() == 3 + 1 + 8
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕X号"
    assert AuditLog.objects.filter(action="calendar_year_load", object_id="2027").exists()


def test_loading_again_replaces_the_years_days():
    calendar_year_load(actor=None, year=2027, text=ARRANGEMENT_2027)
    calendar_year_load(actor=None, year=2027, text="2027-01-01 休 元旦\n")
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [D(2027, 1, 1)]
    assert is_workday(D(2027, 2, 11))  # the earlier file's 春节 days are gone


def test_confirming_keeps_the_computed_holidays_and_drops_the_mark(world):
    cal = WorkCalendar()
    assert cal.is_provisional_year(2027) and not cal.is_provisional_year(LAST_OFFICIAL_YEAR)
    calendar_year_confirm(actor=world.district_admin, year=2027, source="已核对")
    cal = WorkCalendar()
    assert not cal.is_provisional_year(2027) and cal.is_provisional_year(2028)
    assert deadline_for(DISPATCHED, 15, calendar=cal).date() == D(2027, 1, 11)
    assert CalendarYear.objects.get(year=2027).confirmed_by == world.district_admin


def test_an_official_year_needs_no_confirmation():
    with pytest.raises(CivicError):
        calendar_year_confirm(actor=None, year=LAST_OFFICIAL_YEAR, source="")


@pytest.mark.parametrize(("text", "reason"), [
    ("2027-01-01 放 元旦", "第1行格式不对"),
    ("\n2027-02-30 休 x", "第2行格式不对"),
    ("2027-01-03..2027-01-01 休 x", "第1行格式不对"),
    ("2028-01-01 休 元旦", "第1行的日期不在2027年"),
    ("2027-01-01 休 元旦\n2026-12-31..2027-01-02 休 元旦", "第2行的日期不在2027年"),
    ("2027-01-01..2027-01-03 休 元旦\n2027-01-02 班 x", "第2行：2027-01-02 重复"),
    ("# only a comment", "安排中没有日期"),
])
def test_a_bad_arrangement_names_the_line_and_writes_nothing(text, reason):
    with pytest.raises(CivicError) as exc:
        calendar_year_load(actor=None, year=2027, text=text)
    assert reason in exc.value.message
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_arrangement_parse_reads_runs_swaps_and_names():
    days = arrangement_parse(ARRANGEMENT_2027, year=2027)
    assert days[0] == (D(2027, 1, 1), False, "元旦")
    assert (D(2027, 1, 9), True, "元旦调休") in days


def test_the_command_shows_confirms_and_loads(tmp_path, capsys):
    call_command("calendar_year", "2027")
    out = capsys.readouterr().out
    assert "暂定" in out and "2027-01-01 元旦" in out
    path = tmp_path / "2027.txt"
    path.write_text(ARRANGEMENT_2027, encoding="utf-8")
    call_command("calendar_year", "2027", "--load", str(path), "--source", "通知")
    out = capsys.readouterr().out
    assert "已确认" in out and "2027-01-09 班 元旦调休" in out
    call_command("calendar_year", "2028", "--confirm")
    assert CalendarYear.objects.filter(year=2028).exists()
    with pytest.raises(CommandError, match="已有官方安排"):
        call_command("calendar_year", str(LAST_OFFICIAL_YEAR), "--confirm")


class TestYellowByWorkingTime:
    """Yellow is YELLOW_SHARE (80 %) of the working days, inside a working day — not 80 % of calendar time."""

    NATIONAL_DAY_EVE = dt.datetime(2026, 9, 25, 15, 0, tzinfo=SHANGHAI)  # a Friday, before 1–7 Oct off

    def test_fifteen_days_from_25_september(self):
        from civicloop.cases.changes import yellow_at

        cal = WorkCalendar()
        deadline = deadline_for(self.NATIONAL_DAY_EVE, 15, calendar=cal)
        assert deadline.date() == D(2026, 10, 22)
        # 12 of 15 working days used at the end of Mon 19 Oct: yellow as Tue 20 Oct (the 13th) begins
        assert yellow_at(self.NATIONAL_DAY_EVE, deadline, cal) == dt.datetime(2026, 10, 20, tzinfo=SHANGHAI)

    def test_five_days_from_25_september_no_longer_turn_yellow_in_the_holiday(self):
        from civicloop.cases.changes import yellow_at

        cal = WorkCalendar()
        deadline = deadline_for(self.NATIONAL_DAY_EVE, 5, calendar=cal)  # 28, 29, 30 Sep, 8, 9 Oct
        calendar_rule = self.NATIONAL_DAY_EVE + (deadline - self.NATIONAL_DAY_EVE) * 0.8
        assert not is_workday(calendar_rule.date())  # what the calendar-time rule gave: inside 1–7 Oct
        yellow = yellow_at(self.NATIONAL_DAY_EVE, deadline, cal)
        assert yellow == dt.datetime(2026, 10, 9, tzinfo=SHANGHAI) and is_workday(yellow.date())

    def test_one_day_turns_yellow_at_four_fifths_of_it(self):
        from civicloop.cases.changes import yellow_at

        cal = WorkCalendar()
        start = dt.datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI)
        deadline = deadline_for(start, 1, calendar=cal)  # Thu 8 Oct
        assert yellow_at(start, deadline, cal) == dt.datetime(2026, 10, 8, 19, 12, tzinfo=SHANGHAI)

    @pytest.mark.parametrize("days", [1, 2, 3, 5, 10, 15, 20, 37])
    def test_always_inside_a_working_day_and_before_the_deadline(self, days):
        from civicloop.cases.changes import yellow_at

        cal = WorkCalendar()
        for offset in range(0, 60, 3):
            start = self.NATIONAL_DAY_EVE + dt.timedelta(days=offset)
            deadline = deadline_for(start, days, calendar=cal)
            yellow = yellow_at(start, deadline, cal)
            assert start < yellow < deadline
            assert cal.is_workday(yellow.astimezone(SHANGHAI).date())

    def test_a_deadline_on_the_day_itself_keeps_the_calendar_share(self):
        from civicloop.cases.changes import yellow_at

        start = dt.datetime(2026, 10, 8, 8, 0, tzinfo=SHANGHAI)
        deadline = dt.datetime(2026, 10, 8, 18, 0, tzinfo=SHANGHAI)
        assert yellow_at(start, deadline, WorkCalendar()) == dt.datetime(2026, 10, 8, 16, 0, tzinfo=SHANGHAI)


def test_the_admin_confirms_a_year_through_the_service(client, world):
    from civicloop.testing import PASSWORD, make_user

    root = make_user("root", None, superuser=True)
    assert client.login(username="root", password=PASSWORD)
    response = client.post("/admin/workdays/calendaryear/add/", {"year": 2027, "source": "已核对"})
    assert response.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert row.confirmed_by == root and row.source == "已核对"
    assert AuditLog.objects.filter(action="calendar_year_confirm", object_id="2027", user=root).exists()
    response = client.post("/admin/workdays/calendaryear/add/", {"year": LAST_OFFICIAL_YEAR, "source": ""})
    assert response.status_code == 200 and "已有官方安排" in response.content.decode()
    assert not CalendarYear.objects.filter(year=LAST_OFFICIAL_YEAR).exists()

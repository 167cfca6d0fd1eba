"""The demo's volunteers: members registered per community with a year of hours; the done-when flow (a volunteer
signs up, checks in and out, the community's hours grow by the shift); the same seed gives the same ledger;
`demo --reset` leaves nothing of them."""

import datetime as dt

import pytest
from django.db.models import Sum

from civicloop.cases import demo as cases_demo
from civicloop.demo.generator import district_reset, generate, preset_district
from civicloop.orgs.models import User
from civicloop.volunteers.models import (
    HoursEntry,
    Member,
    MemberYearHours,
    RecognitionRule,
    ServiceNeed,
    SignUp,
)
from civicloop.volunteers.selectors import board_for, recognition_for

SCALE = 0.005
END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_world(monkeypatch):
    monkeypatch.setattr(cases_demo, "cases_end", lambda: END)
    monkeypatch.setenv("CIVICLOOP_DEMO_CASES_PER_SCALE", "2000")


def ledger(d):
    return list(HoursEntry.objects.filter(district=d).order_by("day", "hours", "community__code")
                .values_list("day", "hours", "community__code"))


def test_a_year_of_hours_and_the_done_when_flow(client):
    stats = generate("xuhui", scale=SCALE, seed=1, apps=["volunteers"])
    d = preset_district("xuhui")
    members = Member.objects.filter(district=d)
    assert members.filter(kind="volunteer").exists() and members.filter(kind="party_member").exists()
    assert all(m.unit_id for m in members.filter(kind="party_member"))
    days = HoursEntry.objects.filter(district=d).values_list("day", flat=True)
    assert max(days) - min(days) > dt.timedelta(days=300)  # a year of hours
    assert ServiceNeed.objects.filter(district=d, state="open").exists()
    grid = User.objects.select_related("unit").get(username="tpl_c01_grid")
    community = grid.unit.territory_id
    shift = SignUp.objects.get(need__title="楼道堆物清理志愿服务")
    assert shift.state == "checked_out" and shift.hours == 2 and shift.member.community_id == community
    total = HoursEntry.objects.filter(community_id=community).aggregate(h=Sum("hours"))["h"]
    assert total >= shift.hours
    board = board_for(grid, year=shift.check_in_at.year)
    assert board.hours == sum(e.hours for e in HoursEntry.objects.filter(community_id=community,
                                                                          day__year=shift.check_in_at.year))
    admin = User.objects.get(username="xh_admin")
    rule = RecognitionRule.objects.get(district=d, name="最美志愿者")
    _rule, listed = recognition_for(admin, rule.pk, year=2026)
    assert all(r.hours >= rule.min_hours for r, _m in listed)
    assert stats.counts["volunteers.hours_entry"] == HoursEntry.objects.filter(district=d).count()
    # the members' year totals (bulk history rebuilt, the done-when shift added by the check-out) equal the ledger
    sums: dict = {}
    for member_id, day, hours in HoursEntry.objects.filter(district=d).values_list("member_id", "day", "hours"):
        sums[(member_id, day.year)] = sums.get((member_id, day.year), 0) + hours
    assert sums and {(m, y): h for m, y, h in MemberYearHours.objects.filter(district=d).values_list(
        "member_id", "year", "hours")} == sums
    client.force_login(grid)
    assert client.get("/volunteers/").status_code == 200
    first = ledger(d)
    district_reset(d)
    assert not Member.objects.exists() and not HoursEntry.objects.exists() and not RecognitionRule.objects.exists()
    assert not MemberYearHours.objects.exists()
    generate("xuhui", scale=SCALE, seed=1, apps=["volunteers"])
    assert ledger(preset_district("xuhui")) == first

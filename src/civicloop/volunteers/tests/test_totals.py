"""The members' year totals (`MemberYearHours`) kept beside the ledger: after check-outs, corrections (one moving a
shift into the year before), a rebuild and the migration's data step they equal the ledger's sums; the board, the
hours per unit and the recognition lists read them and show what the ledger sums to; the board's statements do not
grow with the members."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from civicloop.core.errors import CivicError
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit, User
from civicloop.volunteers import services as s
from civicloop.volunteers.constants import MemberKind
from civicloop.volunteers.models import HoursEntry, MemberYearHours
from civicloop.volunteers.selectors import board_for, member_hours, recognition_for, unit_hours_for
from civicloop.volunteers.testing import make_member, make_need
from civicloop.workdays.calendar import SHANGHAI

YEAR = 2026


def ledger_sums(**where) -> dict:
    """{(member, year): hours} summed from the ledger itself (what the totals must equal)."""
    sums: dict = {}
    for member, day, hours in HoursEntry.objects.filter(**where).values_list("member_id", "day", "hours"):
        sums[(member, day.year)] = sums.get((member, day.year), Decimal("0")) + hours
    return sums


def totals(**where) -> dict:
    return {(m, y): h for m, y, h in MemberYearHours.objects.filter(**where).values_list("member_id", "year", "hours")}


def shift(world, member, start: dt.datetime, minutes: int, *, actor=None):
    """A checked-out shift of `member` starting at `start` (Shanghai), `minutes` long, through the services."""
    actor = actor or world.committee_worker
    end = start + dt.timedelta(minutes=minutes)
    need = make_need(world, starts_in=dt.timedelta(0), hours=max(1, minutes // 60 + 1), community=member.community,
                     actor=actor, now=start)
    signup = s.signup_create(actor=actor, need_id=need.pk, member_id=member.pk, now=start)
    s.signup_check_in(actor=actor, signup_id=signup.pk, at=start, now=start)
    return s.signup_check_out(actor=actor, signup_id=signup.pk, at=end, now=end)


@pytest.fixture
def agencies(world):
    return [Unit.objects.create(code=f"U-P{k}", name=f"区机关{k}党委", kind=UnitKind.PARTY_ORG, district=world.district)
            for k in range(2)]


@pytest.fixture
def street(world, agencies):
    """Members of both communities of street A (a third party members of two agencies) with shifts in two years."""
    admin = world.district_admin
    members = []
    for i in range(9):
        community = world.comm_a1 if i % 2 == 0 else world.comm_a2
        party = i % 3 == 0
        members.append(make_member(world, name=f"志愿{i}", phone=f"139000001{i:02d}", community=community,
                                   kind=MemberKind.PARTY_MEMBER if party else MemberKind.VOLUNTEER,
                                   unit=agencies[i % 2] if party else None, actor=admin))
    for i, m in enumerate(members):
        for k in range(i % 4 + 1):
            shift(world, m, dt.datetime(YEAR, 3 + k, 1 + i, 9, tzinfo=SHANGHAI), 45 + 15 * i + 10 * k, actor=admin)
        if i % 3 == 1:
            shift(world, m, dt.datetime(YEAR - 1, 11, 2, 9, tzinfo=SHANGHAI), 120, actor=admin)  # the year before
    return members


def test_check_outs_keep_the_totals_equal_to_the_ledger(world, street):
    assert totals() == ledger_sums()
    assert {y for _m, y in totals()} == {YEAR - 1, YEAR}
    total = MemberYearHours.objects.get(member=street[8], year=YEAR)
    assert (total.street_id, total.community_id, total.unit_id) == (world.street_a.pk, world.comm_a1.pk, None)
    party = MemberYearHours.objects.get(member=street[3], year=YEAR)
    assert party.unit_id == street[3].unit_id is not None


def test_corrections_keep_the_totals_equal_to_the_ledger_even_across_a_year(world):
    m = make_member(world)
    start = dt.datetime(YEAR, 1, 1, 0, 30, tzinfo=SHANGHAI)
    signup = shift(world, m, start, 60)
    other = shift(world, m, dt.datetime(YEAR, 1, 2, 9, tzinfo=SHANGHAI), 90)
    now = dt.datetime(YEAR, 1, 3, 12, tzinfo=SHANGHAI)
    # the same day: the difference
    s.signup_correct(actor=world.committee_worker, signup_id=other.pk, check_in_at=other.check_in_at,
                     check_out_at=other.check_in_at + dt.timedelta(minutes=135), reason="签退漏记", now=now)
    assert totals() == ledger_sums() == {(m.pk, YEAR): Decimal("3.25")}
    # the check-in was really the evening before: the hours move into the year before
    s.signup_correct(actor=world.committee_worker, signup_id=signup.pk,
                     check_in_at=dt.datetime(YEAR - 1, 12, 31, 23, tzinfo=SHANGHAI),
                     check_out_at=dt.datetime(YEAR, 1, 1, 1, 15, tzinfo=SHANGHAI), reason="日期录错", now=now)
    assert totals() == ledger_sums() == {(m.pk, YEAR): Decimal("2.25"), (m.pk, YEAR - 1): Decimal("2.25")}
    hours = member_hours(m, year=YEAR)
    assert hours["by_year"] == [(YEAR, Decimal("2.25")), (YEAR - 1, Decimal("2.25"))]
    assert hours["all_hours"] == Decimal("4.50") and len(hours["entries"]) == 4  # this year's ledger rows
    # a correction refused changes neither
    with pytest.raises(CivicError):  # a check-out before the check-in
        s.signup_correct(actor=world.committee_worker, signup_id=other.pk, check_in_at=other.check_in_at,
                         check_out_at=other.check_in_at - dt.timedelta(minutes=5), reason="错", now=now)
    assert totals() == ledger_sums()


def test_the_rebuild_and_the_migrations_data_step_give_the_same_totals(world, street):
    kept = totals()
    assert s.totals_rebuild(district_id=world.district.pk) == len(kept)
    assert totals() == kept == ledger_sums()
    MemberYearHours.objects.all().delete()
    step = importlib.import_module("civicloop.volunteers.migrations.0002_member_year_hours")
    step.fill_totals(apps, None)
    assert totals() == kept
    filled = MemberYearHours.objects.get(member=street[3], year=YEAR)
    assert (filled.district_id, filled.street_id, filled.unit_id) == (
        world.district.pk, world.street_a.pk, street[3].unit_id)


def test_the_board_shows_what_the_ledger_sums_to(world, street, agencies):
    board = board_for(world.street_dispatcher, place_id=world.street_a.pk, year=YEAR)
    year = {"day__gte": dt.date(YEAR, 1, 1), "day__lt": dt.date(YEAR + 1, 1, 1)}
    per_community = dict(HoursEntry.objects.filter(street=world.street_a, **year).values_list("community_id")
                         .annotate(h=Sum("hours")).values_list("community_id", "h"))
    assert {r.place.pk: r.hours for r in board.rows} == {c: Decimal(h) for c, h in per_community.items()}
    assert board.hours == sum(HoursEntry.objects.filter(**year).values_list("hours", flat=True))
    per_member = {m: h for (m, y), h in ledger_sums().items() if y == YEAR}
    ranked = sorted(per_member.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert [(m.pk, m.year_hours) for m in board.top] == ranked
    per_unit: dict = {}
    for e in HoursEntry.objects.filter(unit__isnull=False, **year):
        h, people = per_unit.get(e.unit_id, (Decimal("0"), set()))
        per_unit[e.unit_id] = (h + e.hours, people | {e.member_id})
    names = {u.pk: u.name for u in agencies}
    assert board.units == [(names[u], h, len(p)) for u, (h, p) in
                           sorted(per_unit.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    assert [(u["unit_name"], u["hours"], u["members"]) for u in unit_hours_for(world.district_admin, year=YEAR)] \
        == board.units
    # a community's board: its own members only; the committee sees its community
    mine = board_for(world.committee_worker, year=YEAR)
    assert mine.hours == per_community[world.comm_a1.pk]
    # the year before
    before = board_for(world.street_dispatcher, place_id=world.street_a.pk, year=YEAR - 1)
    assert before.hours == sum(h for (_m, y), h in ledger_sums().items() if y == YEAR - 1) == Decimal("6.00")


def test_recognition_reads_the_totals(world, street):
    rule = s.rule_save(actor=world.district_admin, name="最美志愿者", top_n=3, min_hours=Decimal("1"))
    _rule, listed = recognition_for(world.district_admin, rule.pk, year=YEAR)
    per_member = {m: h for (m, y), h in ledger_sums().items() if y == YEAR and h >= 1}
    best = sorted(per_member.values(), reverse=True)[:3]
    assert [r.hours for r, _m in listed][:3] == best
    assert all(r.hours == per_member[m.pk] for r, m in listed)
    party = s.rule_save(actor=world.district_admin, name="优秀报到党员", kind=MemberKind.PARTY_MEMBER, top_n=10,
                        min_hours=Decimal("0"))
    _rule, listed = recognition_for(world.district_admin, party.pk, year=YEAR)
    assert {m.pk for _r, m in listed} == {m.pk for m in street if m.kind == MemberKind.PARTY_MEMBER}


def test_the_boards_statements_do_not_grow_with_the_members(world, agencies, django_assert_max_num_queries):
    admin = world.district_admin
    a = make_member(world, name="甲", phone="13900000201", actor=admin)
    shift(world, a, dt.datetime(YEAR, 5, 1, 9, tzinfo=SHANGHAI), 60, actor=admin)
    viewer = User.objects.get(pk=world.street_dispatcher.pk)  # a fresh request's user each time (scope read again)
    with CaptureQueriesContext(connection) as few:
        board_for(viewer, place_id=world.street_a.pk, year=YEAR)
    for i in range(12):
        m = make_member(world, name=f"乙{i}", phone=f"139000003{i:02d}", community=world.comm_a2, actor=admin,
                        kind=MemberKind.PARTY_MEMBER, unit=agencies[i % 2])
        shift(world, m, dt.datetime(YEAR, 6, 1 + i, 9, tzinfo=SHANGHAI), 60 + i, actor=admin)
    viewer = User.objects.get(pk=world.street_dispatcher.pk)
    with CaptureQueriesContext(connection) as many:
        board = board_for(viewer, place_id=world.street_a.pk, year=YEAR)
    assert len(board.top) == 10 and len(many) == len(few)
    assert not any("volunteers_hoursentry" in q["sql"] for q in many.captured_queries)  # never the ledger
    with django_assert_max_num_queries(10):
        board_for(world.district_admin, year=YEAR)

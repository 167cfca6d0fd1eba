"""Coverage against a small world counted by hand: the arithmetic, the unvisited lists agreeing with every count,
scope, and bounded queries.

The world (targets: key-group households and every enterprise 100 %, other households 30 %):

    street A, community A1, team 1: h1 key (visited 03-02 and again 03-05), h2 key, h3 other (03-02), h4 other,
                                    e1 key enterprise (03-03)
    street A, community A2, team 2: h5 key (03-03), h6 other
    street B, community B1, team 2: h7 key, h8 other (03-05), h9 other
    street B, no community, no team: e2 other enterprise

Unvisited key-group subjects: h2 (A1, team 1) and h7 (B1, team 2).
"""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from civicloop.core.errors import CivicError
from civicloop.places.models import Enterprise, Household, Tag
from civicloop.visits import selectors
from civicloop.visits.constants import SubjectGroup, VisitMethod, VisitSatisfaction
from civicloop.visits.coverage import SORTS, Area, CoverageRow, days_series, target_of
from civicloop.visits.models import Subject, Visit
from civicloop.visits.testing import make_campaign, make_party_org, make_subject, make_team

D = dt.date
TODAY = D(2026, 3, 5)


def _household(world, community, room: str, *, tag: str | None = None, address: str = "", lat=None) -> Household:
    building = Household.objects.filter(community=community).order_by("pk").first().building
    h = Household.objects.create(code=f"{building.code}-{room}", district=world.district, street=community.street,
                                 community=community, building=building, room=room,
                                 address=address or f"{community.name}1号楼{room}室", head_name="李四",
                                 head_phone="13912345678", lat=lat, lng=121.43 if lat else None)
    if tag:
        h.tags.add(Tag.objects.get(code=tag))
    return h


def visit(subject: Subject, day: dt.date, user) -> Visit:
    """A visit row, and the subject's first visit and count kept as the records service keeps them."""
    v = Visit.objects.create(client_id=uuid.uuid4(), campaign=subject.campaign, subject=subject, team=subject.team,
                             district=subject.district, street=subject.street, community=subject.community,
                             household=subject.household, enterprise=subject.enterprise, visited_on=day,
                             method=VisitMethod.DOOR, summary="走访", satisfaction=VisitSatisfaction.SATISFIED,
                             recorded_by=user, recorded_at=timezone.now())
    subject.first_visited_on = min(filter(None, [subject.first_visited_on, day]))
    subject.visits_count += 1
    subject.save(update_fields=["first_visited_on", "visits_count"])
    return v


def build_coverage_world(world) -> SimpleNamespace:
    campaign = make_campaign(world)
    org = make_party_org(world)
    team1 = make_team(campaign, org, name="第一走访组")
    team2 = make_team(campaign, org, name="第二走访组")
    a1, a2, b1 = world.comm_a1, world.comm_a2, world.comm_b1
    hh = {
        "h1": (_household(world, a1, "201", tag="elderly_alone", lat=31.18), team1),
        "h2": (_household(world, a1, "202", tag="dibao", address="甲街道1号楼202室 电话13912345678"), team1),
        "h3": (_household(world, a1, "203"), team1),
        "h4": (_household(world, a1, "204"), team1),
        "h5": (_household(world, a2, "205", tag="disabled"), team2),
        "h6": (_household(world, a2, "206"), team2),
        "h7": (_household(world, b1, "207", tag="hardship"), team2),
        "h8": (_household(world, b1, "208"), team2),
        "h9": (_household(world, b1, "209"), team2),
    }
    e1 = Enterprise.objects.create(credit_code="91310104MA1FC00001", name="甲科技有限公司", district=world.district,
                                   street=world.street_a, community=a1, contact_name="王五", contact_phone="13800001111")
    e1.tags.add(Tag.objects.get(code="key_enterprise"))
    e2 = Enterprise.objects.create(credit_code="91310104MA1FC00002", name="乙贸易有限公司", district=world.district,
                                   street=world.street_b)
    s = {name: make_subject(campaign, obj, team) for name, (obj, team) in hh.items()}
    s["e1"] = make_subject(campaign, e1, team1)
    s["e2"] = make_subject(campaign, e2, None)
    member1 = team1.members.get(recorder=True).user
    member2 = team2.members.get(recorder=True).user
    for name, day, who in (("h1", D(2026, 3, 2), member1), ("h3", D(2026, 3, 2), member1),
                           ("h5", D(2026, 3, 3), member2), ("e1", D(2026, 3, 3), member1),
                           ("h1", D(2026, 3, 5), member1), ("h8", D(2026, 3, 5), member2)):
        visit(s[name], day, who)
    return SimpleNamespace(campaign=campaign, team1=team1, team2=team2, member1=member1, member2=member2, s=s)


@pytest.fixture
def cw(world):
    return build_coverage_world(world)


def _numbers(row: CoverageRow) -> tuple:
    return row.subjects, row.visited, row.target, row.met, row.key_unvisited


# ----- arithmetic


def test_target_is_the_ceiling_of_the_percent_in_integers():
    assert [target_of(30, n) for n in (0, 1, 3, 10, 11)] == [0, 1, 1, 3, 4]
    assert target_of(100, 7) == 7
    assert target_of(150, 7) == 7 and target_of(-5, 7) == 0  # a stored percent out of range is clamped


def test_coverage_by_group_street_community_team_against_the_hand_count(world, cw):
    cov = selectors.coverage_for(world.district_admin, cw.campaign.pk)
    assert _numbers(cov.total) == (11, 5, 8, False, 2)
    groups = {r.key: (*_numbers(r), r.percent) for r in cov.groups}
    assert groups == {
        SubjectGroup.HOUSEHOLD_KEY: (4, 2, 4, False, 2, 100),
        SubjectGroup.HOUSEHOLD_OTHER: (5, 2, 2, True, 0, 30),
        SubjectGroup.ENTERPRISE_KEY: (1, 1, 1, True, 0, 100),
        SubjectGroup.ENTERPRISE_OTHER: (1, 0, 1, False, 0, 100),
    }
    assert [(r.label, *_numbers(r)) for r in cov.streets] == [
        (world.street_a.name, 7, 4, 5, False, 1),
        (world.street_b.name, 4, 1, 3, False, 1),
    ]
    assert [(r.key, *_numbers(r)) for r in cov.communities] == [
        (world.comm_a1.pk, 5, 3, 4, False, 1),
        (world.comm_a2.pk, 2, 1, 2, False, 0),
        (world.comm_b1.pk, 3, 1, 2, False, 1),
        (None, 1, 0, 1, False, 0),  # the enterprise without a community, last
    ]
    assert [r.street_id for r in cov.communities] == [world.street_a.pk, world.street_a.pk, world.street_b.pk,
                                                      world.street_b.pk]
    assert [(r.label, *_numbers(r)) for r in cov.teams] == [
        ("第一走访组", 5, 3, 4, False, 1),
        ("第二走访组", 5, 2, 3, False, 1),
        ("未分配走访组", 1, 0, 1, False, 0),
    ]
    assert cov.streets[0].rate == pytest.approx(4 / 7)


def test_a_row_is_met_only_when_each_of_its_groups_is():
    row = CoverageRow(None, "", targets={"household_key": 100, "household_other": 30})
    row.add("household_key", 2, 1)
    row.add("household_other", 10, 10)
    assert row.visited >= row.target and not row.met  # ordinary visits do not make up for a key household
    row.add("household_key", 0, 1)
    assert row.met


def test_progress_by_day_with_the_cumulative_count(world, cw):
    progress = selectors.progress_for(world.district_admin, cw.campaign.pk, today=TODAY)
    assert (progress.subjects, progress.target) == (11, 8)
    assert [(d.day.day, d.visits, d.first_visits, d.visited) for d in progress.days] == [
        (1, 0, 0, 0), (2, 2, 2, 2), (3, 2, 2, 4), (4, 0, 0, 4), (5, 2, 1, 5)]
    street_b = selectors.progress_for(world.district_admin, cw.campaign.pk, Area(street_id=world.street_b.pk), today=TODAY)
    assert [(d.visits, d.visited) for d in street_b.days] == [(0, 0), (0, 0), (0, 0), (0, 0), (1, 1)]
    assert progress.days[-1].visited == selectors.coverage_for(world.district_admin, cw.campaign.pk).total.visited


def test_days_series_before_the_start_and_past_the_end():
    start, end = D(2026, 3, 1), D(2026, 3, 3)
    assert days_series({}, {}, start=start, end=end, today=D(2026, 2, 1)) == []
    assert [d.day for d in days_series({}, {}, start=start, end=end, today=D(2026, 5, 1))] == [
        D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 3)]


# ----- the lists agree with the numbers


def _labels(actor, cw, area=Area(), **kw) -> list[str]:
    return [r.label for r in selectors.unvisited_rows(actor, selectors.unvisited_for(actor, cw.campaign.pk, area, **kw))]


def test_the_unvisited_list_is_the_silent_minority(world, cw):
    qs = selectors.unvisited_for(world.district_admin, cw.campaign.pk)
    assert [s.pk for s in qs] == [cw.s["h2"].pk, cw.s["h7"].pk]
    assert list(selectors.unvisited_for(world.district_admin, cw.campaign.pk, group=SubjectGroup.ENTERPRISE_KEY)) == []
    with pytest.raises(CivicError):
        selectors.unvisited_for(world.district_admin, cw.campaign.pk, group=SubjectGroup.HOUSEHOLD_OTHER)


@pytest.mark.parametrize("persona", ["district_admin", "leader", "street_dispatcher", "committee_worker", "outsider",
                                     "member1", "member2"])
def test_every_rows_key_unvisited_is_its_lists_length(world, cw, persona):
    actor = getattr(cw, persona, None) or getattr(world, persona)
    cov = selectors.coverage_for(actor, cw.campaign.pk)
    pk = cw.campaign.pk
    assert cov.total.key_unvisited == selectors.unvisited_for(actor, pk).count()
    assert cov.total.subjects == selectors.coverage_subjects_for(actor, cw.campaign).count()
    for row in cov.groups:
        if row.key in (SubjectGroup.HOUSEHOLD_KEY, SubjectGroup.ENTERPRISE_KEY):
            assert row.key_unvisited == selectors.unvisited_for(actor, pk, group=row.key).count()
    for row in cov.streets:
        assert row.key_unvisited == len(selectors.unvisited_for(actor, pk, Area(street_id=row.key)))
        # a street's drill-down: its communities add up to it
        drilled = selectors.coverage_for(actor, pk, Area(street_id=row.key))
        assert _numbers(drilled.total) == _numbers(row)
    for row in cov.communities:
        if row.key is not None:
            assert row.key_unvisited == len(selectors.unvisited_for(actor, pk, Area(community_id=row.key)))
    for row in cov.teams:
        area = Area(team_id=row.key) if row.key is not None else Area(unassigned=True)
        assert row.key_unvisited == len(selectors.unvisited_for(actor, pk, area))
    assert sum(r.key_unvisited for r in cov.streets) == sum(r.key_unvisited for r in cov.teams) == cov.total.key_unvisited


def test_unvisited_sorts_and_filters(world, cw):
    admin, pk = world.district_admin, cw.campaign.pk
    h2, h7 = cw.s["h2"].pk, cw.s["h7"].pk
    assert [s.pk for s in selectors.unvisited_for(admin, pk, sort="-walk")] == [h7, h2]
    assert [s.pk for s in selectors.unvisited_for(admin, pk, sort="team")] == [h2, h7]
    assert [s.pk for s in selectors.unvisited_for(admin, pk, sort="-team")] == [h7, h2]
    assert [s.pk for s in selectors.unvisited_for(admin, pk, Area(team_id=cw.team2.pk))] == [h7]
    assert [s.pk for s in selectors.unvisited_for(admin, pk, Area(community_id=world.comm_a1.pk))] == [h2]
    for key in SORTS:
        assert selectors.unvisited_for(admin, pk, sort=key).count() == 2
    with pytest.raises(CivicError):
        selectors.unvisited_for(admin, pk, sort="household__head_name")


# ----- scope


@pytest.mark.parametrize("persona, subjects, unvisited", [
    ("district_admin", 11, ["h2", "h7"]),
    ("leader", 11, ["h2", "h7"]),
    ("street_dispatcher", 7, ["h2"]),  # street A
    ("committee_worker", 5, ["h2"]),  # community A1
    ("outsider", 4, ["h7"]),  # street B
    ("member2", 5, ["h7"]),  # team 2: A2 and B1, across streets
])
def test_scope(world, cw, persona, subjects, unvisited):
    actor = getattr(cw, persona, None) or getattr(world, persona)
    assert selectors.coverage_for(actor, cw.campaign.pk).total.subjects == subjects
    assert [s.pk for s in selectors.unvisited_for(actor, cw.campaign.pk)] == [cw.s[n].pk for n in unvisited]


@pytest.mark.parametrize("persona", ["dept_handler", "stranger", "nobody"])
def test_others_find_no_campaign(world, cw, persona):
    with pytest.raises(CivicError) as exc:
        selectors.coverage_for(getattr(world, persona), cw.campaign.pk)
    assert exc.value.code == "not_found"


def test_naming_a_street_a_community_or_a_team_out_of_sight_is_not_found(world, cw):
    pk = cw.campaign.pk
    for actor, area in ((world.street_dispatcher, Area(street_id=world.street_b.pk)),
                        (world.committee_worker, Area(community_id=world.comm_a2.pk)),
                        (cw.member2, Area(community_id=world.comm_a1.pk)),
                        (world.district_admin, Area(team_id=999_999)),
                        (world.district_admin, Area(street_id=world.comm_a1.pk))):  # a community is not a street
        with pytest.raises(CivicError) as exc:
            selectors.coverage_for(actor, pk, area)
        assert exc.value.code == "not_found"
    # a team member names a street of their subjects even without territory
    assert selectors.coverage_for(cw.member2, pk, Area(street_id=world.street_b.pk)).total.subjects == 3


# ----- masking


def test_rows_mask_names_and_phones_and_numbers_in_addresses_for_those_without_the_right(world, cw):
    street_rows = selectors.unvisited_rows(world.street_dispatcher, selectors.unvisited_for(world.street_dispatcher, cw.campaign.pk))
    assert [(r.label, r.contact, r.phone) for r in street_rows] == [("甲街道1号楼202室 电话139****5678", "李*", "139****5678")]
    # the household's own committee sees the address as written (names and phones stay masked in lists)
    committee_rows = selectors.unvisited_rows(world.committee_worker, selectors.unvisited_for(world.committee_worker, cw.campaign.pk))
    assert committee_rows[0].label == "甲街道1号楼202室 电话13912345678"
    assert committee_rows[0].phone == "139****5678"


def test_points_of_a_community_carry_no_names(world, cw):
    points = selectors.coverage_points_for(world.district_admin, cw.campaign.pk, world.comm_a1.pk)
    assert points == [[121.43, 31.18, "visited"]]  # only h1 has a position


# ----- queries


def test_coverage_reads_a_bounded_number_of_queries(world, cw, django_assert_max_num_queries):
    # PostgreSQL: the grouped query runs with hash aggregation off (SAVEPOINT, SET LOCAL, RESET, RELEASE)
    pg = 4 if connection.vendor == "postgresql" else 0
    for i in range(30):  # more subjects, more streets' worth of rows: the same number of queries
        make_subject(cw.campaign, _household(world, world.comm_b1, f"9{i:02d}", tag="elderly_alone"), cw.team2)
    for persona in ("district_admin", "street_dispatcher"):
        actor = getattr(world, persona)
        actor.refresh_from_db()  # + 3 queries once per request: the viewer's scope (unit, roles), their teams
        with django_assert_max_num_queries(7 + pg):
            selectors.coverage_for(actor, cw.campaign.pk)
        with django_assert_max_num_queries(4):
            selectors.progress_for(actor, cw.campaign.pk, today=TODAY)
        with django_assert_max_num_queries(3):
            selectors.unvisited_rows(actor, selectors.unvisited_for(actor, cw.campaign.pk)[:50])
    with django_assert_max_num_queries(9 + pg):  # scope (3), and the named street checked against the member's subjects (2)
        selectors.coverage_for(cw.member2, cw.campaign.pk, Area(street_id=world.street_b.pk))

"""The field list's kept body (decision 67's plan): a team's version kept by database triggers on every table the
list shows — whichever write path changes it —, never a stale body after a write, never a body built for another
view (masking, territory) or another language."""

import uuid

import pytest

from civicloop.places.models import Enterprise, Household, ParkBuilding, Place, Zone
from civicloop.testing import PASSWORD
from civicloop.visits import selectors
from civicloop.visits.models import FieldListVersion, TeamMember
from civicloop.visits.testing import as_if_committed, make_campaign, make_party_org, make_subject, make_team


def version(team) -> int:
    as_if_committed()
    return FieldListVersion.objects.get(team_id=team.pk).version


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture(autouse=True)
def each_request_after_a_commit():
    """Each request of a test's client reads as in a transaction after the test's writes committed (they never
    do: the test is one transaction): PostgreSQL's version token forgotten (migration 0003)."""
    from django.core.signals import request_started

    def forget(**_kwargs):
        as_if_committed()

    request_started.connect(forget, dispatch_uid="visits-as-if-committed")
    yield
    request_started.disconnect(dispatch_uid="visits-as-if-committed")


@pytest.fixture
def builds(monkeypatch):
    """How many times the field list was built (a kept body is not)."""
    calls = []
    original = selectors.field_list_for

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors, "field_list_for", counted)
    return calls


@pytest.fixture
def enterprise_subject(world, field):
    zone = Zone.objects.create(district=world.district, code="Z-T1", name="测试功能区")
    building = ParkBuilding.objects.create(district=world.district, code="PB-T1", name="科创大厦", zone=zone,
                                           street=world.street_a)
    enterprise = Enterprise.objects.create(district=world.district, credit_code="91310104MA1FL00001",
                                           name="测试科技有限公司", street=world.street_a, community=world.comm_a1,
                                           park_building=building)
    return make_subject(field.campaign, enterprise, field.team)


# ----- every write path that changes what the list shows changes the team's version


def _visit(world, field, cats, record):
    record()


def _visit_with_problems(world, field, cats, record):
    record(problems=[{"description": "楼道灯坏了"}])


def _visit_in_another_campaign(world, field, cats, record):
    """The list shows the last visit to the household in any campaign."""
    from civicloop.visits.services.records import visit_record

    other = make_campaign(world, name="2026年专项走访")
    team = make_team(other, make_party_org(world, code="U-PO9", name="区民政局机关党委"), name="专项组")
    subject = make_subject(other, field.h_a1, team)
    visit_record(actor=team.members.get(recorder=True).user, client_id=uuid.uuid4(), subject_id=subject.pk,
                 visited_on=field.campaign.start, method="door", summary="回访", satisfaction="satisfied")


def _case_triaged(world, field, cats, record):
    from civicloop.cases.services import case_triage

    visit, _cases = record(problems=[{"description": "楼道灯坏了"}])
    case = visit.problems.get().case
    field.bumped_before = version(field.team)  # the visit itself changed it: from here, the case alone
    case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)


def _assigned_by_hand(world, field, cats, record):
    from civicloop.visits.services.assignment import assign_by_hand

    assign_by_hand(actor=world.district_admin, campaign_id=field.campaign.pk, subject_ids=[field.s_b1.pk],
                   team_id=field.team.pk)


def _assigned_away(world, field, cats, record):
    from civicloop.visits.services.assignment import assign_by_hand

    assign_by_hand(actor=world.district_admin, campaign_id=field.campaign.pk, subject_ids=[field.s_a2.pk],
                   team_id=field.other_team.pk)


def _assignment_run(world, field, cats, record):
    """A run that gives the team a household of its paired community that had no subject yet."""
    from civicloop.visits.services.assignment import assignment_run
    from civicloop.visits.services.pairing import pairing_create

    pairing_create(actor=world.district_admin, party_org_id=field.org.pk, target="community",
                   target_id=world.comm_a1.pk)
    Household.objects.create(code=f"{field.h_a1.code}-2", district=world.district, street=world.street_a,
                             community=world.comm_a1, building=field.h_a1.building, room="102",
                             address="甲街道1居委1号楼102室", head_name="赵六", head_phone="13700002222")
    field.bumped_before = version(field.team)  # a household no list shows yet: no change
    counts = assignment_run(actor=world.district_admin, campaign_id=field.campaign.pk)
    assert counts["created"] >= 1, counts


def _team_renamed(world, field, cats, record):
    from civicloop.visits.services.teams import team_update

    team_update(actor=world.district_admin, team_id=field.team.pk, name="第一走访组（徐家汇）")


def _member_added(world, field, cats, record):
    from civicloop.visits.services.teams import member_add

    member_add(actor=world.district_admin, team_id=field.team.pk, user_id=world.district_admin.pk)


def _member_removed(world, field, cats, record):
    from civicloop.visits.services.teams import member_remove

    member = field.team.members.filter(person__isnull=False, role="lawyer").first()
    member_add_lawyer(world, field)
    member_remove(actor=world.district_admin, member_id=member.pk)


def member_add_lawyer(world, field):
    """A second lawyer first: the team stays complete when one leaves (the 1+3+1 rule is checked)."""
    from civicloop.orgs.models import Person
    from civicloop.visits.services.teams import member_add

    person = Person.objects.create(district=world.district, code="P-LAW2", name="律师乙", kind="lawyer")
    member_add(actor=world.district_admin, team_id=field.team.pk, person_id=person.pk)
    field.bumped_before = version(field.team)


def _topic_created(world, field, cats, record):
    from civicloop.visits.services.campaigns import topic_create

    topic_create(actor=world.district_admin, campaign_id=field.campaign.pk, title="老旧小区加装电梯",
                 leader_id=world.leader.pk)


def _campaign_renamed(world, field, cats, record):
    from civicloop.visits.services.campaigns import campaign_update

    campaign_update(actor=world.district_admin, campaign_id=field.campaign.pk, name="2026年满意在徐汇大走访")


def _household_imported(world, field, cats, record):
    from civicloop.imports.services import import_run
    from civicloop.imports.tests.helpers import HOUSEHOLD_HEADER, household_row, xlsx

    building, room = field.h_a1.code.rsplit("-", 1)
    data = xlsx([HOUSEHOLD_HEADER, household_row(building, room, address="甲街道1居委1号楼101室（新门牌）")])
    result = import_run(actor=world.district_admin, kind="households", file_path_or_bytes=data, filename="h.xlsx")
    assert result.updated == 1


def _enterprise_renamed(world, field, cats, record):  # enterprises change through imports and the admin
    subject = field.enterprise_subject
    field.bumped_before = version(field.team)
    enterprise = Enterprise.objects.get(pk=subject.enterprise_id)
    enterprise.name = "测试科技股份有限公司"
    enterprise.save()


def _park_building_renamed(world, field, cats, record):
    subject = field.enterprise_subject
    field.bumped_before = version(field.team)
    ParkBuilding.objects.filter(enterprises__pk=subject.enterprise_id).update(name="科创大厦A座")


def _building_renamed(world, field, cats, record):
    Place.objects.filter(pk=field.h_a1.building_id).update(name="1号楼（东）")


def _compound_renamed(world, field, cats, record):
    compound = Place.objects.get(pk=field.h_a1.building.parent_id)
    compound.name = "一村新苑"
    compound.save()


def _community_renamed(world, field, cats, record):
    Place.objects.filter(pk=world.comm_a1.pk).update(name="甲街道第一居委")


def _person_renamed(world, field, cats, record):
    member = field.team.members.filter(person__isnull=False).first()
    member.person.name = "成员零（改）"
    member.person.save()


def _user_renamed(world, field, cats, record):
    field.recorder.display_name = "记录员甲"
    field.recorder.save()


WRITES = {
    "visits_visit+subject": _visit,
    "visits_visitproblem": _visit_with_problems,
    "visits_visit, another campaign": _visit_in_another_campaign,
    "cases_case": _case_triaged,
    "visits_subject, assigned in": _assigned_by_hand,
    "visits_subject, assigned away": _assigned_away,
    "visits_subject, assignment run": _assignment_run,
    "visits_team": _team_renamed,
    "visits_teammember, added": _member_added,
    "visits_teammember, removed": _member_removed,
    "visits_topic": _topic_created,
    "visits_campaign": _campaign_renamed,
    "places_household, import": _household_imported,
    "places_enterprise": _enterprise_renamed,
    "places_parkbuilding": _park_building_renamed,
    "places_place, building": _building_renamed,
    "places_place, compound": _compound_renamed,
    "places_place, community": _community_renamed,
    "orgs_person": _person_renamed,
    "orgs_user": _user_renamed,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_each_write_to_what_the_list_shows_changes_the_version(world, field, cats, record, enterprise_subject,
                                                               write):
    field.enterprise_subject = enterprise_subject
    field.bumped_before = before = version(field.team)
    write(world, field, cats, record)
    after = version(field.team)
    assert after != before and after != field.bumped_before


def test_a_new_team_has_a_version_and_other_teams_keep_theirs(world, field, record):
    from civicloop.visits.services.teams import team_create

    team = team_create(actor=world.district_admin, campaign_id=field.campaign.pk, name="第三走访组",
                       unit_id=field.org.pk)
    assert FieldListVersion.objects.filter(team_id=team.pk).exists()
    mine, other = version(field.team), version(field.other_team)
    record(actor=field.other_recorder, subject=field.s_b1)  # street B's household: the other team's list only
    assert version(field.team) == mine and version(field.other_team) != other
    # what the list does not show: a login stamp, a household's head (never in the list)
    from django.utils import timezone

    field.recorder.last_login = timezone.now()
    field.recorder.save(update_fields=["last_login"])
    Place.objects.filter(pk=world.comm_a1.pk).update(lat=31.2)
    assert version(field.team) == mine


# ----- the kept body: served while nothing changed, never after


def test_an_unchanged_list_is_served_kept_and_any_change_rebuilds_it(client, world, field, cats, record, builds,
                                                                      django_assert_max_num_queries):
    from civicloop.cases.services import case_triage

    visit, _c = record(problems=[{"description": "楼道灯坏了"}])
    case = visit.problems.get().case
    login(client, field.recorder)
    url = f"/api/visits/teams/{field.team.pk}/field-list"
    first = client.get(url)
    assert first.status_code == 200 and len(builds) == 1
    with django_assert_max_num_queries(5):  # session, user, version, team (a kept body reads no row)
        again = client.get(url)
    assert len(builds) == 1 and again["ETag"] == first["ETag"]
    body = {k: v for k, v in again.json().items() if k != "generated_at"}
    assert body == {k: v for k, v in first.json().items() if k != "generated_at"}

    case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
    moved = client.get(url)
    assert len(builds) == 2 and moved["ETag"] != first["ETag"]
    (row,) = [r for r in moved.json()["subjects"] if r["id"] == field.s_a1.pk]
    assert row["earlier_cases"][0]["state"] != "registered"

    Household.objects.filter(pk=field.h_a2.pk).update(address="甲街道2居委新地址8号")
    (row,) = [r for r in client.get(url).json()["subjects"] if r["id"] == field.s_a2.pk]
    assert row["label"] == "甲街道2居委新地址8号"

    member = TeamMember.objects.filter(team=field.team, person__isnull=False).first()
    member.person.name = "张律师"
    member.person.save()
    assert "张律师" in {m["name"] for m in client.get(url).json()["members"]}
    record(subject=field.s_a2, client_id=uuid.uuid4())
    (row,) = [r for r in client.get(url).json()["subjects"] if r["id"] == field.s_a2.pk]
    assert row["visits_count"] == 1 and len(builds) == 5


def test_a_body_kept_for_one_view_is_never_served_to_another(client, world, field, builds):
    """The district administrator sees the address in clear, the team masked, a committee its own community in
    clear and the other's masked, a street reader only their street: each their own body, in whatever order."""
    Household.objects.filter(pk=field.h_a1.pk).update(address="一村1号楼101室 13912345678")
    Household.objects.filter(pk=field.h_a2.pk).update(address="二村1号楼101室 13812345678")
    url = f"/api/visits/teams/{field.team.pk}/field-list"

    def labels(user) -> dict:
        login(client, user)
        return {r["id"]: r["label"] for r in client.get(url).json()["subjects"]}

    for _round in range(2):  # the second round is served kept: still each their own
        admin = labels(world.district_admin)
        assert "13912345678" in admin[field.s_a1.pk] and "13812345678" in admin[field.s_a2.pk]
        team = labels(field.recorder)
        assert not any("13912345678" in v or "13812345678" in v for v in team.values())
        committee = labels(world.committee_worker)  # committee A1: its community only
        assert set(committee) == {field.s_a1.pk} and "13912345678" in committee[field.s_a1.pk]
        street = labels(world.street_dispatcher)
        assert set(street) == {field.s_a1.pk, field.s_a2.pk}
        assert not any("13912345678" in v or "13812345678" in v for v in street.values())
    assert len(builds) == 4  # one per view, then kept


def test_a_recorder_and_a_member_who_joins_later_share_nothing_stale(client, world, field, builds):
    """Joining the team changes what a reader sees (all the team's subjects instead of their territory's)."""
    from civicloop.visits.services.teams import member_add

    url = f"/api/visits/teams/{field.team.pk}/field-list"
    login(client, world.committee_worker)
    assert {r["id"] for r in client.get(url).json()["subjects"]} == {field.s_a1.pk}
    member_add(actor=world.district_admin, team_id=field.team.pk, user_id=world.committee_worker.pk)
    assert {r["id"] for r in client.get(url).json()["subjects"]} == {field.s_a1.pk, field.s_a2.pk}


def test_each_language_its_own_body(client, world, field, builds):
    url = f"/api/visits/teams/{field.team.pk}/field-list"
    login(client, field.recorder)
    zh = client.get(url).json()
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    zh_again = client.get(url).json()
    en_again = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    door = lambda body: next(m["label"] for m in body["methods"] if m["value"] == "door")  # noqa: E731
    assert door(zh) == door(zh_again) == "入户"
    assert door(en) == door(en_again) != "入户"
    assert len(builds) == 2


# ----- the coverage overview: its figures kept with the campaign's coverage version


def coverage_version(campaign) -> int:
    from civicloop.visits.models import CoverageVersion

    as_if_committed()
    return CoverageVersion.objects.get(campaign_id=campaign.pk).version


@pytest.fixture
def coverage_builds(monkeypatch):
    calls = []
    original = selectors._coverage

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors, "_coverage", counted)
    return calls


def _cov_visit(world, field, cats, record):
    record()


def _cov_assigned(world, field, cats, record):
    from civicloop.visits.services.assignment import assign_by_hand

    assign_by_hand(actor=world.district_admin, campaign_id=field.campaign.pk, subject_ids=[field.s_b1.pk],
                   team_id=field.team.pk)


def _cov_team(world, field, cats, record):
    from civicloop.visits.services.teams import team_update

    team_update(actor=world.district_admin, team_id=field.other_team.pk, name="第二走访组（乙）")


def _cov_targets(world, field, cats, record):
    from civicloop.visits.services.campaigns import campaign_update

    campaign_update(actor=world.district_admin, campaign_id=field.campaign.pk,
                    targets={**field.campaign.targets, "household_other": 50})


def _cov_community(world, field, cats, record):
    Place.objects.filter(pk=world.comm_b1.pk).update(name="乙街道第一居委")


COVERAGE_WRITES = {"visits_visit+subject": _cov_visit, "visits_subject, assigned": _cov_assigned,
                   "visits_team": _cov_team, "visits_campaign": _cov_targets, "places_place": _cov_community}


@pytest.mark.parametrize("write", COVERAGE_WRITES.values(), ids=COVERAGE_WRITES.keys())
def test_each_write_to_what_the_coverage_counts_changes_its_version(world, field, cats, record, write):
    before = coverage_version(field.campaign)
    write(world, field, cats, record)
    assert coverage_version(field.campaign) != before


def test_the_coverage_overview_is_kept_while_nothing_changed_and_per_view(world, field, record, coverage_builds):
    import datetime as dt

    from civicloop.visits.services.campaigns import campaign_create

    def total(actor, today=dt.date(2026, 11, 30)) -> tuple:
        as_if_committed()  # each overview read in its own transaction, after the writes before it
        _campaign, cov, progress = selectors.coverage_overview_for(actor, field.campaign.pk, today=today)
        return cov.total.subjects, cov.total.visited, len(progress.days)

    assert total(world.district_admin) == (3, 0, 275)
    assert total(world.district_admin) == (3, 0, 275) and len(coverage_builds) == 1
    assert total(world.street_dispatcher) == (2, 0, 275) and len(coverage_builds) == 2  # street A only
    assert total(world.district_admin, dt.date(2026, 12, 1))[2] == 276 and len(coverage_builds) == 3  # another day
    record()
    assert total(world.district_admin) == (3, 1, 275) and len(coverage_builds) == 4
    assert total(world.street_dispatcher) == (2, 1, 275) and len(coverage_builds) == 5
    assert total(world.street_dispatcher) == (2, 1, 275) and len(coverage_builds) == 5
    # another campaign's changes leave this one's figures kept
    campaign_create(actor=world.district_admin, name="2027年大走访", start=dt.date(2027, 3, 1), end=dt.date(2027, 12, 31))
    assert total(world.district_admin) == (3, 1, 275) and len(coverage_builds) == 5


def test_a_transaction_reading_between_its_own_writes_never_keeps_a_stale_overview(world, field, record,
                                                                                   coverage_builds):
    """PostgreSQL sets a version once per transaction (migration 0003): between two writes of one transaction the
    version does not move, so an overview read in between must not be kept under it — the second read sees the
    second visit. (No `as_if_committed` here: all of it is one transaction.)"""
    import datetime as dt

    def visited() -> int:
        _campaign, cov, _progress = selectors.coverage_overview_for(world.district_admin, field.campaign.pk,
                                                                    today=dt.date(2026, 11, 30))
        return cov.total.visited

    record()
    assert visited() == 1
    record(subject=field.s_a2)
    assert visited() == 2
    assert len(coverage_builds) == 2  # built anew after the second write, never served the first


def test_a_version_is_set_once_per_transaction_on_postgresql(field, record):
    """On PostgreSQL, however many writes one transaction makes, each version row it touches gets one new value (a
    transaction updating one row thousands of times made PostgreSQL walk ever longer row-version chains); the
    next transaction's writes set a new one. SQLite's row triggers set a new value at each write (an update there
    overwrites in place: nothing piles up)."""
    from django.db import connection

    first = version(field.team)
    record()
    during = FieldListVersion.objects.get(team_id=field.team.pk).version
    record(subject=field.s_a2)
    now = FieldListVersion.objects.get(team_id=field.team.pk).version
    assert during != first and (now == during if connection.vendor == "postgresql" else now != during)
    assert version(field.team) == now  # as if committed: unchanged until the next write
    record(subject=field.s_a2)
    assert version(field.team) != now

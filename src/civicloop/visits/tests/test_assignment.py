"""Assignment: subjects built from the scope, balanced over the teams in whole buildings, pairing first;
a re-run keeps visits and hand assignments; by hand."""

import datetime as dt
import uuid
from collections import Counter

import pytest

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import AuditLog
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Place, Tag
from civicloop.places.services import place_create
from civicloop.visits.constants import (
    CampaignAuditAction,
    CampaignState,
    PairingTarget,
    SubjectGroup,
    SubjectKind,
)
from civicloop.visits.error_codes import VisitErrorCode
from civicloop.visits.models import Campaign, Subject, Visit
from civicloop.visits.services.assignment import assign_by_hand, assignment_run
from civicloop.visits.services.campaigns import campaign_start
from civicloop.visits.services.pairing import pairing_create
from civicloop.visits.testing import make_campaign, make_party_org, make_team


def add_buildings(world, community: Place, n: int, rooms: int, *, compound_no: int = 2) -> Place:
    """A compound of `community` with `n` buildings of `rooms` households each."""
    compound = place_create(code=f"{community.code}-C{compound_no:03d}", name=f"{community.name}{compound_no}小区",
                            level=PlaceLevel.COMPOUND, parent=community)
    for b in range(1, n + 1):
        building = place_create(code=f"{compound.code}-B{b:02d}", name=f"{b}号楼", level=PlaceLevel.BUILDING,
                                parent=compound)
        for r in range(1, rooms + 1):
            Household.objects.create(code=f"{building.code}-{r:04d}", district=world.district, street=community.street,
                                     community=community, building=building, room=f"{r}01",
                                     address=f"{building.name}{r}01室")
    return compound


def started(world, *, teams: int = 2, areas=None, pairing=None) -> Campaign:
    """A draft campaign over street A (or `areas`), `teams` complete teams of their own party organisations,
    started."""
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    campaign.subject_kinds = [SubjectKind.HOUSEHOLD]
    campaign.save()
    campaign.areas.set(areas or [world.street_a])
    for i in range(teams):
        make_team(campaign, make_party_org(world, code=f"U-PO{i}", name=f"党组织{i}"), name=f"组{i}")
    if pairing:
        pairing(campaign)
    campaign_start(actor=world.district_admin, campaign_id=campaign.pk)
    return campaign


def team_of_building(campaign) -> dict:
    out: dict = {}
    for building, team in Subject.objects.filter(campaign=campaign).values_list("household__building_id", "team_id"):
        out.setdefault(building, set()).add(team)
    return out


def visit(subject: Subject, world) -> Visit:
    return Visit.objects.create(client_id=uuid.uuid4(), campaign=subject.campaign, subject=subject, team=subject.team,
                                district=subject.district, street_id=subject.street_id, visited_on=dt.date(2026, 3, 2),
                                method="door", summary="已走访", satisfaction="satisfied",
                                recorded_by=world.district_admin, recorded_at="2026-03-02T10:00:00+08:00")


def test_start_builds_subjects_of_the_scope_in_their_groups(world):
    add_buildings(world, world.comm_a1, 2, 3)
    household = Household.objects.filter(community=world.comm_a1).first()
    household.tags.add(Tag.objects.get(code="elderly_alone"))
    campaign = started(world)
    subjects = Subject.objects.filter(campaign=campaign)
    assert subjects.count() == Household.objects.filter(street=world.street_a).count() == 8
    assert not subjects.filter(street=world.street_b).exists()
    assert subjects.get(household=household).group == SubjectGroup.HOUSEHOLD_KEY
    assert subjects.filter(group=SubjectGroup.HOUSEHOLD_OTHER).count() == 7
    assert not subjects.filter(team__isnull=True).exists()
    row = AuditLog.objects.get(action=CampaignAuditAction.CAMPAIGN_START, object_id=str(campaign.pk))
    assert row.details["created"] == 8


def test_balanced_by_count_in_whole_buildings(world):
    add_buildings(world, world.comm_a1, 4, 10)
    add_buildings(world, world.comm_a2, 4, 10)
    campaign = started(world, teams=3)
    counts = Counter(Subject.objects.filter(campaign=campaign).values_list("team_id", flat=True))
    assert len(counts) == 3 and sum(counts.values()) == 82
    # a building (10 households) is the unit handed out: 8 of them over 3 teams, plus the two single ones
    assert max(counts.values()) - min(counts.values()) <= 11
    assert all(len(teams) == 1 for teams in team_of_building(campaign).values())


def test_pairing_drives_assignment(world):
    compound = add_buildings(world, world.comm_a2, 3, 5)

    def pair(campaign):
        org = campaign.teams.get(name="组1").unit
        pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.COMPOUND,
                       target_id=compound.pk)

    add_buildings(world, world.comm_a1, 3, 5)
    campaign = started(world, teams=2, pairing=pair)
    paired = Subject.objects.filter(campaign=campaign, household__building__parent=compound)
    assert paired.count() == 15
    assert set(paired.values_list("team__name", flat=True)) == {"组1"}
    # the rest goes mostly to the other team, which had nothing paired (32 subjects: 15 paired + 17 others)
    counts = Counter(Subject.objects.filter(campaign=campaign).values_list("team__name", flat=True))
    assert abs(counts["组0"] - counts["组1"]) <= 5


def test_rerun_keeps_visits_and_hand_assignments(world):
    add_buildings(world, world.comm_a1, 4, 5)
    campaign = started(world, teams=2)
    subjects = Subject.objects.filter(campaign=campaign)
    team0, team1 = campaign.teams.get(name="组0"), campaign.teams.get(name="组1")
    visited = subjects.filter(team=team0).order_by("walk_key").first()
    visit(visited, world)
    by_hand = subjects.filter(team=team0).order_by("-walk_key").first()
    assign_by_hand(actor=world.district_admin, campaign_id=campaign.pk, subject_ids=[by_hand.pk], team_id=team1.pk)
    # a third team joins, new households arrive, a household leaves the scope
    team2 = make_team(campaign, make_party_org(world, code="U-PO9", name="党组织9"), name="组2")
    add_buildings(world, world.comm_a2, 2, 5, compound_no=3)
    counts = assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    assert counts["created"] == 10 and counts["deleted"] == 0
    visited.refresh_from_db()
    by_hand.refresh_from_db()
    assert visited.team_id == team0.pk and Visit.objects.filter(subject=visited).count() == 1
    assert by_hand.team_id == team1.pk and by_hand.assigned_by_hand
    per_team = Counter(subjects.values_list("team_id", flat=True))
    assert per_team[team2.pk] > 0 and max(per_team.values()) - min(per_team.values()) <= 6
    # the visited subject's building stays with the team walking it
    assert set(subjects.filter(household__building=visited.household.building, assigned_by_hand=False)
               .values_list("team_id", flat=True)) == {team0.pk}
    # a run changes nothing when nothing changed
    before = dict(subjects.values_list("pk", "team_id"))
    again = assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    assert again["created"] == again["moved"] == 0 and dict(subjects.values_list("pk", "team_id")) == before
    assert AuditLog.objects.filter(action=CampaignAuditAction.ASSIGNMENT_RUN).count() == 2


def test_rerun_never_deletes_a_visited_subject(world):
    add_buildings(world, world.comm_a2, 1, 3)
    campaign = started(world, teams=1)
    kept = Subject.objects.filter(campaign=campaign, community=world.comm_a2).first()
    visit(kept, world)
    campaign.areas.set([world.comm_a1])  # comm_a2 leaves the scope
    counts = assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    remaining = Subject.objects.filter(campaign=campaign)
    assert remaining.filter(pk=kept.pk).exists()
    assert remaining.filter(community=world.comm_a2).count() == 1
    assert counts["deleted"] == 3  # comm_a2's other households (2 new + its first one)


def test_run_needs_a_running_campaign(world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    with pytest.raises(CivicError) as exc:
        assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    assert exc.value.code == VisitErrorCode.CAMPAIGN_STATE


def test_by_hand_refuses_another_campaigns_subject(world):
    add_buildings(world, world.comm_a1, 1, 2)
    campaign = started(world, teams=1)
    other = make_campaign(world, name="另一活动")
    team = make_team(other, make_party_org(world, code="U-POX"), name="X组")
    subject = Subject.objects.filter(campaign=campaign).first()
    with pytest.raises(CivicError) as exc:
        assign_by_hand(actor=world.district_admin, campaign_id=other.pk, subject_ids=[subject.pk], team_id=team.pk)
    assert exc.value.code == ErrorCode.INVALID
    with pytest.raises(CivicError) as exc:
        assign_by_hand(actor=world.outsider, campaign_id=campaign.pk, subject_ids=[subject.pk], team_id=team.pk)
    assert exc.value.code == ErrorCode.FORBIDDEN


def test_run_queries_do_not_grow_with_subjects(world, django_assert_max_num_queries):
    add_buildings(world, world.comm_a1, 2, 5)
    campaign = started(world, teams=2)
    add_buildings(world, world.comm_a2, 6, 20, compound_no=4)
    with django_assert_max_num_queries(40):
        counts = assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    assert counts["created"] == 120


def test_rerun_recomputes_walk_keys(world):
    """A room renumbered (visited or not) or a key of an older form: the next run gives the walk key again."""
    add_buildings(world, world.comm_a1, 1, 3)
    campaign = started(world, teams=1)
    subjects = Subject.objects.filter(campaign=campaign, household__building__code__endswith="-B01")
    renumbered, stale = subjects.order_by("walk_key")[:2]
    visit(renumbered, world)
    Household.objects.filter(pk=renumbered.household_id).update(room="9901")
    Subject.objects.filter(pk=stale.pk).update(walk_key="old")
    counts = assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    assert counts["rewalked"] == 2
    renumbered.refresh_from_db()
    stale.refresh_from_db()
    assert renumbered.walk_key.endswith("009901") and renumbered.team_id is not None
    assert stale.walk_key != "old" and stale.walk_key.startswith(stale.household.building.path)
    in_building = subjects.filter(household__building=renumbered.household.building).order_by("walk_key")
    assert list(in_building.values_list("pk", flat=True))[-1] == renumbered.pk  # room 9901: the building's last
    assert assignment_run(actor=world.district_admin, campaign_id=campaign.pk)["rewalked"] == 0


def test_enterprise_walk_key_sorts_ids_as_numbers():
    from types import SimpleNamespace

    from civicloop.visits.subjects import enterprise_walk_key

    def key(street, community, building, name="甲公司"):
        return enterprise_walk_key(SimpleNamespace(street_id=street, community_id=community,
                                                   park_building_id=building, name=name))

    assert key(9, 1, 1) < key(10, 1, 1)
    assert key(1, 9, None) < key(1, 10, None)
    assert key(1, 2, 9) < key(1, 2, 10) < key(1, 2, 10, "甲公司二")
    assert key(1, None, None) < key(1, 1, None)  # no committee first


def test_a_hand_assignment_can_be_released(client, world):
    """Un-pinned, a subject keeps its team until the next run, which then balances it with the rest; the page
    offers the step only to a manager, only for a subject assigned by hand, only while the campaign runs."""
    from civicloop.core.errors import ErrorCode as Generic
    from civicloop.testing import PASSWORD
    from civicloop.visits.services.assignment import subject_unpin

    add_buildings(world, world.comm_a1, 4, 5)
    campaign = started(world, teams=2)
    team0, team1 = campaign.teams.get(name="组0"), campaign.teams.get(name="组1")
    subject = Subject.objects.filter(campaign=campaign, team=team0).order_by("-walk_key").first()
    page = f"/visits/subjects/{subject.pk}/"
    assert client.login(username=world.district_admin.username, password=PASSWORD)
    assert 'data-action="unpin"' not in client.get(page).content.decode()  # not assigned by hand
    with pytest.raises(CivicError) as exc:
        subject_unpin(actor=world.district_admin, subject_id=subject.pk)
    assert exc.value.code == Generic.CONFLICT

    assign_by_hand(actor=world.district_admin, campaign_id=campaign.pk, subject_ids=[subject.pk], team_id=team1.pk)
    assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    subject.refresh_from_db()
    assert subject.team_id == team1.pk and subject.assigned_by_hand  # pinned: the run leaves it
    html = client.get(page).content.decode()
    assert 'id="by-hand"' in html and 'data-action="unpin"' in html
    for outsider in (world.street_dispatcher, world.outsider):
        with pytest.raises(CivicError) as exc:
            subject_unpin(actor=outsider, subject_id=subject.pk)
        assert exc.value.code in (Generic.FORBIDDEN, Generic.NOT_FOUND)
    client.logout()
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    assert 'data-action="unpin"' not in client.get(page).content.decode()  # sees the subject, manages nothing
    assert client.post(f"/api/visits/subjects/{subject.pk}/unpin").status_code == 403
    client.logout()
    assert client.login(username=world.district_admin.username, password=PASSWORD)

    r = client.post(f"{page}unpin/")
    assert r.status_code == 302
    subject.refresh_from_db()
    assert not subject.assigned_by_hand and subject.team_id == team1.pk  # its team until the next run
    assert AuditLog.objects.filter(action=CampaignAuditAction.SUBJECT_UNPIN, object_id=subject.pk).exists()
    assert client.post(f"/api/visits/subjects/{subject.pk}/unpin").status_code == 409  # no longer by hand
    assignment_run(actor=world.district_admin, campaign_id=campaign.pk)
    subject.refresh_from_db()
    assert subject.team_id == team0.pk  # back in its building's run

    assign_by_hand(actor=world.district_admin, campaign_id=campaign.pk, subject_ids=[subject.pk], team_id=team1.pk)
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    assert 'data-action="unpin"' not in client.get(page).content.decode()
    r = client.post(f"/api/visits/subjects/{subject.pk}/unpin")
    assert r.status_code == 409 and r.json()["code"] == VisitErrorCode.CAMPAIGN_STATE

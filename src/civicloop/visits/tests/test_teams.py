"""Teams: the 1+3+1 composition rule (a matching, each missing seat named), members, the recorder, and when the
rule binds (active teams of a running campaign)."""

import pytest

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import AuditLog
from civicloop.orgs.constants import PersonKind
from civicloop.orgs.models import Person
from civicloop.visits.constants import TEAM_RULE_1_3_1, CampaignAuditAction, CampaignState, MemberRole
from civicloop.visits.error_codes import VisitErrorCode
from civicloop.visits.models import Team, TeamMember, Visit
from civicloop.visits.services.campaigns import campaign_start, campaign_start_gaps
from civicloop.visits.services.teams import (
    member_add,
    member_remove,
    member_set_recorder,
    team_create,
    team_rule_gaps,
    team_update,
)
from civicloop.visits.team_rule import gaps_text, recorder_gaps, team_rule_unfilled
from civicloop.visits.testing import make_campaign, make_party_org, make_team

R = MemberRole
FULL = [R.LEAD_CADRE, R.PARTY_REP, R.NPC_DEPUTY, R.CPPCC_MEMBER, R.LAWYER]


# ----- the rule, pure


def test_full_team_has_no_gaps():
    assert team_rule_gaps(TEAM_RULE_1_3_1, FULL) == []


@pytest.mark.parametrize("missing, label", [
    (R.LEAD_CADRE, "带队处级干部"), (R.PARTY_REP, "党代表"), (R.NPC_DEPUTY, "人大代表"),
    (R.CPPCC_MEMBER, "政协委员或青联委员"), (R.LAWYER, "律师")])
def test_each_missing_seat_is_named(missing, label):
    members = [r for r in FULL if r != missing]
    assert team_rule_gaps(TEAM_RULE_1_3_1, members) == [f"{label} 1 名"]


def test_message_names_what_is_missing():
    gaps = team_rule_gaps(TEAM_RULE_1_3_1, [R.LEAD_CADRE, R.PARTY_REP, R.NPC_DEPUTY, R.CPPCC_MEMBER])
    assert gaps_text(gaps) == "缺少：律师 1 名"


def test_youth_member_fills_the_third_seat():
    assert team_rule_gaps(TEAM_RULE_1_3_1, [R.LEAD_CADRE, R.PARTY_REP, R.NPC_DEPUTY, R.YOUTH_MEMBER, R.LAWYER]) == []


def test_a_member_is_not_counted_twice():
    # one CPPCC member cannot fill both an "either" seat and a "CPPCC only" seat
    rule = [{"seat": "either", "label": "政协委员或青联委员", "roles": [R.CPPCC_MEMBER, R.YOUTH_MEMBER], "min": 1},
            {"seat": "cppcc", "label": "政协委员", "roles": [R.CPPCC_MEMBER], "min": 1}]
    gaps = team_rule_gaps(rule, [R.CPPCC_MEMBER])
    assert len(gaps) == 1 and gaps[0] in ("政协委员或青联委员 1 名", "政协委员 1 名")
    # two lawyers do not make a lead cadre
    assert team_rule_gaps(TEAM_RULE_1_3_1, [R.LAWYER, R.LAWYER, R.PARTY_REP, R.NPC_DEPUTY, R.CPPCC_MEMBER]) == \
        ["带队处级干部 1 名"]


def test_matching_not_greedy_by_order():
    # the CPPCC member comes first: a greedy pass would seat them in "either" and leave "CPPCC only" empty,
    # though the youth member could take "either"
    rule = [{"seat": "either", "label": "政协委员或青联委员", "roles": [R.CPPCC_MEMBER, R.YOUTH_MEMBER], "min": 1},
            {"seat": "cppcc", "label": "政协委员", "roles": [R.CPPCC_MEMBER], "min": 1}]
    assert team_rule_gaps(rule, [R.CPPCC_MEMBER, R.YOUTH_MEMBER]) == []
    assert team_rule_gaps(rule, [R.YOUTH_MEMBER, R.CPPCC_MEMBER]) == []


def test_seat_minimum_counts_places():
    rule = [{"seat": "rep", "label": "代表", "roles": [R.PARTY_REP, R.NPC_DEPUTY], "min": 3}]
    assert team_rule_gaps(rule, [R.PARTY_REP]) == ["代表 2 名"]
    assert team_rule_unfilled(rule, [R.PARTY_REP, R.NPC_DEPUTY, R.NPC_DEPUTY, R.NPC_DEPUTY]) == []


def test_recorder_gap():
    class M:
        def __init__(self, recorder, user_id):
            self.recorder, self.user_id, self.role = recorder, user_id, R.STAFF

    assert recorder_gaps([M(False, 1)]) == ["记录员 1 名"]
    assert recorder_gaps([M(True, 1)]) == []


# ----- the services


@pytest.fixture
def draft(world):
    return make_campaign(world, state=CampaignState.DRAFT)


def _person(world, kind, code):
    return Person.objects.create(district=world.district, code=code, name=f"人{code}", kind=kind)


def test_draft_team_may_be_incomplete_until_start(world, draft):
    org = make_party_org(world)
    team = team_create(actor=world.district_admin, campaign_id=draft.pk, name="一组", unit_id=org.pk)
    assert team.active
    member_add(actor=world.district_admin, team_id=team.pk, user_id=world.district_admin.pk, recorder=True)
    gaps = campaign_start_gaps(draft)
    assert gaps == ["一组：缺少：带队处级干部 1 名、党代表 1 名、人大代表 1 名、政协委员或青联委员 1 名、律师 1 名"]
    with pytest.raises(CivicError) as exc:
        campaign_start(actor=world.district_admin, campaign_id=draft.pk)
    assert exc.value.code == VisitErrorCode.TEAM_INCOMPLETE and "律师 1 名" in exc.value.message
    draft.refresh_from_db()
    assert draft.state == CampaignState.DRAFT
    for i, kind in enumerate([PersonKind.CADRE, PersonKind.PARTY_REP, PersonKind.NPC_DEPUTY, PersonKind.YOUTH_MEMBER,
                              PersonKind.LAWYER]):
        member_add(actor=world.district_admin, team_id=team.pk, person_id=_person(world, kind, f"P{i}").pk)
    assert campaign_start_gaps(draft) == []
    campaign_start(actor=world.district_admin, campaign_id=draft.pk)
    draft.refresh_from_db()
    assert draft.state == CampaignState.RUNNING


def test_running_team_change_that_leaves_a_gap_is_refused(world):
    campaign = make_campaign(world)
    team = make_team(campaign, make_party_org(world))
    lawyer = TeamMember.objects.get(team=team, role=R.LAWYER)
    with pytest.raises(CivicError) as exc:
        member_remove(actor=world.district_admin, member_id=lawyer.pk)
    assert exc.value.code == VisitErrorCode.TEAM_INCOMPLETE
    assert exc.value.message == "第一走访组：缺少：律师 1 名"
    assert TeamMember.objects.filter(pk=lawyer.pk).exists()
    # the replacement first, then the removal
    member_add(actor=world.district_admin, team_id=team.pk, person_id=_person(world, PersonKind.LAWYER, "L2").pk)
    member_remove(actor=world.district_admin, member_id=lawyer.pk)
    assert not TeamMember.objects.filter(pk=lawyer.pk).exists()
    assert AuditLog.objects.filter(action=CampaignAuditAction.MEMBER_REMOVE, object_id=str(lawyer.pk)).count() == 1


def test_team_added_to_running_campaign_starts_inactive_until_complete(world):
    campaign = make_campaign(world)
    org = make_party_org(world)
    team = team_create(actor=world.district_admin, campaign_id=campaign.pk, name="新组", unit_id=org.pk)
    assert not team.active
    with pytest.raises(CivicError) as exc:
        team_update(actor=world.district_admin, team_id=team.pk, active=True)
    assert exc.value.code == VisitErrorCode.TEAM_INCOMPLETE and "记录员 1 名" in exc.value.message
    assert not Team.objects.get(pk=team.pk).active


def test_recorder_is_one_staff_account(world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    team = make_team(campaign, make_party_org(world))
    old = TeamMember.objects.get(team=team, recorder=True)
    new = member_add(actor=world.district_admin, team_id=team.pk, user_id=world.committee_worker.pk, recorder=True)
    assert list(TeamMember.objects.filter(team=team, recorder=True)) == [new]
    member_set_recorder(actor=world.district_admin, member_id=old.pk)
    assert list(TeamMember.objects.filter(team=team, recorder=True).values_list("pk", flat=True)) == [old.pk]
    person = TeamMember.objects.filter(team=team, person__isnull=False).first()
    with pytest.raises(CivicError) as exc:
        member_set_recorder(actor=world.district_admin, member_id=person.pk)
    assert exc.value.code == ErrorCode.INVALID


def test_person_sits_in_the_seat_of_its_kind(world, draft):
    team = make_team(draft, make_party_org(world), full=False)
    lawyer = _person(world, PersonKind.LAWYER, "LX")
    with pytest.raises(CivicError) as exc:
        member_add(actor=world.district_admin, team_id=team.pk, person_id=lawyer.pk, role=R.NPC_DEPUTY)
    assert exc.value.code == ErrorCode.INVALID and "律师" in exc.value.message
    member = member_add(actor=world.district_admin, team_id=team.pk, person_id=lawyer.pk)
    assert member.role == R.LAWYER
    with pytest.raises(CivicError) as exc:
        member_add(actor=world.district_admin, team_id=team.pk, person_id=lawyer.pk)
    assert exc.value.code == ErrorCode.DUPLICATE


def test_member_who_visited_cannot_be_removed(world, draft):
    import datetime as dt
    import uuid

    from civicloop.places.models import Household
    from civicloop.visits.testing import make_subject

    team = make_team(draft, make_party_org(world))
    extra = member_add(actor=world.district_admin, team_id=team.pk, person_id=_person(world, PersonKind.LAWYER, "L3").pk)
    subject = make_subject(draft, Household.objects.filter(street=world.street_a).first(), team)
    visit = Visit.objects.create(client_id=uuid.uuid4(), campaign=draft, subject=subject, team=team,
                                 district=draft.district, street_id=subject.street_id, visited_on=dt.date(2026, 3, 2),
                                 method="door", summary="x", satisfaction="satisfied", recorded_by=world.district_admin,
                                 recorded_at="2026-03-02T10:00:00+08:00")
    visit.members.add(extra)
    with pytest.raises(CivicError) as exc:
        member_remove(actor=world.district_admin, member_id=extra.pk)
    assert exc.value.code == VisitErrorCode.MEMBER_HAS_VISITS


@pytest.mark.parametrize("persona", ["outsider", "leader", "street_dispatcher"])
def test_readers_cannot_manage_teams(world, draft, persona):
    org = make_party_org(world)
    with pytest.raises(CivicError) as exc:
        team_create(actor=getattr(world, persona), campaign_id=draft.pk, name="x", unit_id=org.pk)
    assert exc.value.code == ErrorCode.FORBIDDEN


def test_stranger_does_not_find_the_campaign(world, draft):
    org = make_party_org(world)
    with pytest.raises(CivicError) as exc:
        team_create(actor=world.stranger, campaign_id=draft.pk, name="x", unit_id=org.pk)
    assert exc.value.code == ErrorCode.NOT_FOUND
    assert not Team.objects.exists()


# ----- the team page and endpoints


def _login(client, user):
    from civicloop.testing import PASSWORD

    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def test_team_page_manager_adds_members_others_read(client, world, draft, django_assert_max_num_queries):
    team = make_team(draft, make_party_org(world), full=False)
    lawyer = _person(world, PersonKind.LAWYER, "P-LAW")
    _login(client, world.district_admin)
    with django_assert_max_num_queries(20):
        page = client.get(f"/visits/teams/{team.pk}/").content.decode()
    assert "缺少：带队处级干部 1 名" in page and "添加成员" in page
    r = client.post(f"/visits/teams/{team.pk}/members/", {"person_code": "P-LAW"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 204
    assert TeamMember.objects.get(team=team, person=lawyer).role == R.LAWYER
    r = client.post(f"/visits/teams/{team.pk}/members/", {"person_code": "P-NONE"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "找不到该编码的本区人员" in r.content.decode()
    _login(client, world.outsider)
    page = client.get(f"/visits/teams/{team.pk}/").content.decode()
    assert "添加成员" not in page and "移出" not in page
    member = TeamMember.objects.get(team=team, person=lawyer)
    assert client.post(f"/visits/members/{member.pk}/remove/").status_code == 403
    _login(client, world.stranger)
    assert client.get(f"/visits/teams/{team.pk}/").status_code == 404
    assert client.post(f"/visits/members/{member.pk}/remove/").status_code == 404
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_team_api(client, world, draft):
    team = make_team(draft, make_party_org(world), full=False)
    _login(client, world.district_admin)
    body = client.get(f"/api/visits/teams/{team.pk}").json()
    assert body["complete"] is False and body["missing"][-1] == "律师 1 名"
    person = _person(world, PersonKind.NPC_DEPUTY, "P-NPC")
    r = client.post(f"/api/visits/teams/{team.pk}/members", {"person_id": person.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["role"] == "npc_deputy" and r.json()["role_label"] == "人大代表"
    r = client.post(f"/api/visits/members/{r.json()['id']}/remove")
    assert r.status_code == 204
    r = client.post(f"/api/visits/teams/{team.pk}/members", {"user_id": world.stranger.pk}, content_type="application/json")
    assert r.status_code == 400 and r.json()["details"][0]["field"] == "工作人员"

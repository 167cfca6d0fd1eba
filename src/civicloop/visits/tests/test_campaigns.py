"""Campaigns and topics: the services (state rules, validation, audit rows), the API and the pages, scoped."""

import datetime as dt

import pytest

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import AuditLog
from civicloop.testing import PASSWORD
from civicloop.visits.constants import CampaignAuditAction, CampaignState, SubjectGroup
from civicloop.visits.error_codes import VisitErrorCode
from civicloop.visits.models import Campaign, Topic
from civicloop.visits.services.campaigns import (
    campaign_close,
    campaign_create,
    campaign_start,
    campaign_update,
    topic_create,
    topic_update,
)
from civicloop.visits.testing import make_campaign, make_party_org, make_team

D1, D2 = dt.date(2026, 3, 1), dt.date(2026, 12, 31)


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


# ----- services


def test_create_with_defaults_and_audit(world):
    campaign = campaign_create(actor=world.district_admin, name=" 2026年大走访 ", start=D1, end=D2,
                               area_ids=[world.street_a.pk, world.comm_b1.pk])
    assert campaign.state == CampaignState.DRAFT and campaign.name == "2026年大走访"
    assert campaign.district_id == world.district.pk
    assert campaign.targets[SubjectGroup.HOUSEHOLD_KEY] == 100 and campaign.targets[SubjectGroup.HOUSEHOLD_OTHER] == 30
    assert len(campaign.themes) == 5 and len(campaign.team_rule) == 5
    assert set(campaign.areas.values_list("pk", flat=True)) == {world.street_a.pk, world.comm_b1.pk}
    row = AuditLog.objects.get(action=CampaignAuditAction.CAMPAIGN_CREATE)
    assert (row.object_type, row.object_id, row.user_id) == ("visits.campaign", str(campaign.pk), world.district_admin.pk)


@pytest.mark.parametrize("kwargs, field", [
    ({"name": "  "}, "名称"),
    ({"end": dt.date(2026, 1, 1)}, "结束日期"),
    ({"area_ids": [0]}, "走访范围"),
    ({"targets": {"household_key": 101}}, "覆盖目标（%）"),
    ({"targets": {"nobody": 10}}, "覆盖目标（%）"),
    ({"subject_kinds": []}, "走访对象"),
    ({"team_rule": [{"label": "律师", "roles": ["pilot"], "min": 1}]}, "组队规则"),
])
def test_create_refuses_bad_input(world, kwargs, field):
    args = {"name": "活动", "start": D1, "end": D2, **kwargs}
    with pytest.raises(CivicError) as exc:
        campaign_create(actor=world.district_admin, **args)
    assert exc.value.code == ErrorCode.INVALID
    assert exc.value.details[0]["field"] == field
    assert not Campaign.objects.exists()


def test_areas_of_another_district_or_level_refused(world):
    from civicloop.places.models import Place

    other_street = Place.objects.filter(district=world.other_district, level="street").first()
    building = Place.objects.filter(district=world.district, level="building").first()
    for area in (other_street, building):
        with pytest.raises(CivicError):
            campaign_create(actor=world.district_admin, name="活动", start=D1, end=D2, area_ids=[area.pk])


@pytest.mark.parametrize("persona", ["outsider", "leader", "street_dispatcher", "committee_worker", "nobody"])
def test_only_managers_create(world, persona):
    with pytest.raises(CivicError) as exc:
        campaign_create(actor=getattr(world, persona), name="活动", start=D1, end=D2)
    assert exc.value.code == ErrorCode.FORBIDDEN


def test_state_rules(world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    with pytest.raises(CivicError) as exc:
        campaign_close(actor=world.district_admin, campaign_id=campaign.pk)
    assert exc.value.code == VisitErrorCode.CAMPAIGN_STATE
    with pytest.raises(CivicError) as exc:  # no team yet
        campaign_start(actor=world.district_admin, campaign_id=campaign.pk)
    assert exc.value.code == VisitErrorCode.TEAM_INCOMPLETE and "走访组" in exc.value.message
    make_team(campaign, make_party_org(world))
    campaign_start(actor=world.district_admin, campaign_id=campaign.pk)
    with pytest.raises(CivicError) as exc:
        campaign_start(actor=world.district_admin, campaign_id=campaign.pk)
    assert exc.value.code == VisitErrorCode.CAMPAIGN_STATE
    campaign_close(actor=world.district_admin, campaign_id=campaign.pk)
    with pytest.raises(CivicError) as exc:
        campaign_update(actor=world.district_admin, campaign_id=campaign.pk, name="新名称")
    assert exc.value.code == VisitErrorCode.CAMPAIGN_STATE
    actions = list(AuditLog.objects.filter(object_id=str(campaign.pk), object_type="visits.campaign")
                   .order_by("id").values_list("action", flat=True))
    assert actions == [CampaignAuditAction.CAMPAIGN_START, CampaignAuditAction.CAMPAIGN_CLOSE]


def test_update_records_what_changed(world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    campaign_update(actor=world.district_admin, campaign_id=campaign.pk, name="改名", themes=["与城市更新相结合", " "],
                    area_ids=[world.comm_a1.pk], targets={"household_other": 50})
    campaign.refresh_from_db()
    assert campaign.name == "改名" and campaign.themes == ["与城市更新相结合"]
    assert campaign.targets == {"household_key": 0, "household_other": 50, "enterprise_key": 0, "enterprise_other": 0}
    row = AuditLog.objects.get(action=CampaignAuditAction.CAMPAIGN_UPDATE)
    assert set(row.details["changed"]) == {"name", "themes", "targets", "areas"}


def test_running_rule_change_must_keep_teams_complete(world):
    campaign = make_campaign(world)
    make_team(campaign, make_party_org(world))
    rule = list(campaign.team_rule) + [{"seat": "volunteer", "label": "律师", "roles": ["lawyer"], "min": 2}]
    with pytest.raises(CivicError) as exc:
        campaign_update(actor=world.district_admin, campaign_id=campaign.pk, team_rule=rule)
    assert exc.value.code == VisitErrorCode.TEAM_INCOMPLETE and "律师 2 名" in exc.value.message
    campaign.refresh_from_db()
    assert len(campaign.team_rule) == 5


def test_topics(world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    topic = topic_create(actor=world.district_admin, campaign_id=campaign.pk, title="老旧小区加装电梯",
                         leader_id=world.leader.pk, description="调研")
    assert topic.leader == world.leader
    with pytest.raises(CivicError) as exc:  # a leader of another district
        topic_update(actor=world.district_admin, topic_id=topic.pk, leader_id=world.stranger.pk)
    assert exc.value.code == ErrorCode.INVALID
    topic_update(actor=world.district_admin, topic_id=topic.pk, title="加装电梯")
    assert Topic.objects.get(pk=topic.pk).title == "加装电梯"
    with pytest.raises(CivicError) as exc:
        topic_update(actor=world.stranger, topic_id=topic.pk, title="x")
    assert exc.value.code == ErrorCode.NOT_FOUND
    assert AuditLog.objects.filter(object_type="visits.topic", object_id=str(topic.pk)).count() == 2


# ----- API


def test_api_create_start_and_detail(client, world):
    login(client, world.district_admin)
    r = client.post("/api/visits/campaigns", {"name": "API 活动", "start": "2026-03-01", "end": "2026-12-31",
                                             "area_ids": [world.street_a.pk]}, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.get(f"/api/visits/campaigns/{pk}/detail")
    assert r.status_code == 200
    body = r.json()
    assert body["may_start"] is False and body["start_blocked_by"] == ["还没有启用的走访组。"]
    assert body["areas"] == [{"id": world.street_a.pk, "name": world.street_a.name}]
    org = make_party_org(world)
    r = client.post(f"/api/visits/campaigns/{pk}/teams", {"name": "一组", "unit_id": org.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["complete"] is False
    assert "律师 1 名" in r.json()["missing"]
    r = client.post(f"/api/visits/campaigns/{pk}/start")
    assert r.status_code == 400 and r.json()["code"] == "team_incomplete"
    assert "缺少" in r.json()["message"]


def test_api_refusals(client, world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    login(client, world.outsider)  # reads the district's campaigns, manages none
    assert client.get(f"/api/visits/campaigns/{campaign.pk}/detail").json()["may_manage"] is False
    r = client.post(f"/api/visits/campaigns/{campaign.pk}", {"name": "x"}, content_type="application/json")
    assert r.status_code == 403
    login(client, world.stranger)
    assert client.get(f"/api/visits/campaigns/{campaign.pk}/detail").status_code == 404
    r = client.post(f"/api/visits/campaigns/{campaign.pk}/close")
    assert r.status_code == 404
    login(client, world.district_admin)
    r = client.post("/api/visits/campaigns", {"name": "x", "start": "2026-03-01", "end": "2026-12-31",
                                             "targets": {"household_key": 120}}, content_type="application/json")
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "重点人群住户"
    assert Campaign.objects.count() == 1


def test_api_lists_bounded_queries(client, world, django_assert_max_num_queries):
    for i in range(5):
        c = make_campaign(world, name=f"活动{i}")
        for j in range(3):
            make_team(c, make_party_org(world, code=f"U-{i}-{j}"), name=f"组{j}")
    campaign = Campaign.objects.first()
    login(client, world.district_admin)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/visits/campaigns").json()) == 5
    with django_assert_max_num_queries(14):
        teams = client.get(f"/api/visits/campaigns/{campaign.pk}/teams").json()
    assert len(teams) == 3 and all(t["complete"] for t in teams)


# ----- pages


def test_list_links_and_offers_new_to_managers(client, world):
    campaign = make_campaign(world)
    login(client, world.district_admin)
    page = client.get("/visits/campaigns/").content.decode()
    assert f'href="/visits/campaigns/{campaign.pk}/"' in page and "新建走访活动" in page
    login(client, world.outsider)
    page = client.get("/visits/campaigns/").content.decode()
    assert f'href="/visits/campaigns/{campaign.pk}/"' in page and "新建走访活动" not in page


def test_page_create_through_form(client, world):
    login(client, world.district_admin)
    r = client.post("/visits/campaigns/", {"name": "表单活动", "start": "2026-03-01", "end": "2026-12-31",
                                           "subject_kinds": ["household"], "area_ids": [str(world.comm_a1.pk)]})
    assert r.status_code == 302
    campaign = Campaign.objects.get(name="表单活动")
    assert campaign.subject_kinds == ["household"]
    r = client.post("/visits/campaigns/", {"name": "坏活动", "start": "2026-03-01", "end": "不是日期"})
    assert r.status_code == 400 and "结束日期" in r.content.decode()


def test_campaign_page_offers_only_what_can_succeed(client, world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    team = make_team(campaign, make_party_org(world), full=False)
    login(client, world.district_admin)
    page = client.get(f"/visits/campaigns/{campaign.pk}/").content.decode()
    assert 'data-action="start"' not in page and "尚不能启动" in page and "律师 1 名" in page
    assert 'data-action="close"' not in page and 'data-action="assign"' not in page
    assert 'data-action="coverage"' not in page  # a draft has no subjects yet
    team.delete()
    make_team(campaign, make_party_org(world, code="U-PO2"), name="齐备组")
    page = client.get(f"/visits/campaigns/{campaign.pk}/").content.decode()
    assert 'data-action="start"' in page and "齐备" in page
    r = client.post(f"/visits/campaigns/{campaign.pk}/do/start/", HTTP_HX_REQUEST="true")
    assert r.status_code == 204
    page = client.get(f"/visits/campaigns/{campaign.pk}/").content.decode()
    assert 'data-action="close"' in page and 'data-action="assign"' in page and 'data-action="start"' not in page
    assert f'href="/visits/campaigns/{campaign.pk}/coverage/"' in page


def test_campaign_page_read_only_for_other_staff_and_404_elsewhere(client, world):
    campaign = make_campaign(world)
    make_team(campaign, make_party_org(world))
    login(client, world.street_dispatcher)
    r = client.get(f"/visits/campaigns/{campaign.pk}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-action="close"' not in page and "修改活动" not in page and "建组" not in page
    r = client.post(f"/visits/campaigns/{campaign.pk}/do/close/")
    assert r.status_code == 403
    login(client, world.stranger)
    assert client.get(f"/visits/campaigns/{campaign.pk}/").status_code == 404
    assert client.post(f"/visits/campaigns/{campaign.pk}/do/close/").status_code == 404
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.RUNNING


def test_campaign_page_bounded_queries(client, world, django_assert_max_num_queries):
    campaign = make_campaign(world)
    for j in range(6):
        make_team(campaign, make_party_org(world, code=f"U-{j}"), name=f"组{j}")
    login(client, world.district_admin)
    with django_assert_max_num_queries(30):
        r = client.get(f"/visits/campaigns/{campaign.pk}/")
    assert r.status_code == 200 and r.content.decode().count("齐备") >= 6


def test_page_update_form(client, world):
    campaign = make_campaign(world, state=CampaignState.DRAFT)
    login(client, world.district_admin)
    form = {"name": "改过的活动", "start": "2026-03-01", "end": "2026-12-31", "subject_kinds": ["enterprise"],
            "target_household_key": "100", "target_household_other": "40", "target_enterprise_key": "100",
            "target_enterprise_other": "90", "themes": "与城市更新相结合\n\n与基层治理相结合\n"}
    assert client.post(f"/visits/campaigns/{campaign.pk}/", form).status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "改过的活动" and campaign.subject_kinds == ["enterprise"]
    assert campaign.targets["household_other"] == 40 and campaign.themes == ["与城市更新相结合", "与基层治理相结合"]
    r = client.post(f"/visits/campaigns/{campaign.pk}/", {**form, "subject_kinds": []})
    assert r.status_code == 400 and "走访对象" in r.content.decode()
    campaign.refresh_from_db()
    assert campaign.subject_kinds == ["enterprise"]

"""The offline field app's server side: the page (its teams, its strings, nothing inline) and the service worker.

What it does in the browser (offline record, outbox, sync, exactly once, a reassigned subject) is driven in a
real Chromium: tests/test_browser_visits_offline.py.
"""

import json
import re

from django.urls import reverse

from civicloop.visits.constants import CampaignState
from civicloop.visits.field_app import SHELL_STATIC, field_strings
from civicloop.visits.models import Campaign
from civicloop.visits.testing import make_team


def _json_block(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_the_page_offers_the_members_teams_of_running_campaigns_only(client, field):
    draft = Campaign.objects.create(district=field.campaign.district, name="草拟中的活动", start=field.campaign.start,
                                    end=field.campaign.end, state=CampaignState.DRAFT)
    make_team(draft, field.org, field.recorder, name="草拟活动走访组", full=False)
    client.force_login(field.recorder)
    response = client.get(reverse("visits:field"))
    assert response.status_code == 200
    html = response.content.decode()
    config = _json_block(html, "field-config")
    assert config["user"] == field.recorder.pk
    assert config["teams"] == [{"id": field.team.pk, "name": field.team.name, "campaign": field.campaign.name}]
    assert config["field_list_url"] == "/api/visits/teams/{id}/field-list"
    assert config["visits_url"] == "/api/visits/visits"
    assert config["sw_url"] == "/visits/sw.js" and config["sw_scope"] == "/visits/field/"
    assert 'id="team-select"' not in html and field.team.name in html  # one team: named, nothing to choose
    strings = _json_block(html, "field-strings")
    assert strings["follow_up_question"] == "上次反映：%(summary)s，是否满意？"
    assert "立即同步" in html and "civicloop/visits/field.js" in html


def test_a_person_on_no_team_is_told_so(client, world, field):
    client.force_login(world.street_dispatcher)
    html = client.get(reverse("visits:field")).content.decode()
    assert 'id="no-teams"' in html and _json_block(html, "field-config")["teams"] == []


def test_the_page_needs_a_login(client, field):
    response = client.get(reverse("visits:field"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_every_string_the_script_shows_is_translated_with_its_placeholders():
    from django.utils import translation

    chinese = field_strings()
    with translation.override("en"):
        english = field_strings()
    assert chinese.keys() == english.keys()
    for key, text in chinese.items():
        assert sorted(re.findall(r"%\((\w+)\)s", text)) == sorted(re.findall(r"%\((\w+)\)s", english[key])), key


def test_the_service_worker_is_served_to_anyone_with_the_shell_and_its_version(client):
    response = client.get(reverse("visits:sw"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in response  # same origin, same policy as every answer
    body = response.content.decode()
    first, rest = body.split("\n", 1)
    shell = json.loads(first.removeprefix("self.CIVICLOOP_SHELL = ").removesuffix(";"))
    assert shell["page"] == "/visits/field/" and shell["field_list"] == "/api/visits/teams/"
    assert shell["static"] == [f"/static/{p}" for p in SHELL_STATIC]
    assert re.fullmatch(r"[0-9a-f]{16}", shell["version"])
    assert 'addEventListener("fetch"' in rest
    assert client.get(reverse("visits:sw")).content == response.content  # the same bytes: no needless update


def test_the_teams_page_links_to_the_field_app(client, field):
    client.force_login(field.recorder)
    html = client.get(reverse("visits:mine")).content.decode()
    assert f'href="{reverse("visits:field")}"' in html and 'id="open-field-app"' in html


def test_a_member_of_two_teams_chooses_one(client, field):
    second = make_team(field.campaign, field.org, field.recorder, name="第三走访组", full=False)
    client.force_login(field.recorder)
    html = client.get(reverse("visits:field")).content.decode()
    assert 'id="team-select"' in html
    teams = _json_block(html, "field-config")["teams"]
    assert [t["id"] for t in teams] == [field.team.pk, second.pk]  # by campaign, then name (第一 before 第三)

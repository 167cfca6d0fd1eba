"""The coverage page, its .xlsx export and the coverage API, over the hand-counted world of test_coverage."""

from __future__ import annotations

import io
import json
import re

import pytest
from python_calamine import CalamineWorkbook

from civicloop.testing import PASSWORD
from civicloop.visits.tests.test_coverage import build_coverage_world


@pytest.fixture
def cw(world):
    return build_coverage_world(world)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def url(cw, suffix: str = "") -> str:
    return f"/visits/campaigns/{cw.campaign.pk}/coverage/{suffix}"


def sheet_rows(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


def json_block(html: str, element_id: str):
    m = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


# ----- the page


def test_the_page_shows_groups_streets_teams_and_the_unvisited_list(client, world, cw, django_assert_max_num_queries):
    login(client, world.district_admin)
    with django_assert_max_num_queries(20):
        r = client.get(url(cw))
    assert r.status_code == 200
    html = r.content.decode()
    assert "沉默的少数" in html and world.street_a.name in html and "第二走访组" in html
    assert 'id="unvisited-count">2<' in html
    assert html.count("data-subject=") == 2
    # no inline script: data in json_script blocks, behaviour in a static file
    assert not re.search(r"<script>(?!\s*</script>)", html)
    chart = json_block(html, "coverage-chart-data")
    assert chart["target"] == 8 and chart["visited"][-1] == 5
    areas = json_block(html, "coverage-map-data")
    assert areas["outline"]["features"][0]["id"] == "310104"  # the test district's code is Xuhui's


def test_drilling_into_a_street_lists_its_communities(client, world, cw):
    login(client, world.district_admin)
    html = client.get(url(cw), {"street": world.street_a.pk}).content.decode()
    assert world.comm_a1.name in html and world.comm_a2.name in html and world.comm_b1.name not in html
    assert 'id="unvisited-count">1<' in html


def test_a_community_map_shows_its_subjects_as_points(client, world, cw):
    login(client, world.district_admin)
    html = client.get(url(cw), {"street": world.street_a.pk, "community": world.comm_a1.pk}).content.decode()
    assert json_block(html, "coverage-map-data")["subjects"] == [[121.43, 31.18, "visited"]]


def test_filters_and_sort_narrow_the_list(client, world, cw):
    login(client, world.district_admin)
    html = client.get(url(cw), {"team": "none"}).content.decode()
    assert 'id="unvisited-count">0<' in html
    html = client.get(url(cw), {"team": cw.team2.pk, "sort": "-team"}).content.decode()
    assert 'id="unvisited-count">1<' in html and f'data-subject="{cw.s["h7"].pk}"' in html


@pytest.mark.parametrize("params, status", [
    ({"team": "abc"}, 400), ({"group": "household_other"}, 400), ({"sort": "head_name"}, 400),
    ({"street": str(2**70)}, 400), ({"team": "999999"}, 404),
])
def test_bad_filters_get_a_clear_refusal(client, world, cw, params, status):
    login(client, world.district_admin)
    r = client.get(url(cw), params)
    assert r.status_code == status
    assert "Traceback" not in r.content.decode()


def test_out_of_scope(client, world, cw):
    login(client, world.street_dispatcher)
    assert client.get(url(cw), {"street": world.street_b.pk}).status_code == 404
    login(client, world.dept_handler)
    assert client.get(url(cw)).status_code == 404


# ----- the export


def test_the_export_is_exactly_the_filtered_list_masked_for_the_viewer(client, world, cw):
    login(client, world.street_dispatcher)
    rows = sheet_rows(client.get(url(cw, "unvisited.xlsx")))
    assert rows[0] == ["对象类型", "覆盖分组", "地址或名称", "户主或联系人", "联系电话", "街道", "居委", "走访组"]
    assert rows[1:] == [["住户", "重点人群住户", "甲街道1号楼202室 电话139****5678", "李*", "139****5678",
                         world.street_a.name, world.comm_a1.name, "第一走访组"]]
    login(client, world.district_admin)
    everyone = sheet_rows(client.get(url(cw, "unvisited.xlsx"), {"sort": "-walk"}))
    page = client.get(url(cw), {"sort": "-walk"}).content.decode()
    assert len(everyone) - 1 == int(re.search(r'id="unvisited-count">(\d+)<', page).group(1)) == 2
    assert [r[2] for r in everyone[1:]] == [f"{world.comm_b1.name}1号楼207室", "甲街道1号楼202室 电话13912345678"]
    filtered = sheet_rows(client.get(url(cw, "unvisited.xlsx"), {"team": cw.team1.pk}))
    assert [r[7] for r in filtered[1:]] == ["第一走访组"]


# ----- the API


def test_the_api_numbers_and_lists_agree(client, world, cw):
    login(client, world.district_admin)
    base = f"/api/visits/campaigns/{cw.campaign.pk}"
    cov = client.get(f"{base}/coverage").json()
    from civicloop.visits.api import CoverageOut

    CoverageOut.model_validate(cov)  # written without the schema's validation (core.api.plain_response)
    assert (cov["total"]["subjects"], cov["total"]["visited"], cov["total"]["target"]) == (11, 5, 8)
    assert [(g["group"], g["met"]) for g in cov["groups"]] == [
        ("household_key", False), ("household_other", True), ("enterprise_key", True), ("enterprise_other", False)]
    for street in cov["streets"]:
        page = client.get(f"{base}/unvisited", {"street": street["id"], "limit": 500}).json()
        assert page["count"] == len(page["items"]) == street["key_unvisited"]
    for team in cov["teams"]:
        params = {"team": team["id"]} if team["id"] else {"unassigned": "true"}
        assert client.get(f"{base}/unvisited", params).json()["count"] == team["key_unvisited"]
    progress = client.get(f"{base}/progress").json()
    assert progress["days"] == cov["progress"]["days"] and progress["target"] == 8
    item = client.get(f"{base}/unvisited", {"limit": 1}).json()["items"][0]
    assert item["phone"] == "139****5678" and item["contact"] == "李*"


def test_the_api_refuses_bad_parameters_and_other_districts(client, world, cw):
    login(client, world.district_admin)
    base = f"/api/visits/campaigns/{cw.campaign.pk}"
    r = client.get(f"{base}/unvisited", {"group": "household_other"})
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "覆盖分组"
    assert client.get(f"{base}/coverage", {"team": 999_999}).status_code == 404
    login(client, world.stranger)
    assert client.get(f"{base}/coverage").status_code == 404


def test_many_teams_load_their_table_when_opened(client, world, cw, settings, monkeypatch):
    from civicloop.visits import views

    monkeypatch.setattr(views, "TEAMS_INLINE", 2)  # the world has 3 rows (two teams and "no team")
    login(client, world.district_admin)
    html = client.get(url(cw)).content.decode()
    assert 'data-team="' not in html and "part=teams" in html
    fragment = client.get(url(cw), {"part": "teams"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.count('data-team="') == 3 and "<html" not in fragment
    assert client.get(url(cw), {"part": "teams"}).content.decode().count('data-team="') == 3  # without htmx

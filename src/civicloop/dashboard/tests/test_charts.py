"""The charts' data: the trend's red cases and the street map (GET /api/dashboard/map) — scope, every figure's list
with the figure's count, bounded statements, refusals — and the overview page's rankings by a chosen KPI."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from civicloop.places.models import Place

from .test_api import API, overview


def street_map(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{API}/map{query}")
    assert response.status_code == 200, response.content
    return response.json()


def map_figures(data):
    for point in data["streets"]:
        yield f"{point['name']}.open", point["open"]
        yield f"{point['name']}.on_time", point["on_time_rate"]["numerator"]
        yield f"{point['name']}.resolved", point["on_time_rate"]["denominator"]


def test_the_trend_counts_the_cases_gone_red_each_day(client, loop):
    data = overview(client, loop.world.leader)
    red = {row["day"]: row["red"]["count"] for row in data["trend"] if row["red"]["count"]}
    overdue = next(k for k in data["kpis"] if k["code"] == "overdue")
    assert sum(red.values()) == overdue["numerator"]["count"] == 3  # every deadline of the data set is past
    assert data["trend"][-1]["red"]["count"] == 0  # today's deadlines are not missed yet
    for row in data["trend"]:
        page = client.get(f"{API}/cases?{row['red']['drill']}&limit=500").json()
        assert page["count"] == row["red"]["count"], row["day"]


def test_the_district_map_places_every_street_with_its_open_cases_and_on_time_rate(client, loop):
    w = loop.world
    Place.objects.filter(pk=w.street_a.pk).update(lat=31.19, lng=121.44)
    data = street_map(client, w.leader)
    assert data["outline"]["features"][0]["id"] == "310104"  # the kept Xuhui outline (places/data)
    assert [p["name"] for p in data["streets"]] == [w.street_a.name, w.street_b.name]
    a, b = data["streets"]
    assert (a["lat"], a["lng"]) == (31.19, 121.44) and b["lat"] is None
    ov = overview(client, w.leader)
    assert a["open"]["count"] + b["open"]["count"] == ov["today"]["open"]["count"]
    ranked = {r["name"]: r["kpis"][1] for r in ov["streets"]}  # on_time_rate, as the ranking has it
    assert a["on_time_rate"]["numerator"] == ranked[w.street_a.name]["numerator"]
    assert a["on_time_rate"]["value"] == pytest.approx(ranked[w.street_a.name]["value"])


@pytest.mark.parametrize("persona", ["leader", "street_dispatcher", "committee_worker", "dept_handler",
                                     "city_handler", "outsider", "stranger"])
def test_every_map_figure_lists_the_cases_behind_it_with_its_count(client, loop, persona):
    data = street_map(client, getattr(loop.world, persona))
    for where, figure in map_figures(data):
        page = client.get(f"{API}/cases?{figure['drill']}&limit=500").json()
        assert page["count"] == figure["count"] == len(page["items"]), where


def test_each_viewer_sees_the_streets_of_their_scope(client, loop):
    w = loop.world
    assert [p["id"] for p in street_map(client, w.street_dispatcher)["streets"]] == [w.street_a.pk]
    assert [p["id"] for p in street_map(client, w.committee_worker)["streets"]] == [w.street_a.pk]
    department = street_map(client, w.dept_handler)["streets"]  # the streets of the cases it leads
    assert department and {p["id"] for p in department} <= {w.street_a.pk, w.street_b.pk}
    stranger = street_map(client, w.stranger)  # another district: its own streets, none of these cases
    assert stranger["outline"] is None  # no outline kept for it
    assert stranger["streets"] and all(p["open"]["count"] == 0 for p in stranger["streets"])
    assert w.street_a.pk not in {p["id"] for p in stranger["streets"]}
    narrowed = street_map(client, w.leader, f"?street={w.street_b.pk}")["streets"]
    assert [p["id"] for p in narrowed] == [w.street_b.pk]


def test_the_map_reads_a_bounded_number_of_statements(client, loop, django_assert_max_num_queries):
    client.force_login(loop.world.leader)
    client.get(f"{API}/map")
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/map?category={loop.world.district.pk}&channel=portal").status_code == 200


@pytest.mark.parametrize("query, status, code", [
    ("?start=2026-03-09&end=2026-03-01", 400, "period_invalid"),
    ("?start=yesterday", 422, "invalid"),
    ("?street=%00", 422, "invalid"),
    ("?street=99999999999999999999", 422, "invalid"),
    ("?channel=fax", 422, "invalid"),
])
def test_bad_input_on_the_map_is_refused(client, loop, query, status, code):
    client.force_login(loop.world.leader)
    response = client.get(f"{API}/map{query}")
    assert response.status_code == status and response.json()["code"] == code and response.json()["message"]


def test_who_may_not_read_the_map_is_refused(client, loop):
    client.force_login(loop.world.nobody)
    assert client.get(f"{API}/map").status_code == 403
    client.logout()
    assert client.get(f"{API}/map").status_code == 401


def test_the_page_ranks_by_the_chosen_kpi_and_names_the_endpoints(client, loop, django_assert_max_num_queries):
    w = loop.world
    client.force_login(w.leader)
    client.get(reverse("dashboard:overview"))
    with django_assert_max_num_queries(30):
        html = client.get(reverse("dashboard:overview") + "?rank=intake").content.decode()
    assert '<option value="intake" selected>' in html and "街道排名（受理量）" in html
    streets = re.findall(r'<tr data-street="(\d+)"><th scope="row">', html.split('id="streets"')[1])
    ov = overview(client, w.leader)
    by_intake = sorted(ov["streets"], key=lambda r: (-r["kpis"][0]["value"], r["id"]))
    assert [int(s) for s in streets] == [r["id"] for r in by_intake]
    assert 'data-overview="/api/dashboard/overview?start=' in html and 'data-map="/api/dashboard/map?start=' in html
    assert 'id="map-streets"' in html and 'id="trend-chart"' in html and "<script>" not in html
    assert "dashboard/overview.js" in html and "civicloop/charts.js" in html
    html = client.get(reverse("dashboard:overview") + "?rank=nothing").content.decode()
    assert '<option value="on_time_rate" selected>' in html  # an unknown ranking: the default


def _without_moment(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "refreshed_at"}  # the same moment, written to ms vs µs


def test_the_page_embeds_the_endpoints_figures_so_they_are_computed_once_a_view(client, loop):
    """The charts draw from the overview and map the page computed (json_script), not from a second request that
    would compute them again: what is embedded is what the endpoints return, for the page's period and filters."""
    w = loop.world
    client.force_login(w.leader)
    query = f"?start=2026-01-01&end=2026-12-31&street={w.street_a.pk}"
    html = client.get(reverse("dashboard:overview") + query).content.decode()
    found = re.search(r'<script id="dashboard-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page embeds the charts' data"
    embedded = json.loads(found.group(1))
    assert _without_moment(embedded["overview"]) == _without_moment(client.get(f"{API}/overview{query}").json())
    assert embedded["map"] == client.get(f"{API}/map{query}").json()
    assert embedded["overview"]["streets"] and embedded["map"]["streets"][0]["id"] == w.street_a.pk

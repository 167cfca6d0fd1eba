"""The pages and the API: the matrix, the provenance, the scorecard, exports; who sees what; bounded queries."""

import json
from decimal import Decimal as D

import pytest
from django.urls import reverse

from civicloop.assess.models import Indicator, Score
from civicloop.assess.services.runs import run_publish

pytestmark = pytest.mark.django_db


def test_home_and_set_pages(world, small_set, client, django_assert_max_num_queries):
    client.force_login(world.district_admin)
    with django_assert_max_num_queries(20):
        assert "小指标体系" in client.get(reverse("assess:home")).content.decode()
    with django_assert_max_num_queries(20):
        body = client.get(reverse("assess:set", args=[small_set.pk])).content.decode()
    assert "按时办结率" in body and "添加指标" in body
    k1 = Indicator.objects.get(indicator_set=small_set, code="K1")
    assert client.get(reverse("assess:indicator", args=[k1.pk])).status_code == 200
    response = client.post(reverse("assess:indicator", args=[k1.pk]), {
        "dimension": "办理", "code": "K1", "name": "按时办结率", "kind": "objective", "metric": "on_time_rate",
        "rule": "linear", "direction": "higher", "weight": "30", "target": "95", "floor": "60"})
    assert response.status_code == 302
    assert Indicator.objects.get(pk=k1.pk).weight == D(30)
    xlsx = client.get(reverse("assess:set_xlsx", args=[small_set.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_bad_indicator_form_changes_nothing(world, small_set, client):
    client.force_login(world.district_admin)
    k1 = Indicator.objects.get(indicator_set=small_set, code="K1")
    response = client.post(reverse("assess:indicator", args=[k1.pk]), {
        "dimension": "办理", "code": "K1", "name": "按时办结率", "kind": "objective", "metric": "on_time_rate",
        "rule": "linear", "weight": "99999999999999999999", "target": "95", "floor": "60"})
    assert response.status_code == 400
    assert "分值" in response.content.decode()
    assert Indicator.objects.get(pk=k1.pk).weight == D(25)


def test_the_run_matrix_opens_to_the_provenance(computed, client, django_assert_max_num_queries):
    w = computed.loop.world
    client.force_login(w.district_admin)
    with django_assert_max_num_queries(25):
        body = client.get(reverse("assess:run", args=[computed.run.pk])).content.decode()
    assert "33.67" in body and "金奖" in body and "table-success" in body or "table-danger" in body
    dimension = Indicator.objects.get(pk=computed.codes["K1"]).dimension_id
    with django_assert_max_num_queries(25):
        body = client.get(reverse("assess:run", args=[computed.run.pk]) + f"?dim={dimension}").content.decode()
    k1a = Score.objects.get(run=computed.run, unit=w.street_a_office, indicator_id=computed.codes["K1"])
    assert reverse("assess:score", args=[k1a.pk]) in body
    with django_assert_max_num_queries(20):
        body = client.get(reverse("assess:score", args=[k1a.pk])).content.decode()
    assert "16.67" in body and "未达目标扣分" in body and "kpi=on_time_rate" in body
    assert client.get(reverse("assess:scorecard", args=[computed.run.pk, w.street_a_office.pk])).status_code == 200
    assert client.get(reverse("assess:run_print", args=[computed.run.pk])).status_code == 200
    assert client.get(reverse("assess:run_xlsx", args=[computed.run.pk])).content[:2] == b"PK"
    assert client.get(reverse("assess:entries", args=[computed.run.pk])).status_code == 200


def test_street_staff_see_their_own_scorecard_once_published(computed, client):
    w = computed.loop.world
    client.force_login(w.street_dispatcher)
    scorecard = reverse("assess:scorecard", args=[computed.run.pk, w.street_a_office.pk])
    assert client.get(scorecard).status_code == 404  # a draft
    run_publish(actor=w.district_admin, run_id=computed.run.pk)
    assert client.get(scorecard).status_code == 200
    assert client.get(reverse("assess:scorecard", args=[computed.run.pk, w.street_b_office.pk])).status_code == 404
    other = Score.objects.get(run=computed.run, unit=w.street_b_office, indicator_id=computed.codes["K1"])
    assert client.get(reverse("assess:score", args=[other.pk])).status_code == 404
    body = client.get(reverse("assess:run", args=[computed.run.pk])).content.decode()
    assert w.street_b_office.name not in body  # the ranking shows their own unit only
    client.force_login(w.stranger)
    assert client.get(scorecard).status_code == 404


def test_phone_width_markup(computed, client):
    """The matrix scrolls inside its box (table-responsive) with the unit column sticky; the scorecard is a list."""
    client.force_login(computed.loop.world.district_admin)
    body = client.get(reverse("assess:run", args=[computed.run.pk])).content.decode()
    assert 'class="table-responsive"' in body and "sticky" in body


def test_api(computed, client):
    w = computed.loop.world
    client.force_login(w.district_admin)
    runs = client.get("/api/assess/runs").json()
    assert runs["count"] == 1
    detail = client.get(f"/api/assess/runs/{computed.run.pk}").json()
    assert [(r["rank"], r["medal"]) for r in detail["results"]] == [(1, "gold"), (2, "silver")]
    k1a = Score.objects.get(run=computed.run, unit=w.street_a_office, indicator_id=computed.codes["K1"])
    score = client.get(f"/api/assess/scores/{k1a.pk}").json()
    assert sum(D(t["points"]) for t in score["terms"]) == D(score["points"]) == D("16.67")
    assert [c["count"] for c in score["cases"]] == [2, 3]
    k1 = computed.codes["K1"]
    frozen = client.put(f"/api/assess/indicators/{k1}", data=json.dumps({
        "dimension": "办理", "code": "K1", "name": "x", "kind": "objective", "metric": "on_time_rate",
        "rule": "linear", "weight": "5", "target": "95", "floor": "70"}), content_type="application/json")
    assert frozen.status_code == 409 and frozen.json()["code"] == "set_frozen"
    created = client.post("/api/assess/sets", data=json.dumps({"code": "bihuan", "name": "闭环", "template": "bihuan"}),
                          content_type="application/json")
    assert created.status_code == 201
    assert len(client.get(f"/api/assess/sets/{created.json()['id']}").json()["indicators"]) == 9
    client.force_login(w.outsider)
    assert client.get(f"/api/assess/scores/{k1a.pk}").status_code == 404

"""The pages: alarm list in scope, a place's vital signs with its chart data, the rule editor's refusals."""

import datetime as dt
import json

import pytest

from civicloop.signs.models import Alarm, Rule
from civicloop.signs.services.alarms import evaluate_devices
from civicloop.signs.services.ingest import readings_ingest
from civicloop.testing import PASSWORD

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def alarmed(world, signs):
    for code in ("EL-A1", "EL-B1"):
        readings_ingest(district_id=world.district.pk, now=NOW, evaluate=False, items=[
            {"device": code, "metric": "elevator_trapped", "at": NOW - dt.timedelta(hours=h), "value": float(h == 0)}
            for h in range(48)])
    evaluate_devices([signs.elevator.pk, signs.elevator_b.pk], now=NOW)
    assert Alarm.objects.count() == 2


@pytest.mark.django_db
def test_alarm_list_shows_the_territory_only(client, world, signs, alarmed, django_assert_max_num_queries):
    login(client, world.street_dispatcher)
    with django_assert_max_num_queries(20):
        page = client.get("/signs/")
    html = page.content.decode()
    assert page.status_code == 200 and "EL-A1" in html and "EL-B1" not in html
    assert "转工单" not in html  # the alarm has its case already
    alarm = Alarm.objects.get(device=signs.elevator_b)
    assert client.post(f"/signs/alarms/{alarm.pk}/acknowledge/").status_code == 404
    assert Alarm.objects.get(pk=alarm.pk).acknowledged_at is None


@pytest.mark.django_db
def test_place_page_draws_hourly_history(client, world, signs, alarmed, django_assert_max_num_queries):
    login(client, world.street_dispatcher)
    building = signs.elevator.place
    with django_assert_max_num_queries(25):
        page = client.get(f"/signs/places/{building.code}/?metric=elevator_trapped")
    assert page.status_code == 200
    html = page.content.decode()
    data = json.loads(html.split('id="signs-chart-data" type="application/json">')[1].split("</script>")[0])
    assert len(data["hours"]) == 48 and max(data["high"]) == 1.0
    assert client.get(f"/signs/places/{signs.elevator_b.place.code}/").status_code == 404


@pytest.mark.django_db
def test_rule_editor_is_for_administrators_and_refuses_bad_input(client, world, signs):
    login(client, world.street_dispatcher)
    assert client.get("/signs/rules/").status_code == 403
    login(client, world.district_admin)
    assert client.get("/signs/rules/").status_code == 200
    n = Rule.objects.count()
    bad = client.post("/signs/rules/", {"name": "x", "metric_id": signs.metrics["bin_fill"].pk, "kind": "threshold",
                                        "warn_level": "1e400"})
    assert bad.status_code in (400, 200) and Rule.objects.count() == n
    ok = client.post(f"/signs/rules/{signs.trapped.pk}/", {
        "name": "电梯困人（改）", "metric_id": signs.metrics["elevator_trapped"].pk, "kind": "threshold",
        "alarm_level": "1", "count": "1", "window_minutes": "60", "severity": "2", "active": "on"})
    assert ok.status_code == 302
    assert Rule.objects.get(pk=signs.trapped.pk).name == "电梯困人（改）"

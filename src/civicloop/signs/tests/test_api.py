"""The API end to end: a gateway's key, batches thrice, refusals, the alarms' scope and query bounds."""

import datetime as dt

import pytest

from civicloop.apikeys.services import api_key_create
from civicloop.signs.models import Alarm, Device, Reading, Rule
from civicloop.signs.services.alarms import evaluate_devices
from civicloop.testing import PASSWORD

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def key(world):
    return api_key_create(actor=world.district_admin, name="网关", scopes=["signs"], rate_limit=6000)[1]


def post_readings(client, key, items):
    return client.post("/api/signs/readings", {"readings": items}, content_type="application/json",
                       headers={"X-Api-Key": key})


def items(n=5, code="EL-A1", metric="elevator_fault", value=0):
    return [{"device": code, "metric": metric, "at": (NOW - dt.timedelta(minutes=n - i)).isoformat(), "value": value}
            for i in range(n)]


@pytest.mark.django_db
def test_a_gateway_sends_the_same_batch_three_times(client, world, signs, key):
    batch = items(20)
    answers = [post_readings(client, key, batch) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert answers[0].json()["stored"] == 20
    assert answers[1].json()["repeated"] == 20 == answers[2].json()["repeated"]
    assert Reading.objects.count() == 20


@pytest.mark.django_db
def test_keys_wrong_missing_or_of_another_scope_change_nothing(client, world, signs):
    other = api_key_create(actor=world.district_admin, name="热线", scopes=["hotline"], rate_limit=60)[1]
    assert post_readings(client, "cl_nonsense", items()).status_code == 401
    assert post_readings(client, other, items()).status_code == 403
    r = client.post("/api/signs/readings", {"readings": items()}, content_type="application/json")
    assert r.status_code == 401 and r.json()["message"]
    assert not Reading.objects.exists()


@pytest.mark.django_db
def test_bad_items_answer_per_item_and_bad_batches_whole(client, world, signs, key):
    batch = items(2) + [{**items(1)[0], "device": "NOPE"}, {**items(1)[0], "value": 1e200}]
    body = post_readings(client, key, batch).json()
    assert [i["status"] for i in body["items"]] == ["stored", "stored", "refused", "refused"]
    assert body["items"][2]["code"] == "signs_unknown_device" and body["items"][3]["message"]
    naive = [{**items(1)[0], "at": "2026-01-01T00:00:00"}]
    assert post_readings(client, key, naive).status_code == 422
    assert post_readings(client, key, items(1001)).status_code == 422
    assert post_readings(client, key, [{**items(1)[0], "value": "x"}]).status_code == 422
    assert Reading.objects.count() == 2


@pytest.mark.django_db
def test_alarms_and_devices_follow_the_viewers_scope(client, world, signs, django_assert_max_num_queries):
    for device in (signs.elevator, signs.elevator_b):
        for i in range(5):
            Reading.objects.create(device=device, metric=signs.metrics["elevator_fault"],
                                   at=NOW - dt.timedelta(minutes=i), value=3)
    evaluate_devices([signs.elevator.pk, signs.elevator_b.pk], now=NOW)
    assert Alarm.objects.count() == 2
    b_alarm = Alarm.objects.get(device=signs.elevator_b)
    login(client, world.street_dispatcher)
    with django_assert_max_num_queries(8):
        page = client.get("/api/signs/alarms").json()
    assert [a["device_code"] for a in page["items"]] == ["EL-A1"]
    assert client.get(f"/api/signs/alarms/{b_alarm.pk}").status_code == 404
    assert client.post(f"/api/signs/alarms/{b_alarm.pk}/acknowledge").status_code == 404
    with django_assert_max_num_queries(8):
        devices = client.get("/api/signs/devices").json()
    assert {d["code"] for d in devices["items"]} == {"EL-A1", "WM-A1", "PK-A1"}
    assert client.get(f"/api/signs/devices/{signs.elevator_b.pk}/series?metric=elevator_fault").status_code == 404
    login(client, world.district_admin)
    assert client.get("/api/signs/alarms").json()["count"] == 2
    login(client, world.stranger)
    assert client.get("/api/signs/alarms").json()["count"] == 0


@pytest.mark.django_db
def test_rules_and_devices_are_the_administrators(client, world, signs):
    body = {"name": "满溢", "metric_id": signs.metrics["bin_fill"].pk, "kind": "threshold", "warn_level": 80}
    login(client, world.street_dispatcher)
    assert client.post("/api/signs/rules", body, content_type="application/json").status_code == 403
    login(client, world.district_admin)
    r = client.post("/api/signs/rules", body, content_type="application/json")
    assert r.status_code == 201, r.content
    bad = client.post("/api/signs/rules", {**body, "warn_level": None}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "signs_rule_invalid"
    nul = client.post("/api/signs/rules", {**body, "name": "a\x00"}, content_type="application/json")
    assert nul.status_code == 422
    assert Rule.objects.filter(name="满溢").count() == 1
    dev = {"code": "BIN-1", "name": "垃圾箱房", "kind": "bin", "place_code": world.comm_a1.code}
    assert client.post("/api/signs/devices", dev, content_type="application/json").status_code == 201
    assert client.post("/api/signs/devices", dev, content_type="application/json").status_code == 409
    other = {**dev, "code": "BIN-2", "place_code": world.other_district.code}
    assert client.post("/api/signs/devices", other, content_type="application/json").status_code == 404
    assert Device.objects.filter(code__startswith="BIN").count() == 1


@pytest.mark.django_db
def test_ingestion_evaluates_the_devices_whose_readings_can_change_a_verdict(client, world, signs, key,
                                                                           django_capture_on_commit_callbacks):
    from civicloop.cases.models import Case
    from civicloop.signs.models import RuleState

    with django_capture_on_commit_callbacks(execute=True):
        normal = post_readings(client, key, items(3, metric="elevator_trapped", value=0)).json()
    assert normal["stored"] == 3 and not RuleState.objects.exists()  # all normal: nothing to evaluate
    trapped = [{**items(1, metric="elevator_trapped", value=1)[0], "at": (NOW - dt.timedelta(seconds=30)).isoformat()}]
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        assert post_readings(client, key, trapped).json()["stored"] == 1
    assert len(enqueued) == 1
    alarm = Alarm.objects.get()
    assert alarm.case_id == Case.objects.get().pk
    later = [{**items(1, metric="elevator_trapped", value=0)[0], "at": NOW.isoformat()}]
    with django_capture_on_commit_callbacks(execute=True):
        post_readings(client, key, later)  # normal again: the device is judged past NONE, so it is evaluated
    alarm.refresh_from_db()
    assert alarm.cleared_at is not None


@pytest.mark.django_db
def test_departments_see_no_household_devices_or_their_alarms(client, world, signs):
    from civicloop.signs.services.alarms import evaluate_devices as run

    Reading.objects.create(device=signs.meter, metric=signs.metrics["water_flow"],
                           at=NOW - dt.timedelta(hours=13), value=30.0)
    Device.objects.filter(pk=signs.meter.pk).update(created_at=NOW - dt.timedelta(days=1))
    run([signs.meter.pk], now=NOW)
    assert Alarm.objects.filter(device=signs.meter).exists()
    login(client, world.dept_handler)
    assert "WM-A1" not in {d["code"] for d in client.get("/api/signs/devices").json()["items"]}
    assert client.get("/api/signs/alarms").json()["count"] == 0
    login(client, world.committee_worker)
    assert client.get("/api/signs/alarms").json()["count"] == 1

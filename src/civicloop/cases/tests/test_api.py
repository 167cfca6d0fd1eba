"""The JSON API end to end, as the world's personas, through the test client."""

import pytest

from civicloop.cases.models import Case, CaseEvent
from civicloop.testing import PASSWORD


def client_for(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(client, path, body):
    return client.post(f"/api/cases/{path}", body, content_type="application/json")


def act(client, user, case_id, action, version, **body):
    client_for(client, user)
    r = post(client, f"{case_id}/{action}", {"expected_version": version, **body})
    assert r.status_code == 200, r.json()
    return r.json()


@pytest.fixture
def registered(client, world, cats):
    client_for(client, world.street_dispatcher)
    r = post(client, "register", {"channel": "hotline_12345", "description": "楼道堆物，影响通行",
                                  "place_code": world.comm_a1.code, "reporter_name": "李四",
                                  "reporter_phone": "13912345678"})
    assert r.status_code == 201, r.json()
    return r.json()


def test_whole_loop_over_http(client, world, cats, registered):
    c = registered
    assert c["state"] == "registered" and c["version"] == 1
    assert set(c) == {"id", "tracking_code", "state", "version", "created_at"}  # a reference, not the whole case
    c = client.get(f"/api/cases/{c['id']}").json()
    assert c["reporter"]["masked"] and c["reporter"]["phone"] != "13912345678"
    assert "triage" in c["allowed_actions"]
    cid = c["id"]
    c = act(client, world.street_dispatcher, cid, "triage", c["version"], category_id=cats["0201"].pk)
    c = act(client, world.street_dispatcher, cid, "dispatch", c["version"], lead_unit_id=world.housing.pk)
    assert c["state"] == "dispatched" and c["lead_unit"] == world.housing.name and c["time_state"] == "green"
    client_for(client, world.dept_handler)
    inbox = client.get("/api/cases/inbox").json()
    assert inbox["sections"]["to_accept"]["count"] == 1
    assert inbox["sections"]["to_accept"]["cases"][0]["id"] == cid
    c = act(client, world.dept_handler, cid, "accept", c["version"])
    assert set(c["allowed_actions"]) >= {"resolve", "return", "add_progress", "request_extension"}
    c = act(client, world.dept_handler, cid, "resolve", c["version"], result="已清理", measures="通知物业")
    c = act(client, world.dept_handler, cid, "reply", c["version"], channel="phone", content="已处理完毕")
    c = act(client, world.street_dispatcher, cid, "rate", c["version"], value="satisfied")
    c = act(client, world.street_dispatcher, cid, "close", c["version"])
    assert c["state"] == "closed" and c["allowed_actions"] == []
    actions = [e["action"] for e in c["timeline"]]
    assert actions == ["register", "triage", "dispatch", "accept", "resolve", "reply", "rate", "close"]
    assert c["version"] == len(actions) == CaseEvent.objects.filter(case_id=cid).count()
    # the list finds it by tracking code
    r = client.get("/api/cases/", {"q": c["tracking_code"]}).json()
    assert [i["id"] for i in r["items"]] == [cid]
    assert client.get(f"/api/cases/{c['tracking_code']}").json()["id"] == cid


def test_stale_version_is_409_and_changes_nothing(client, world, cats, registered):
    cid = registered["id"]
    act(client, world.street_dispatcher, cid, "triage", 1, category_id=cats["0201"].pk)
    r = post(client, f"{cid}/dispatch", {"expected_version": 1, "lead_unit_id": world.housing.pk})
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    case = Case.objects.get(pk=cid)
    assert case.state == "triaged" and case.version == 2


def test_outsider_gets_404_and_anonymous_401(client, world, cats, registered):
    cid = registered["id"]
    client_for(client, world.outsider)
    assert client.get(f"/api/cases/{cid}").status_code == 404
    r = post(client, f"{cid}/triage", {"expected_version": 1, "category_id": cats["0201"].pk})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/api/cases/").json()["count"] == 0
    client.logout()
    assert client.get(f"/api/cases/{cid}").status_code == 401
    assert Case.objects.get(pk=cid).version == 1


def test_wrong_persona_forbidden_and_wrong_state_409(client, world, cats, registered):
    cid = registered["id"]
    client_for(client, world.street_dispatcher)
    r = post(client, f"{cid}/accept", {"expected_version": 1})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"  # dispatcher is no handler of the lead unit
    r = post(client, f"{cid}/close", {"expected_version": 1})
    assert r.status_code == 409 and r.json()["code"] == "transition_not_allowed"
    r = post(client, f"{cid}/rate", {"expected_version": 1, "value": "great"})
    assert r.status_code == 422 and r.json()["code"] == "invalid"


def test_notifications_list_and_mark_read(client, world, cats, registered, django_capture_on_commit_callbacks):
    cid = registered["id"]
    act(client, world.street_dispatcher, cid, "triage", 1, category_id=cats["0201"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, world.street_dispatcher, cid, "dispatch", 2, lead_unit_id=world.housing.pk)
    client_for(client, world.dept_handler)
    page = client.get("/api/cases/notifications", {"unread": True}).json()
    assert page["count"] >= 1 and page["items"][0]["case_id"] == cid
    assert (page["items"][0]["unit_id"], page["items"][0]["unit"]) == (world.housing.pk, world.housing.name)
    nid = page["items"][0]["id"]
    r = client.post(f"/api/cases/notifications/{nid}/read")
    assert r.status_code == 200 and r.json()["read_at"]
    client_for(client, world.outsider)
    assert client.post(f"/api/cases/notifications/{nid}/read").status_code == 404


def test_consultation_over_http(client, world, cats, registered):
    cid = registered["id"]
    act(client, world.street_dispatcher, cid, "escalate", 1, reason="职责不清")
    client_for(client, world.consultation_staff)
    r = post(client, "meetings", {"body_unit_id": world.consultation.pk, "date": "2026-03-02", "title": "三跨问题会商"})
    assert r.status_code == 201, r.json()
    mid = r.json()["id"]
    r = post(client, f"meetings/{mid}/agenda", {"case_id": cid})
    assert r.status_code == 200, r.json()
    item = r.json()["items"][0]
    r = post(client, f"agenda/{item['id']}/decide", {"lead_unit_id": world.city_mgmt.pk, "measures": "城管牵头整治",
                                                       "deadline": "2099-12-31"})
    assert r.status_code == 200, r.json()
    r = post(client, f"meetings/{mid}/minutes", {})
    assert r.status_code == 200 and "城管牵头整治" in r.json()["minutes"]
    assert Case.objects.get(pk=cid).state == "dispatched"
    client_for(client, world.outsider)
    assert client.get(f"/api/cases/meetings/{mid}").status_code == 404
    assert client.get("/api/cases/meetings").json() == []


def test_inbox_over_http_reads_each_row_once(client, world, flow, django_assert_max_num_queries):
    """The inbox rows are read whole in one statement (`rows.CASE_ROW`): serialising them must not go back to the
    database per case."""
    for _ in range(6):
        flow.dispatched()
    client_for(client, world.dept_handler)
    # session, user, counts (with unread notifications), ids, rows
    with django_assert_max_num_queries(5):
        body = client.get("/api/cases/inbox").json()
    rows = body["sections"]["to_accept"]["cases"]
    assert len(rows) == 6 and all(r["lead_unit"] == world.housing.name and r["street"] for r in rows)

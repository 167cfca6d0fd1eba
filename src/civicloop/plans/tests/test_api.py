"""The API: reads scoped, writes through the services, refusals with their declared codes."""

import json

import pytest

from civicloop.plans.models import ProgressReport, Task

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_board_and_lists(world, plan_world, client, django_assert_max_num_queries):
    client.force_login(world.district_admin)
    with django_assert_max_num_queries(9):
        board = client.get(f"/api/plans/plans/{plan_world.plan.pk}/board").json()
    assert board["totals"]["total"] == 4  # leaves: a1, a2, b, h
    assert {r["name"] for r in board["by_unit"]} >= {world.street_a_office.name, world.housing.name}
    with django_assert_max_num_queries(6):
        page = client.get("/api/plans/tasks", {"plan": plan_world.plan.pk}).json()
    assert page["count"] == 5
    client.force_login(world.street_dispatcher)
    with django_assert_max_num_queries(8):
        mine = client.get("/api/plans/tasks/mine").json()
    assert sorted(t["title"] for t in mine) == sorted(["街道甲整治", "甲一", "甲二"])
    assert client.get(f"/api/plans/tasks/{plan_world.b.pk}").status_code == 404


def test_writes_and_their_refusals(world, plan_world, client):
    client.force_login(world.district_admin)
    ok = post(client, "/api/plans/tasks", {"plan_id": plan_world.plan.pk, "title": "新任务",
                                           "owner_unit_id": world.street_b_office.pk, "due": "2026-09-30"})
    assert ok.status_code == 201 and ok.json()["status"] in {"on_track", "late", "at_risk", "not_started"}
    bad_dates = post(client, "/api/plans/tasks", {"plan_id": plan_world.plan.pk, "title": "x", "start": "2026-10-01",
                                                  "owner_unit_id": world.street_b_office.pk, "due": "2026-09-30"})
    assert bad_dates.status_code == 400 and bad_dates.json()["code"] == "task_dates"
    other_unit = post(client, "/api/plans/tasks", {"plan_id": plan_world.plan.pk, "title": "x", "due": "2026-09-30",
                                                   "owner_unit_id": 999999})
    assert other_unit.status_code == 400 and other_unit.json()["code"] == "unit_invalid"
    huge = post(client, "/api/plans/tasks", {"plan_id": plan_world.plan.pk, "title": "x", "due": "2026-09-30",
                                             "owner_unit_id": 2**70})
    assert huge.status_code == 422
    parent = post(client, f"/api/plans/tasks/{plan_world.a.pk}/reports", {"percent": 50, "text": "父任务"})
    assert parent.status_code == 409 and parent.json()["code"] == "task_has_children"
    count = Task.objects.count()
    client.force_login(world.street_dispatcher)
    forbidden = post(client, "/api/plans/tasks", {"plan_id": plan_world.plan.pk, "title": "x", "due": "2026-09-30",
                                                  "owner_unit_id": world.street_a_office.pk})
    assert forbidden.status_code == 403 and Task.objects.count() == count
    report = post(client, f"/api/plans/tasks/{plan_world.a1.pk}/reports", {"percent": 40, "text": "推进中"})
    assert report.status_code == 201
    assert Task.objects.get(pk=plan_world.a.pk).percent == 30  # 3 × 40 / 4
    nul = post(client, f"/api/plans/tasks/{plan_world.a1.pk}/reports", {"percent": 40, "text": "a\u0000b"})
    assert nul.status_code in (400, 422) and ProgressReport.objects.count() == 1


def test_letters_api(world, plan_world, client):
    client.force_login(world.district_admin)
    generated = post(client, "/api/plans/letters", {"unit_id": world.street_a_office.pk, "year": 2026, "kind": "tasks"})
    assert generated.status_code == 200 and generated.json()["number"] == 1
    letter_id = client.get("/api/plans/letters").json()[0]["id"]
    client.force_login(world.street_dispatcher)
    ack = post(client, f"/api/plans/letters/{letter_id}/acknowledge", {"number": 1})
    assert ack.status_code == 200 and ack.json()["acknowledged_by_id"] == world.street_dispatcher.pk
    again = post(client, f"/api/plans/letters/{letter_id}/acknowledge", {"number": 1})
    assert again.status_code == 409 and again.json()["code"] == "letter_acknowledged"
    detail = client.get(f"/api/plans/letters/{letter_id}").json()
    assert detail["stale"] is False and len(detail["versions"]) == 1
    client.force_login(world.outsider)
    assert client.get(f"/api/plans/letters/{letter_id}").status_code == 404


def test_the_board_reads_the_same_few_queries_however_many_tasks(world, plan_world, client,
                                                                  django_assert_max_num_queries):
    from civicloop.plans.testing import make_task

    for i in range(30):
        make_task(world, plan_world.plan, title=f"批量{i}", owner=(world.street_b_office, world.housing)[i % 2],
                  co_units=[world.city_mgmt])
    for user in (world.district_admin, world.outsider):
        client.force_login(user)
        # session, user, the viewer's units and contact streets, plan, tasks, unit names, goals, late titles
        with django_assert_max_num_queries(9):
            board = client.get(f"/api/plans/plans/{plan_world.plan.pk}/board").json()
        assert board["totals"]["total"] >= 16

"""The API and the pages: codes, labelled refusals, bad input changing nothing, scope, bounded queries."""

import datetime as dt

import pytest

from civicloop.cases.models import Case
from civicloop.meetings.constants import DecisionKind, ItemSource
from civicloop.meetings.models import AgendaItem, Decision, Meeting
from civicloop.meetings.services import decision_record, item_add
from civicloop.testing import PASSWORD

from .conftest import held

pytestmark = pytest.mark.django_db


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_api_plan_a_meeting_and_read_its_pack(client, world, sources, today):
    login(client, world.street_dispatcher)
    r = post(client, "/api/meetings/", {"title": "街道例会", "date": today.isoformat(), "street_id": world.street_a.pk})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    pack = client.get(f"/api/meetings/{pk}").json()
    by_source = {s["source"]: s for s in pack["sections"]}
    assert [i["ref_id"] for i in by_source[ItemSource.RED_CASE]["items"]] == [sources.red_a.pk]
    assert by_source[ItemSource.MILESTONE]["items"][0]["status_label"]  # words, not a code
    assert client.get("/api/meetings/").json()["count"] == 1
    login(client, world.outsider)
    assert client.get(f"/api/meetings/{pk}").status_code == 404
    assert client.get("/api/meetings/").json()["count"] == 0
    assert post(client, f"/api/meetings/{pk}/hold", {}).status_code == 404


def test_api_decision_twice_is_one(client, world, sources, street_meeting):
    held(street_meeting, world.street_dispatcher)
    login(client, world.street_dispatcher)
    body = {"kind": "case", "text": "沿街设摊专项整治"}
    first = post(client, f"/api/meetings/{street_meeting.pk}/decisions", body)
    second = post(client, f"/api/meetings/{street_meeting.pk}/decisions", body)
    assert (first.status_code, second.status_code) == (201, 200), first.content
    assert first.json()["id"] == second.json()["id"] and second.json()["created"] is False
    assert first.json()["outcome"]["kind"] == "case" and first.json()["outcome"]["status"] == "registered"
    assert Decision.objects.count() == 1 and Case.objects.filter(channel="meeting").count() == 1


@pytest.mark.parametrize("body", [
    {"kind": "case", "text": "整治\x00"},  # NUL
    {"kind": "case", "text": "整治", "item_id": 2**63},  # past 64 bits
    {"kind": "case", "text": "整治", "item_id": "5"},  # an id is a JSON number
    {"kind": "case", "text": ""},
    {"kind": "meeting", "text": "整治"},
    {"kind": "task", "text": "整治", "due": 20261231},
])
def test_api_bad_input_changes_nothing(client, world, sources, street_meeting, body):
    held(street_meeting, world.street_dispatcher)
    login(client, world.street_dispatcher)
    r = post(client, f"/api/meetings/{street_meeting.pk}/decisions", body)
    assert r.status_code in (400, 422), r.content
    assert r.json()["code"] and "\x00" not in r.json()["message"]
    assert not Decision.objects.exists() and not Case.objects.filter(channel="meeting").exists()


def test_api_unknown_ids_are_not_found(client, world, sources, street_meeting):
    held(street_meeting, world.street_dispatcher)
    login(client, world.street_dispatcher)
    assert client.get("/api/meetings/999999").status_code == 404
    assert post(client, "/api/meetings/999999/decisions", {"kind": "case", "text": "x"}).status_code == 404
    assert post(client, f"/api/meetings/{street_meeting.pk}/decisions",
                {"kind": "redispatch", "text": "x", "case_id": 999999, "lead_unit_id": world.housing.pk}).status_code == 404
    assert post(client, "/api/meetings/items/999999/minutes", {"minutes": "x"}).status_code == 404
    assert not Decision.objects.exists()


def test_api_refusal_names_the_field_in_words(client, world, sources):
    login(client, world.district_admin)
    r = post(client, "/api/meetings/", {"title": "例会", "date": "2026-13-40"})
    assert r.status_code == 422
    assert "会议日期" in r.json()["message"] + str(r.json()["details"])


def _busy_meeting(world, sources, meeting, today, n=12):
    held(meeting, world.district_admin)
    for i in range(n):
        item = item_add(actor=world.district_admin, meeting_id=meeting.pk, title=f"议题{i}")
        decision_record(actor=world.district_admin, meeting_id=meeting.pk, item_id=item.pk, kind=DecisionKind.CASE,
                        text=f"整治{i}", place_id=world.comm_a1.pk)
        decision_record(actor=world.district_admin, meeting_id=meeting.pk, item_id=item.pk, kind=DecisionKind.TASK,
                        text=f"任务{i}", plan_id=sources.plan.pk, owner_unit_id=world.street_a_office.pk,
                        due=today + dt.timedelta(days=30))


def test_pack_reads_are_bounded(client, world, sources, district_meeting, today, django_assert_max_num_queries):
    _busy_meeting(world, sources, district_meeting, today)
    login(client, world.district_admin)
    with django_assert_max_num_queries(20):
        pack = client.get(f"/api/meetings/{district_meeting.pk}").json()
    assert sum(len(s["items"]) for s in pack["sections"]) >= 12
    with django_assert_max_num_queries(20):
        assert len(client.get(f"/api/meetings/{district_meeting.pk}/decisions").json()) == 24
    with django_assert_max_num_queries(30):
        r = client.get(f"/meetings/{district_meeting.pk}/")
    assert r.status_code == 200 and r.content.count(b'class="list-group-item px-2 py-1 small decision"') == 24
    with django_assert_max_num_queries(15):
        assert client.get("/meetings/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/meetings/").json()["count"] == 1


def test_pages_offer_what_the_services_accept(client, world, sources, district_meeting):
    login(client, world.leader)  # reads, keeps nothing
    page = client.get(f"/meetings/{district_meeting.pk}/").content.decode()
    assert "区工作例会" in page and "meetings/items" not in page and "例会已召开" not in page
    assert 'name="title"' not in client.get("/meetings/").content.decode()  # no new-meeting form
    login(client, world.district_admin)
    chairs = client.get("/meetings/").content.decode().split('id="m-chair"')[1].split("</select>")[0]
    # the chair: leaders first, then the offices' staff — not a committee's worker or a department's handler
    assert chairs.index(f'value="{world.leader.pk}"') < chairs.index(f'value="{world.street_dispatcher.pk}"')
    assert f'value="{world.committee_worker.pk}"' not in chairs and f'value="{world.dept_handler.pk}"' not in chairs
    page = client.get(f"/meetings/{district_meeting.pk}/").content.decode()
    assert "例会已召开" in page and "记录决定" not in page  # decisions once held
    held(district_meeting, world.district_admin)
    page = client.get(f"/meetings/{district_meeting.pk}/").content.decode()
    assert "记录决定" in page and 'value="redispatch"' not in page  # no red case here may be dispatched
    assert "@media print" in page


def test_redispatch_offered_where_the_table_allows(client, world, sources, today):
    """A red case the dispatcher reopened (the table dispatches from reopened) is offered for re-dispatch, with the
    version shown; a red case still with its unit is not (the table would refuse)."""
    from django.utils import timezone

    from civicloop.cases import services as cs
    from civicloop.meetings.services import meeting_create

    cs.case_accept(actor=world.dept_handler, case_id=sources.red_a.pk)
    cs.case_resolve(actor=world.dept_handler, case_id=sources.red_a.pk, result="已清理", measures="通知物业")
    cs.case_reopen(actor=world.street_dispatcher, case_id=sources.red_a.pk, reason="现场仍有堆物")
    Case.objects.filter(pk=sources.red_a.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    cs.case_supervise(actor=world.street_dispatcher, case_id=sources.red_plain.pk, notice="请加快")
    m = meeting_create(actor=world.street_dispatcher, title="例会", date=today, street_id=world.street_a.pk)
    assert set(AgendaItem.objects.filter(meeting=m, source=ItemSource.RED_CASE).values_list("ref_id", flat=True)) \
        == {sources.red_a.pk, sources.red_plain.pk}
    held(m, world.street_dispatcher)
    login(client, world.street_dispatcher)
    page = client.get(f"/meetings/{m.pk}/").content.decode()
    version = Case.objects.get(pk=sources.red_a.pk).version
    assert page.count('value="redispatch"') == 1
    assert f'name="case_id" value="{sources.red_a.pk}"' in page and f'name="expected_version" value="{version}"' in page
    r = client.post(f"/meetings/{m.pk}/decide/", {"kind": "redispatch", "text": "改派城管", "case_id": sources.red_a.pk,
                                                 "expected_version": version, "lead_unit_id": world.city_mgmt.pk},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 204
    assert Case.objects.get(pk=sources.red_a.pk).lead_unit_id == world.city_mgmt.pk


def test_pages_new_meeting_minutes_and_decision_by_htmx(client, world, sources, today):
    login(client, world.street_dispatcher)
    r = client.post("/meetings/", {"title": "街道例会", "date": today.isoformat(), "street_id": world.street_a.pk},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"].startswith("/meetings/")
    m = Meeting.objects.get()
    assert client.post(f"/meetings/{m.pk}/do/hold/", HTTP_HX_REQUEST="true").status_code == 204
    item = AgendaItem.objects.filter(meeting=m, source=ItemSource.RED_CASE).get()
    r = client.post(f"/meetings/items/{item.pk}/minutes/", {"minutes": "住建部门说明进展"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "住建部门说明进展" in r.content.decode() and f'id="item-{item.pk}"' in r.content.decode()
    body = {"kind": "case", "text": "专项整治", "item_id": item.pk}
    for _ in range(2):  # a double click
        assert client.post(f"/meetings/{m.pk}/decide/", body, HTTP_HX_REQUEST="true").status_code == 204
    assert Decision.objects.filter(meeting=m).count() == 1
    r = client.post(f"/meetings/{m.pk}/decide/", {"kind": "case", "text": "整治\x00"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and Decision.objects.filter(meeting=m).count() == 1
    assert "专项整治" in client.get(f"/meetings/{m.pk}/decisions/").content.decode()


def test_masked_for_readers_who_do_not_keep(client, world, sources, district_meeting):
    held(district_meeting, world.district_admin)
    item = AgendaItem.objects.filter(meeting=district_meeting).first()
    from civicloop.meetings.services import item_minutes_record

    item_minutes_record(actor=world.district_admin, item_id=item.pk, minutes="联系人 13912345678")
    login(client, world.leader)
    assert "13912345678" not in client.get(f"/meetings/{district_meeting.pk}/").content.decode()
    login(client, world.district_admin)
    assert "13912345678" in client.get(f"/meetings/{district_meeting.pk}/").content.decode()


def test_openapi_schema_names_do_not_collide_with_the_consultation_meetings(client, world):
    """The API's components are keyed by class name: the work meetings' schemas must not replace the cases app's
    consultation `MeetingIn` (POST /api/cases/meetings would then document the wrong body)."""
    login(client, world.district_admin)
    doc = client.get("/api/openapi.json").json()
    body = doc["paths"]["/api/cases/meetings"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "body_unit_id" in doc["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"]
    ours = doc["paths"]["/api/meetings/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "street_id" in doc["components"]["schemas"][ours["$ref"].rsplit("/", 1)[1]]["properties"]

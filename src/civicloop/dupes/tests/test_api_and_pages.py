"""The check endpoint, the register form's htmx check, the case page's panel and its one-click merge — and the reply
reaching every merged reporter."""

import json

import pytest

from civicloop.cases import services as s
from civicloop.cases.models import Case, Reply
from civicloop.testing import PASSWORD

from .test_selectors import ELEVATOR, GRID, SENSOR


@pytest.fixture
def cluster(world, cats, site, reg):
    from civicloop.cases.constants import Channel

    a = reg(ELEVATOR, site.b12)
    b = reg(SENSOR, site.b12, actor=world.committee_worker, channel=Channel.SENSOR)
    for case in (a, b):  # triaged, as the dispatcher finds them
        s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
    return a, b


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(client, path, body):
    return client.post(f"/api/dupes/{path}", json.dumps(body), content_type="application/json")


def test_check_endpoint(client, world, cluster, django_assert_max_num_queries):
    a, b = cluster
    login(client, world.committee_worker)
    with django_assert_max_num_queries(20):  # cold: the session, the places, the open cases, the suggestions
        r = post(client, "check", {"description": GRID, "place_code": world.comm_a1.code})
    assert r.status_code == 200, r.content
    body = r.json()
    assert {x["id"] for x in body} == {a.pk, b.pk}
    assert all(x["place"] == "building" and "同一楼栋" in x["reason"] for x in body)
    assert "13912345678" not in r.content.decode()  # the reporter's number typed nowhere, and masked anyway
    with django_assert_max_num_queries(10):  # warm
        post(client, "check", {"description": GRID, "place_code": world.comm_a1.code})


@pytest.mark.parametrize("body, status", [
    ({"description": "电梯坏了\x00", "place_code": ""}, (400, 422)),
    ({"description": "电" * 4001}, (422,)),
    ({"description": "   "}, (422,)),
    ({"description": "电梯坏了", "category_id": 2**70}, (422,)),
    ({"description": "电梯坏了", "place_code": "NO-SUCH-PLACE"}, (404,)),
])
def test_check_refuses_bad_input(client, world, cluster, body, status):
    login(client, world.committee_worker)
    r = post(client, "check", body)
    assert r.status_code in status, r.content
    assert "code" in r.json()


def test_check_is_for_registrars_and_out_of_sight_is_not_found(client, world, cluster):
    login(client, world.nobody)  # no unit, no role: registers nothing
    assert post(client, "check", {"description": GRID}).status_code == 403
    login(client, world.outsider)
    assert post(client, "check", {"description": GRID, "place_code": world.comm_a1.code}).status_code == 404
    client.logout()
    assert post(client, "check", {"description": GRID}).status_code == 401


def test_case_endpoint_and_merge(client, world, cluster):
    a, b = cluster
    login(client, world.street_dispatcher)
    r = client.get(f"/api/dupes/cases/{a.pk}")
    assert r.status_code == 200 and [x["id"] for x in r.json()] == [b.pk]
    assert client.get("/api/dupes/cases/999999").status_code == 404
    r = post(client, f"cases/{a.pk}/merge", {"duplicate_ids": [a.pk]})  # into itself: the merge service refuses
    assert r.status_code == 400 and r.json()["code"] == "merge_invalid"
    r = post(client, f"cases/{a.pk}/merge", {"duplicate_ids": [b.pk]})
    assert r.status_code == 200 and r.json() == []
    b.refresh_from_db()
    assert b.state == "merged" and b.merged_into_id == a.pk


def test_register_form_shows_the_suggestions_before_saving(client, world, cluster):
    a, b = cluster
    login(client, world.committee_worker)
    page = client.get("/cases/register/").content.decode()
    assert 'hx-get="/dupes/check/"' in page
    r = client.get("/dupes/check/", {"description": GRID, "community": world.comm_a1.code, "place_code": ""},
                   HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and a.tracking_code in html and b.tracking_code in html and "同一楼栋" in html
    # nothing typed yet, or an unknown place: nothing shown, no error
    assert client.get("/dupes/check/", {"description": ""}).content.decode().strip() == ""
    assert client.get("/dupes/check/", {"description": GRID, "place_code": "X"}).content.decode().strip() == ""


def test_three_reporters_get_the_reply_after_one_click(client, world, cats, site, reg, cluster):
    """Done-when: the grid worker registers, the dispatcher folds the two other reports into it with one click on
    its page, and the reply on it reaches all three reporters."""
    a, b = cluster
    c = reg(GRID, world.comm_a1, actor=world.committee_worker)
    login(client, world.street_dispatcher)
    page = client.get(f"/cases/{c.tracking_code}/").content.decode()
    assert "可能重复的未办结工单" in page and "全部并入本工单" in page
    r = client.post(f"/dupes/cases/{c.pk}/merge/", {"duplicate_ids": [a.pk, b.pk]}, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"].endswith(f"/cases/{c.tracking_code}/")
    assert set(Case.objects.filter(merged_into=c).values_list("pk", flat=True)) == {a.pk, b.pk}
    s.case_triage(actor=world.street_dispatcher, case_id=c.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=c.pk, lead_unit_id=world.housing.pk)
    s.case_accept(actor=world.dept_handler, case_id=c.pk)
    s.case_resolve(actor=world.dept_handler, case_id=c.pk, result="电梯已修复", measures="更换主板")
    s.case_reply(actor=world.dept_handler, case_id=c.pk, channel="phone", content="电梯已修好，感谢反映")
    replies = {r.case_id: r for r in Reply.objects.filter(case_id__in=(a.pk, b.pk, c.pk))}
    assert replies.keys() == {a.pk, b.pk, c.pk}
    assert {r.content for r in replies.values()} == {"电梯已修好，感谢反映"}
    assert replies[a.pk].via_case_id == c.pk and replies[b.pk].via_case_id == c.pk
    assert set(Case.objects.filter(pk__in=(a.pk, b.pk)).values_list("state", flat=True)) == {"merged"}
    assert Case.objects.get(pk=a.pk).replied_at is not None


def test_the_panel_offers_no_merge_to_who_may_not(client, world, cluster):
    a, b = cluster
    login(client, world.committee_worker)  # sees both, may not merge
    page = client.get(f"/cases/{a.tracking_code}/").content.decode()
    assert b.tracking_code in page and "并入本工单" not in page
    r = client.post(f"/dupes/cases/{a.pk}/merge/", {"duplicate_ids": [b.pk]})
    assert r.status_code in (403, 404)
    b.refresh_from_db()
    assert b.state != "merged"

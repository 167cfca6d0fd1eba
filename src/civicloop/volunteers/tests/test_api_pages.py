"""The API and the pages: codes, scope (a committee its own, a street and the district below them, others nothing),
masking, bad input (NUL, huge numbers, unknown ids) changing nothing, the volunteer's own page, bounded queries."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from civicloop.core.models import AuditLog
from civicloop.testing import PASSWORD
from civicloop.volunteers import services as s
from civicloop.volunteers.constants import BOARD_NEEDS
from civicloop.volunteers.models import HoursEntry, Member, ServiceNeed, SignUp
from civicloop.volunteers.testing import make_member, make_need

pytestmark = pytest.mark.django_db


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def counts():
    return (Member.objects.count(), ServiceNeed.objects.count(), SignUp.objects.count(), HoursEntry.objects.count())


def test_api_register_post_sign_up_check_in_and_out(client, world):
    login(client, world.committee_worker)
    r = post(client, "/api/volunteers/members", {"community_id": world.comm_a1.pk, "kind": "volunteer",
                                                  "name": "李志愿", "phone": "13912345678"})
    assert r.status_code == 201, r.content
    member = r.json()
    assert member["name"] == "李志愿" and member["phone"] == "13912345678"  # the keeper sees them in full
    start = timezone.now() - dt.timedelta(hours=2)
    r = post(client, "/api/volunteers/needs", {"community_id": world.comm_a1.pk, "title": "平安巡逻", "category": "patrol",
                                                "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=3))
                                                .isoformat(), "slots": 1})
    assert r.status_code == 201, r.content
    need = r.json()["id"]
    r = post(client, f"/api/volunteers/needs/{need}/signups", {"member_id": member["id"]})
    assert r.status_code == 201
    signup = r.json()["id"]
    assert post(client, f"/api/volunteers/needs/{need}/signups", {"member_id": member["id"]}).json()["code"] \
        == "already_signed_up"
    assert post(client, f"/api/volunteers/signups/{signup}/check-in",
                {"at": (start + dt.timedelta(minutes=5)).isoformat()}).status_code == 200
    r = post(client, f"/api/volunteers/signups/{signup}/check-out", {"at": (start + dt.timedelta(minutes=95)).isoformat()})
    assert r.status_code == 200 and r.json()["hours"] == "1.50"
    board = client.get(f"/api/volunteers/board?place_id={world.comm_a1.pk}").json()
    assert board["hours"] == "1.50" and board["volunteers"] == 1
    hours = client.get(f"/api/volunteers/members/{member['id']}").json()
    assert hours["year_hours"] == "1.50" or hours["year"] != start.year
    # the street reads (masked), another street and a department see nothing
    login(client, world.street_dispatcher)
    listed = client.get("/api/volunteers/members").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "李*愿" and "****" in listed["items"][0]["phone"]
    assert client.get(f"/api/volunteers/board?place_id={world.street_a.pk}").json()["hours"] == "1.50"
    assert post(client, f"/api/volunteers/signups/{signup}/cancel", {}).status_code == 403
    for user in (world.outsider, world.dept_handler, world.stranger):
        login(client, user)
        assert client.get("/api/volunteers/members").json()["count"] == 0
        assert client.get(f"/api/volunteers/members/{member['id']}").status_code == 404
        assert client.get(f"/api/volunteers/needs/{need}").status_code == 404
        assert post(client, f"/api/volunteers/signups/{signup}/cancel", {}).status_code == 404


@pytest.mark.parametrize("body", [
    {"community_id": 9_999_999, "kind": "volunteer", "name": "甲", "phone": "13912345678"},  # unknown id
    {"community_id": 2**70, "kind": "volunteer", "name": "甲", "phone": "13912345678"},  # huge number
    {"community_id": 1, "kind": "volunteer", "name": "甲\x00", "phone": "13912345678"},  # NUL
    {"community_id": 1, "kind": "chief", "name": "甲", "phone": "13912345678"},
])
def test_bad_registrations_change_nothing(client, world, body):
    login(client, world.committee_worker)
    if body["community_id"] == 1:
        body["community_id"] = world.comm_a1.pk
    before = counts()
    r = post(client, "/api/volunteers/members", body)
    assert r.status_code in (400, 404, 422) and r.json()["code"]
    assert counts() == before


def test_bad_needs_and_check_outs_change_nothing(client, world):
    login(client, world.committee_worker)
    start = timezone.now()
    base = {"community_id": world.comm_a1.pk, "title": "探访", "category": "elderly_visit",
            "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=2)).isoformat(), "slots": 2}
    before = counts()
    for change in ({"slots": 10**12}, {"slots": 0}, {"ends_at": (start - dt.timedelta(hours=1)).isoformat()},
                   {"title": "探\x00访"}, {"starts_at": "2026-13-40T25:00:00+08:00"}, {"starts_at": "2026-01-01T09:00"}):
        r = post(client, "/api/volunteers/needs", {**base, **change})
        assert r.status_code in (400, 422), (change, r.content)
    assert counts() == before
    m = make_member(world)
    need = make_need(world)
    signup = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=m.pk)
    s.signup_check_in(actor=world.committee_worker, signup_id=signup.pk)
    r = post(client, f"/api/volunteers/signups/{signup.pk}/check-out",
             {"at": (timezone.now() - dt.timedelta(hours=1)).isoformat()})
    assert r.status_code == 400 and r.json()["code"] == "times_invalid"
    assert post(client, "/api/volunteers/signups/99999999/check-out", {}).status_code == 404
    assert post(client, f"/api/volunteers/signups/{2**70}/check-out", {}).status_code == 422
    assert SignUp.objects.get(pk=signup.pk).state == "checked_in" and not HoursEntry.objects.exists()


def test_pages_committee_register_and_roster(client, world):
    login(client, world.committee_worker)
    r = client.post("/volunteers/members/", {"community_id": world.comm_a1.pk, "kind": "volunteer", "name": "赵志愿",
                                             "phone": "13912340000"})
    assert r.status_code == 302
    m = Member.objects.get()
    page = client.get("/volunteers/members/").content.decode()
    assert "赵志愿" in page and "登记报到" in page
    start = timezone.localtime() - dt.timedelta(hours=1)
    r = client.post("/volunteers/needs/", {"community_id": world.comm_a1.pk, "title": "垃圾分类引导",
                                           "category": "garbage_sorting", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                                           "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                                           "slots": "3"})
    assert r.status_code == 302, r.content.decode()[:500]
    need = ServiceNeed.objects.get()
    assert client.post(f"/volunteers/needs/{need.pk}/do/signup/", {"member_id": m.pk}).status_code == 302
    signup = SignUp.objects.get()
    assert client.post(f"/volunteers/signups/{signup.pk}/do/check_in/",
                       {"at": start.strftime("%Y-%m-%dT%H:%M")}).status_code == 302
    page = client.get(f"/volunteers/needs/{need.pk}/").content.decode()
    assert "签退" in page and "赵志愿" in page
    # a refused check-out is a message in the page's words, and nothing changes
    r = client.post(f"/volunteers/signups/{signup.pk}/do/check_out/",
                    {"at": (start - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")})
    assert r.status_code == 400 and "签退须晚于签到" in r.content.decode()
    assert client.post(f"/volunteers/signups/{signup.pk}/do/check_out/", {}).status_code == 302
    assert HoursEntry.objects.count() == 1
    # the street reads the roster, masked, and is offered no check-in
    login(client, world.street_dispatcher)
    page = client.get(f"/volunteers/needs/{need.pk}/").content.decode()
    assert "赵*愿" in page and "赵志愿" not in page and "更正时间" not in page
    login(client, world.outsider)
    assert client.get(f"/volunteers/needs/{need.pk}/").status_code == 404
    assert client.get(f"/volunteers/members/{m.pk}/").status_code == 404
    assert client.get(f"/volunteers/needs/{2**70}/").status_code == 404


def test_the_volunteers_own_page(client, world):
    m = make_member(world, phone="13912345678")
    need = make_need(world)
    r = client.get("/volunteers/me/")
    assert r.status_code == 200 and "手机号后四位" in r.content.decode()
    assert client.post("/volunteers/me/do/signup/", {"id": need.pk}).status_code == 403
    r = client.post("/volunteers/me/", {"code": m.person.code, "phone_last4": "0000"})
    assert r.status_code == 403
    assert client.post("/volunteers/me/", {"code": m.person.code, "phone_last4": "5678"}).status_code == 302
    page = client.get("/volunteers/me/").content.decode()
    assert need.title in page
    assert client.post("/volunteers/me/do/signup/", {"id": need.pk}).status_code == 302
    signup = SignUp.objects.get()
    assert client.post("/volunteers/me/do/check_in/", {"id": signup.pk}).status_code == 302
    SignUp.objects.filter(pk=signup.pk).update(check_in_at=timezone.now() - dt.timedelta(minutes=45))
    assert client.post("/volunteers/me/do/check_out/", {"id": signup.pk}).status_code == 302
    assert str(HoursEntry.objects.get().hours) == "0.75"
    assert AuditLog.objects.filter(action="volunteers.proof").exists()
    assert client.post("/volunteers/me/do/check_out/", {"id": "1\x00"}).status_code == 400
    assert client.post("/volunteers/me/do/cancel/", {"id": str(2**70)}).status_code == 400


def test_proofs_are_limited(client, world):
    m = make_member(world, phone="13912345678")
    for _ in range(5):
        client.post("/volunteers/me/", {"code": m.person.code, "phone_last4": "0000"})
    r = client.post("/volunteers/me/", {"code": m.person.code, "phone_last4": "5678"})
    assert r.status_code == 429


def test_list_pages_are_bounded(client, world, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(12):
        m = make_member(world, name=f"志愿{i}", phone=f"139000000{i:02d}")
        need = make_need(world, now=now, slots=2)
        signup = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=m.pk, now=now)
        s.signup_check_in(actor=world.committee_worker, signup_id=signup.pk, at=now - dt.timedelta(minutes=50), now=now)
        s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk, at=now, now=now)
    s.rule_save(actor=world.district_admin, name="最美志愿者", top_n=5, min_hours=0)
    rule = s.rule_save(actor=world.district_admin, name="优秀", top_n=5, min_hours=0)
    need = ServiceNeed.objects.first()
    for user in (world.committee_worker, world.street_dispatcher, world.district_admin):
        login(client, user)
        place = world.comm_a1 if user == world.committee_worker else world.street_a  # a committee: its own only
        for url in ("/volunteers/", f"/volunteers/?place={place.pk}", "/volunteers/members/",
                    f"/volunteers/members/?community={world.comm_a1.pk}", "/volunteers/needs/",
                    f"/volunteers/needs/{need.pk}/", f"/volunteers/recognition/{rule.pk}/",
                    "/api/volunteers/members", "/api/volunteers/needs", "/api/volunteers/board",
                    f"/api/volunteers/rules/{rule.pk}/list", "/api/volunteers/units"):
            with django_assert_max_num_queries(16):
                r = client.get(url)
            assert r.status_code == 200, (user, url)
    login(client, world.committee_worker)
    assert client.get(f"/volunteers/?place={world.street_a.pk}").status_code == 404


def test_the_board_lists_the_soonest_open_needs_and_links_to_the_rest(client, world):
    now = timezone.now()
    for i in range(BOARD_NEEDS + 3):
        make_need(world, title=f"需求{i:02d}", starts_in=dt.timedelta(hours=i + 1), now=now)
    login(client, world.street_dispatcher)
    html = client.get(f"/volunteers/?place={world.street_a.pk}").content.decode()
    shown = [f"需求{i:02d}" for i in range(BOARD_NEEDS + 3) if f"需求{i:02d}" in html]
    assert shown == [f"需求{i:02d}" for i in range(BOARD_NEEDS)]  # the soonest first, no more than the cap
    assert 'id="all-needs"' in html and f"全部 {BOARD_NEEDS + 3} 项招募中的需求" in html
    # the link lists exactly those open needs, soonest first; a closed one is not among them
    make_need(world, title="已过需求", starts_in=dt.timedelta(hours=-5), hours=1, now=now)
    link = re.search(r'href="([^"]+)" id="all-needs"', html).group(1).replace("&amp;", "&")
    listed = re.findall(r"需求\d\d|已过需求", client.get(link).content.decode())
    assert listed == [f"需求{i:02d}" for i in range(BOARD_NEEDS + 3)]
    assert "已过需求" in client.get(f"/volunteers/needs/?place={world.street_a.pk}").content.decode()
    assert client.get(f"/volunteers/needs/?place={world.street_b.pk}").status_code == 404  # not in sight

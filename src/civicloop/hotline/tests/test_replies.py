"""Replies out: the feed resumes from its cursor and answers the same for the same cursor; the export; who may read."""

import datetime as dt

from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.cases.models import Case
from civicloop.hotline.selectors import replies_in, replies_since
from civicloop.imports.reader import read_rows
from civicloop.testing import PASSWORD

from .conftest import csv_of

ROWS = (
    "HL101,2026-12-01 08:42,市容环境/乱堆乱放,求助,楼道堆物,测试区甲街道1居委,13812340001,一般,",
    "HL102,2026-12-01 09:31,市容环境/乱堆乱放,咨询,咨询大件垃圾预约电话13812349999,测试区甲街道2居委,,,",
    "HL103,2026-12-01 09:40,生态环境/噪声污染,投诉,噪声,测试区甲街道1居委,,,",
)


def replied(world, mapped, run):
    """HL101 handled and replied, HL102 answered on the spot, HL103 not replied; a non-hotline case replied too."""
    run(csv_of(*ROWS))
    cases = {c.external_id: c for c in Case.objects.filter(channel=Channel.HOTLINE_12345)}
    handled = cases["HL101"]
    s.case_triage(actor=world.street_dispatcher, case_id=handled.pk, category_id=mapped["0103"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=handled.pk, lead_unit_id=world.housing.pk)
    s.case_accept(actor=world.dept_handler, case_id=handled.pk)
    s.case_resolve(actor=world.dept_handler, case_id=handled.pk, result="已清理楼道")
    s.case_reply(actor=world.dept_handler, case_id=handled.pk, channel="phone", content="已电话告知已清理")
    s.case_answer(actor=world.street_dispatcher, case_id=cases["HL102"].pk, channel="phone",
                  content="预约电话 021-12345678")
    s.case_rate(actor=world.street_dispatcher, case_id=cases["HL102"].pk, value="satisfied")
    other = s.case_register(actor=world.street_dispatcher, channel=Channel.PORTAL, description="别的渠道",
                            place_id=world.comm_a1.pk, appeal_type="consultation")
    s.case_answer(actor=world.street_dispatcher, case_id=other.pk, channel="phone", content="不属于热线")
    return cases


def test_the_feed_resumes_from_its_cursor(world, mapped, run, django_assert_max_num_queries):
    replied(world, mapped, run)
    later = timezone.now() + dt.timedelta(minutes=5)  # past the feed's lag (when the test runs, not when collected)
    with django_assert_max_num_queries(8):
        first = replies_since(world.district_admin, 0, 1, now=later)
    assert [r.work_order_no for r in first["items"]] == ["HL101"]
    row = first["items"][0]
    assert (row.result, row.reply, row.satisfaction) == ("已清理楼道", "已电话告知已清理", "")
    second = replies_since(world.district_admin, first["next_cursor"], 10, now=later)
    assert [r.work_order_no for r in second["items"]] == ["HL102"]  # the portal case is no hotline case
    answer = second["items"][0]
    assert (answer.result, answer.satisfaction) == ("预约电话 021-12345678", "satisfied")
    # the same cursor answers the same; after the last one, nothing — and the cursor stays
    assert replies_since(world.district_admin, first["next_cursor"], 10, now=later) == second
    end = replies_since(world.district_admin, second["next_cursor"], 10, now=later)
    assert end == {"items": [], "next_cursor": second["next_cursor"]}


def test_a_fresh_reply_waits_for_the_lag(world, mapped, run):
    replied(world, mapped, run)
    assert replies_since(world.district_admin, 0, 10, now=timezone.now())["items"] == []


def test_the_feed_over_http_for_the_desk_only(client, world, mapped, run, monkeypatch):
    replied(world, mapped, run)
    monkeypatch.setattr("civicloop.hotline.selectors.FEED_LAG_SECONDS", -600)
    assert client.get("/api/hotline/replies").status_code == 401
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    assert client.get("/api/hotline/replies").status_code == 403
    client.login(username=world.district_admin.username, password=PASSWORD)
    body = client.get("/api/hotline/replies", {"cursor": 0, "limit": 1}).json()
    assert [i["work_order_no"] for i in body["items"]] == ["HL101"]
    rest = client.get("/api/hotline/replies", {"cursor": body["next_cursor"]}).json()
    assert [i["work_order_no"] for i in rest["items"]] == ["HL102"]
    assert client.get("/api/hotline/replies", {"cursor": -1}).status_code in (400, 422)


def test_the_export_has_the_replies_of_the_period(client, world, mapped, run):
    replied(world, mapped, run)
    today = timezone.localdate()
    rows = replies_in(world.district_admin, today, today)
    assert [r.work_order_no for r in rows] == ["HL101", "HL102"]
    client.login(username=world.district_admin.username, password=PASSWORD)
    r = client.get("/hotline/export/", {"start": today.isoformat(), "end": today.isoformat()})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = read_rows(b"".join(r.streaming_content) if r.streaming else r.content, "x.xlsx")
    assert sheet[0][1][:5] == ["工单号", "办理结果", "答复内容", "答复时间", "满意度"]
    assert sheet[1][1][:3] == ["HL101", "已清理楼道", "已电话告知已清理"] and sheet[2][1][4] == "满意"
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    r = client.get("/hotline/export/", {"start": yesterday, "end": yesterday})
    assert len(read_rows(r.content, "x.xlsx")) == 1  # the header alone
    client.login(username=world.committee_worker.username, password=PASSWORD)
    assert client.get("/hotline/export/", {"start": yesterday, "end": yesterday}).status_code == 403


def test_the_feed_with_an_api_key_of_scope_hotline(client, world, mapped, run, monkeypatch):
    """The 12345 platform polls with a key (scope `hotline`) instead of a staff session: the same feed and cursor,
    bounded to the key's district, free text masked unless the key acts as a desk account; other keys refused."""
    from civicloop.apikeys.services import api_key_create, api_key_revoke

    cases = replied(world, mapped, run)
    noise = cases["HL103"]  # replied with a mobile number in the reply
    s.case_triage(actor=world.street_dispatcher, case_id=noise.pk, category_id=mapped["0401"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=noise.pk, lead_unit_id=world.housing.pk)
    s.case_accept(actor=world.dept_handler, case_id=noise.pk)
    s.case_resolve(actor=world.dept_handler, case_id=noise.pk, result="已约谈施工方")
    s.case_reply(actor=world.dept_handler, case_id=noise.pk, channel="phone", content="已回电13812340003告知结果")
    monkeypatch.setattr("civicloop.hotline.selectors.FEED_LAG_SECONDS", -600)
    row, key = api_key_create(actor=world.district_admin, name="12345平台", scopes=["hotline"], rate_limit=100)
    body = client.get("/api/hotline/replies", {"cursor": 0, "limit": 1}, HTTP_X_API_KEY=key).json()
    assert [i["work_order_no"] for i in body["items"]] == ["HL101"]
    rest = client.get("/api/hotline/replies", {"cursor": body["next_cursor"]},
                      HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [i["work_order_no"] for i in rest["items"]] == ["HL102", "HL103"]
    assert "13812340003" not in rest["items"][1]["reply"]  # masked: the key is no person with the right
    assert rest["items"][1]["reply"].startswith("已回电138")

    # a key acting as the desk's administrator (a dispatcher too) reads as they do: numbers in clear, their scope
    _row, acting_key = api_key_create(actor=world.district_admin, name="12345坐席", scopes=["hotline"],
                                      rate_limit=100, acting_user_id=world.district_admin.pk)
    acting = client.get("/api/hotline/replies", {"cursor": body["next_cursor"]}, HTTP_X_API_KEY=acting_key).json()
    assert acting["items"][1]["reply"] == "已回电13812340003告知结果"

    _other, open311_key = api_key_create(actor=world.district_admin, name="城市App", scopes=["open311"], rate_limit=9)
    assert client.get("/api/hotline/replies", HTTP_X_API_KEY=open311_key).status_code == 403
    assert client.get("/api/hotline/replies", HTTP_X_API_KEY="cl_00000000_nope").status_code == 401
    _stranger_row, stranger_key = api_key_create(actor=world.stranger, name="他区", scopes=["hotline"], rate_limit=9)
    assert client.get("/api/hotline/replies", HTTP_X_API_KEY=stranger_key).json()["items"] == []
    api_key_revoke(actor=world.district_admin, key_id=row.pk)
    assert client.get("/api/hotline/replies", HTTP_X_API_KEY=key).status_code == 401

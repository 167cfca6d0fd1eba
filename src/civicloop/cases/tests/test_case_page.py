"""Issue 11 on the case page: one primary action, the rest in a menu, confirmation for consequential steps; a
timeline that says what each step did (page and API); the extension approver sees days and the new deadline;
merging by tracking code, with a preview."""

import re

from civicloop.cases import services as s
from civicloop.cases.constants import Satisfaction
from civicloop.cases.models import Case
from civicloop.cases.selectors import case_detail

from .test_views import action_forms, login


def _primary(html: str) -> str | None:
    m = re.search(r'<form class="card border-primary[^"]*"[^>]*data-action="([a-z_]+)"', html)
    return m.group(1) if m else None


def _confirmed(html: str) -> set[str]:
    return set(re.findall(r'<form[^>]*data-action="([a-z_]+)" hx-confirm="[^"]+"', html))


def test_one_primary_action_the_rest_in_a_menu_and_confirmations(client, world, flow):
    case = flow.register()
    login(client, world.street_dispatcher)
    html = client.get(f"/cases/{case.tracking_code}/").content.decode()
    assert _primary(html) == "triage"
    menu = set(re.findall(r'data-menu-action="([a-z_]+)"', html))
    assert "triage" not in menu and {"withdraw", "escalate"} <= menu
    assert {"withdraw", "escalate", "merge"} & action_forms(html) <= _confirmed(html)
    assert "撤回后工单即终止" in html and "<script>" not in html.split("</main>")[0]
    dispatched = flow.dispatched()
    login(client, world.dept_handler)
    html = client.get(f"/cases/{dispatched.pk}/").content.decode()
    assert _primary(html) == "accept" and "return" in _confirmed(html)
    replied = flow.replied()
    login(client, world.street_dispatcher)
    html = client.get(f"/cases/{replied.pk}/").content.decode()
    assert _primary(html) == "rate" and "close" in _confirmed(html)


def test_timeline_tells_the_story(client, world, flow, cats):
    sd, dh = world.street_dispatcher, world.dept_handler
    case = flow.register()
    s.case_triage(actor=sd, case_id=case.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=sd, case_id=case.pk, lead_unit_id=world.housing.pk, co_unit_ids=[world.city_mgmt.pk],
                    time_limit_days=10)
    s.case_accept(actor=dh, case_id=case.pk)
    s.case_request_extension(actor=dh, case_id=case.pk, days=3, reason="需协调")
    s.case_approve_extension(actor=sd, case_id=case.pk)
    s.case_supervise(actor=sd, case_id=case.pk, notice="请加快")
    s.case_supervision_reply(actor=dh, case_id=case.pk, reply="正在施工")
    s.case_resolve(actor=dh, case_id=case.pk, result="已清理")
    s.case_reply(actor=dh, case_id=case.pk, channel="sms", content="已清理完毕")
    s.case_rate(actor=sd, case_id=case.pk, value=Satisfaction.BASICALLY)
    lines = {e["action"]: e["summary"] for e in case_detail(sd, case.pk)["timeline"]}
    assert "区房管局" in lines["dispatch"] and "区城管执法局" in lines["dispatch"] and "10" in lines["dispatch"]
    assert "期限" in lines["dispatch"]
    assert "3" in lines["request_extension"] and "3" in lines["approve_extension"]
    assert "新期限" in lines["approve_extension"]
    assert "已回复" in lines["supervise"]
    assert "短信" in lines["reply"] and "基本满意" in lines["rate"]
    assert cats["0201"].name in lines["triage"]
    login(client, sd)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "派至 区房管局" in html
    api = client.get(f"/api/cases/{case.pk}").json()
    assert any("区房管局" in e["summary"] for e in api["timeline"])


def test_the_approver_sees_days_and_the_deadline_it_would_set(client, world, flow):
    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=4, reason="需协调")
    login(client, world.street_dispatcher)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert _primary(html) == "approve_extension"
    preview = re.search(r'<div class="alert[^"]*extension-preview">(.*?)</div>', html, re.S).group(1)
    assert "4" in preview and "批准后" in preview
    shown = re.search(r"<strong>(\d{4}-\d\d-\d\d \d\d:\d\d)</strong>", preview).group(1)
    s.case_approve_extension(actor=world.street_dispatcher, case_id=case.pk)
    from django.utils import timezone

    assert timezone.localtime(Case.objects.get(pk=case.pk).deadline).strftime("%Y-%m-%d %H:%M") == shown


def test_merge_by_tracking_code_with_a_preview(client, world, flow):
    case, target = flow.register(), flow.register()
    login(client, world.street_dispatcher)
    r = client.get(f"/cases/{case.pk}/merge-preview/", {"into_case_id": target.tracking_code.lower()})
    assert target.tracking_code in r.content.decode()
    r = client.get(f"/cases/{case.pk}/merge-preview/", {"into_case_id": case.tracking_code})
    assert "merge-target" not in r.content.decode()  # not into itself
    r = client.post(f"/cases/{case.pk}/act/merge/", {"expected_version": case.version,
                                                      "into_case_id": target.tracking_code})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).merged_into_id == target.pk
    # the API keeps taking the id
    other = flow.register()
    r = client.post(f"/api/cases/{other.pk}/merge", {"expected_version": other.version, "into_case_id": target.pk},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    # an unknown code is "not found"
    third = flow.register()
    r = client.post(f"/api/cases/{third.pk}/merge", {"expected_version": third.version, "into_case_id": "XX0000-1"},
                    content_type="application/json")
    assert r.status_code == 404

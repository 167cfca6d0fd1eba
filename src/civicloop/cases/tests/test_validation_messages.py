"""Validation refusals speak the person's language and name fields by their labels, on pages and in the API
(core.validation): never "result · Field required"."""

from civicloop.cases import services as s
from civicloop.testing import PASSWORD


def login(client, user, language=None):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    if language:
        client.cookies["django_language"] = language


def accepted(world, flow):
    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    case.refresh_from_db()
    return case


def test_page_form_posted_empty_reads_chinese(client, world, flow):
    case = accepted(world, flow)
    login(client, world.dept_handler)
    r = client.post(f"/cases/{case.pk}/act/resolve/", {"expected_version": case.version}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 400 and "办理结果：请填写" in body
    assert "Field required" not in body and "result" not in body.replace('data-error-code="invalid"', "")
    assert "(invalid)" not in body


def test_page_form_posted_empty_reads_english(client, world, flow):
    case = accepted(world, flow)
    login(client, world.dept_handler, language="en")
    r = client.post(f"/cases/{case.pk}/act/request_extension/", {"expected_version": case.version, "days": "999",
                                                                  "reason": "x"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 400 and "at most 60" in body and "延期" not in body


def test_api_missing_field_in_chinese_and_english(client, world, flow):
    case = accepted(world, flow)
    login(client, world.dept_handler)
    path = f"/api/cases/{case.pk}/resolve"
    r = client.post(path, {"expected_version": case.version}, content_type="application/json",
                    HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert r.status_code == 422
    detail = r.json()["details"][0]
    assert detail["name"] == "result" and detail["field"] == "办理结果" and detail["reason"] == "请填写"
    assert detail["where"].endswith("result")
    r = client.post(path, {"expected_version": case.version}, content_type="application/json",
                    HTTP_ACCEPT_LANGUAGE="en")
    detail = r.json()["details"][0]
    assert detail["field"] == "Result" and detail["reason"] == "Required" and r.json()["message"] != "输入有误。"


def test_api_limits_carry_their_numbers(client, world, flow):
    case = accepted(world, flow)
    login(client, world.dept_handler)
    r = client.post(f"/api/cases/{case.pk}/request_extension", {"expected_version": case.version, "days": 0,
                                                                 "reason": "x"}, content_type="application/json")
    detail = r.json()["details"][0]
    assert (detail["field"], detail["reason"]) == ("延期天数（工作日）", "不能小于 1")

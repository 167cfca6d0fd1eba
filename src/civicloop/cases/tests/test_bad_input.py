"""The input layer (core.input): each bad input the probe found answers a 4xx with our error body (API) or the error
page (pages), and nothing is written."""

import io
import json

import pytest

from civicloop.cases.models import Case, CaseEvent
from civicloop.testing import PASSWORD

HUGE = 2**63  # one past the largest 64-bit integer


@pytest.fixture
def dispatcher(client, world):
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    return client


def register_body(**extra):
    return {"channel": "hotline_12345", "description": "路灯不亮", "reporter_phone": "13912345678", **extra}


def post_json(client, path, body, content_type="application/json"):
    return client.post(path, body if isinstance(body, str | bytes) else json.dumps(body), content_type=content_type)


def refused(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response.json()["code"] == code and response.json()["message"], response.json()
    return response.json()


# ----- NUL


@pytest.mark.parametrize("field", ["description", "reporter_name", "address", "note", "external_id"])
def test_a_nul_in_any_json_text_is_refused_and_nothing_stored(dispatcher, world, field):
    body = refused(post_json(dispatcher, "/api/cases/register", register_body(**{field: "路灯\x00不亮"})), 422, "invalid")
    assert "NUL" in body["message"]
    assert Case.objects.count() == 0


def test_a_nul_in_a_json_key_is_refused(dispatcher, world):
    refused(post_json(dispatcher, "/api/cases/register", {**register_body(), "x\x00": 1}), 422, "invalid")


def test_an_escaped_backslash_is_not_a_nul(dispatcher, world):
    # "\\u0000" in JSON is a backslash and "u0000": ordinary text, stored as sent
    r = post_json(dispatcher, "/api/cases/register", '{"channel": "hotline_12345", "description": "C:\\\\u0000"}')
    assert r.status_code == 201, r.json()
    assert Case.objects.get().description == "C:\\u0000"


def test_a_nul_in_a_query_is_refused(dispatcher, world):
    refused(dispatcher.get("/api/cases/?q=a%00b"), 422, "invalid")
    refused(dispatcher.get("/api/places/households?q=a%00b"), 422, "invalid")
    assert dispatcher.get("/api/places/households/a%00b").status_code == 404  # a key in the path: like any missing
    page = dispatcher.get("/cases/?q=a%00b")
    assert page.status_code == 400 and "NUL" in page.content.decode()


def test_a_nul_in_a_page_form_is_refused_and_nothing_stored(dispatcher, world):
    r = dispatcher.post("/cases/register/", {"channel": "visit", "description": "路灯\x00不亮"})
    assert r.status_code == 400 and "NUL" in r.content.decode()
    hx = dispatcher.post("/cases/register/", {"channel": "visit", "description": "\x00"}, HTTP_HX_REQUEST="true")
    assert hx.status_code == 400 and hx["HX-Retarget"] == "#messages"
    assert Case.objects.count() == 0


# ----- numbers past 64 bits in a body


def test_a_huge_id_in_a_body_is_refused_and_nothing_changes(dispatcher, world, flow):
    case = flow.register()
    before = (Case.objects.get(pk=case.pk).version, CaseEvent.objects.count())
    r = post_json(dispatcher, f"/api/cases/{case.pk}/dispatch", {"expected_version": before[0], "lead_unit_id": HUGE})
    refused(r, 422, "invalid")
    assert (Case.objects.get(pk=case.pk).version, CaseEvent.objects.count()) == before


def test_a_huge_number_anywhere_in_a_body_is_refused_by_the_parser(dispatcher, world):
    body = refused(post_json(dispatcher, "/api/cases/register", register_body(extra={"n": -HUGE - 1})), 422, "invalid")
    assert "数字" in body["message"]
    assert Case.objects.count() == 0


# ----- bodies that are not JSON, or too large


def test_a_json_endpoint_refuses_a_form_body(dispatcher, world):
    refused(dispatcher.post("/api/cases/register", register_body()), 415, "unsupported_media_type")  # multipart
    refused(dispatcher.post("/api/cases/register", "channel=visit&description=x",
                            content_type="application/x-www-form-urlencoded"), 415, "unsupported_media_type")
    assert Case.objects.count() == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_a_json_endpoint_refuses_other_media_types(dispatcher, world, content_type):
    refused(post_json(dispatcher, "/api/cases/register", register_body(), content_type=content_type),
            415, "unsupported_media_type")
    assert Case.objects.count() == 0


def test_a_json_endpoint_accepts_json_with_a_charset(dispatcher, world):
    r = post_json(dispatcher, "/api/cases/register", register_body(), content_type="application/json; charset=utf-8")
    assert r.status_code == 201


def test_broken_json_is_a_400_with_the_error_body(dispatcher, world):
    refused(post_json(dispatcher, "/api/cases/register", '{"channel": '), 400, "malformed_body")


def test_a_body_over_the_limit_is_413_with_the_error_body(dispatcher, world):
    big = register_body(description="路" * (5 * 1024 * 1024 // 3))
    refused(post_json(dispatcher, "/api/cases/register", big), 413, "payload_too_large")
    page = dispatcher.post("/cases/register/", "description=" + "x" * (3 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413 and "payload_too_large" in page.content.decode()
    assert Case.objects.count() == 0


def test_an_import_has_one_size_limit_on_the_page_and_the_api(client, world, settings):
    assert client.login(username=world.district_admin.username, password=PASSWORD)
    settings.CIVICLOOP_MAX_UPLOAD_BYTES = 1000

    def upload():
        return io.BytesIO(b"a," * 600)  # 1200 bytes

    api = client.post("/api/imports/run", {"kind": "households", "file": upload(), "dry_run": "true"})
    refused(api, 413, "import_file_too_large")
    page = client.post("/imports/", {"kind": "households", "file": upload(), "dry_run": "1"})
    assert page.status_code == 413 and "import_file_too_large" in page.content.decode()


def test_an_upload_past_the_request_limit_is_refused_before_it_is_read(client, world, settings):
    assert client.login(username=world.district_admin.username, password=PASSWORD)
    settings.CIVICLOOP_MAX_UPLOAD_BYTES = 1000
    big = io.BytesIO(b"x" * (400 * 1024))  # past the limit and the form allowance
    refused(client.post("/api/imports/run", {"kind": "households", "file": big}), 413, "payload_too_large")


# ----- the OpenAPI document says so


def test_the_schema_declares_the_input_layers_answers():
    from civicloop.api import api

    paths = api.get_openapi_schema()["paths"]
    for path, ops in paths.items():
        for method, op in ops.items():
            statuses = {str(status) for status in op["responses"]}
            assert "401" in statuses, (method, path)
            if method == "post" and "requestBody" in op:
                assert {"413", "415"} <= statuses, (method, path)
    run = paths["/api/imports/run"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert "households" in run["properties"]["kind"]["enum"]

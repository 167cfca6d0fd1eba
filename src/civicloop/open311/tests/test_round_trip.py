"""A full Open311 round trip over HTTP with the test client: discovery, services, definitions, create (point,
address, retry), list with each filter, fetch by id — in JSON and XML (parsed) — and the refusals."""

import datetime as dt
import json
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.cases.models import Case
from civicloop.open311.models import Submission

from .conftest import PUDONG, XUHUI

BASE = "/open311/v2"


def _json(response, status=200):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def _xml(response, status=200):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.content)


def _noise(**extra):
    return {"service_code": "0401", "lat": XUHUI[0], "long": XUHUI[1], "description": "夜间施工噪声很大",
            "attribute[noise_source]": "construction", "attribute[noise_time]": "night",
            "first_name": "四", "last_name": "李", "phone": "13912345678", **extra}


def _post(client, key, data, fmt="json"):
    return client.post(f"{BASE}/requests.{fmt}", {"api_key": key, **data})


def test_discovery_and_services_in_both_formats(client, o311, cats):
    leaves = sum(1 for c in cats.values() if c.parent_id is not None)
    discovery = _json(client.get(f"{BASE}/discovery.json"))
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2/")
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["application/json", "text/xml"]

    services = _json(client.get(f"{BASE}/services.json"))
    by_code = {x["service_code"]: x for x in services}
    assert "01" not in by_code and len(by_code) == leaves == 40  # leaf categories only
    noise = by_code["0401"]
    assert noise["group"] == "环境保护" and noise["metadata"] is True and "噪音" in noise["keywords"]
    assert by_code["0101"]["metadata"] is False and noise["type"] == "realtime"
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert len(root.findall("service")) == leaves
    assert root.find("service[service_code='0401']/metadata").text == "true"


def test_service_definitions(client, o311):
    definition = _json(client.get(f"{BASE}/services/0401.json"))
    attrs = {a["code"]: a for a in definition["attributes"]}
    assert attrs["noise_time"]["required"] is True and attrs["noise_time"]["datatype"] == "singlevaluelist"
    assert {v["key"] for v in attrs["noise_time"]["values"]} == {"day", "night"}
    root = _xml(client.get(f"{BASE}/services/0505.xml"))
    assert [a.find("code").text for a in root.findall("attributes/attribute")] == ["merchant", "amount"]
    assert _json(client.get(f"{BASE}/services/0101.json"))["attributes"] == []
    missing = _json(client.get(f"{BASE}/services/9999.json"), 404)
    assert missing[0]["code"] == 404 and missing[0]["description"]


def test_round_trip(client, o311, world, django_assert_max_num_queries):
    # create by a point: matched to the nearest compound, answers stored, no personal data in reads
    created = _json(_post(client, o311.key, _noise(token="app-1")), 201)
    code = created[0]["service_request_id"]
    case = Case.objects.get(tracking_code=code)
    assert case.channel == Channel.OPEN311 and case.external_id == f"{o311.row.prefix}:app-1"
    assert case.place_id == o311.compound_a1.pk and case.street_id == world.street_a.pk
    assert case.reporter_name == "李四" and case.reporter_phone == "13912345678"
    assert "噪声来源：建筑施工" in case.description and "夜间" in case.description
    assert case.category.code == "0401" and case.registered_by is None
    sub = Submission.objects.get(case=case)
    assert sub.attributes == {"noise_source": "construction", "noise_time": "night"} and sub.api_key == o311.row
    # a retried POST (same token) answers the same request
    assert _json(_post(client, o311.key, _noise(token="app-1")), 201)[0]["service_request_id"] == code
    assert Case.objects.filter(channel=Channel.OPEN311).count() == 1

    # create by an address, in XML: matched to the compound it names
    compound_b1 = f"{world.comm_b1.name}小区"
    root = _xml(_post(client, o311.key, {"service_code": "0104", "address_string": f"测试区{compound_b1}3号楼门口",
                                         "description": "垃圾满溢"}, fmt="xml"), 201)
    code_b = root.find("request/service_request_id").text
    case_b = Case.objects.get(tracking_code=code_b)
    assert case_b.community_id == world.comm_b1.pk and case_b.reporter_anonymous

    # handled: dispatched, resolved and replied — closed, with the reply as status_notes and the deadline
    s.case_triage(actor=world.district_admin, case_id=case.pk, category_id=case.category_id)
    s.case_dispatch(actor=world.district_admin, case_id=case.pk, lead_unit_id=world.city_mgmt.pk)
    s.case_accept(actor=world.city_handler, case_id=case.pk)
    s.case_resolve(actor=world.city_handler, case_id=case.pk, result="已责令停工", measures="夜间巡查")
    s.case_reply(actor=world.city_handler, case_id=case.pk, channel="phone", content="已责令工地夜间停工，李先生 13912345678")
    case.refresh_from_db()

    # fetch by id, both formats
    one = _json(client.get(f"{BASE}/requests/{code}.json", {"api_key": o311.key}))[0]
    assert one["service_request_id"] == code and one["status"] == "closed" and one["service_code"] == "0401"
    assert one["agency_responsible"] == world.city_mgmt.name
    assert one["status_notes"].startswith("已责令工地夜间停工") and "13912345678" not in one["status_notes"]
    assert one["expected_datetime"] == timezone.localtime(case.deadline).isoformat(timespec="seconds")
    assert one["requested_datetime"].endswith("+08:00") and one["lat"] == float(XUHUI[0])
    body = json.dumps(one, ensure_ascii=False)
    assert "李四" not in body and "13912345678" not in body
    root = _xml(client.get(f"{BASE}/requests/{code}.xml", HTTP_X_API_KEY=o311.key))
    assert root.tag == "service_requests" and root.find("request/status").text == "closed"
    assert root.find("request/zipcode").text is None

    # list and every filter
    def listed(fmt="json", **params):
        response = client.get(f"{BASE}/requests.{fmt}", params, HTTP_X_API_KEY=o311.key)
        if fmt == "xml":
            return [r.find("service_request_id").text for r in _xml(response).findall("request")]
        return [r["service_request_id"] for r in _json(response)]

    with django_assert_max_num_queries(4):  # key, rate count, cases, their replies
        assert listed() == [code_b, code]  # newest first
    assert listed("xml") == [code_b, code]
    assert listed(service_request_id=code) == [code]
    assert listed(service_request_id=f"{code},{code_b}") == [code_b, code]
    assert listed(service_code="0104") == [code_b]
    assert listed(service_code="0401,0104") == [code_b, code]
    assert listed(status="open") == [code_b]
    assert listed(status="closed") == [code]
    assert listed(status="open,closed") == [code_b, code]
    now = timezone.now()
    assert listed(start_date=(now - dt.timedelta(hours=1)).isoformat()) == [code_b, code]
    assert listed(start_date=(now + dt.timedelta(hours=1)).isoformat()) == []
    assert listed(end_date=(now - dt.timedelta(hours=1)).isoformat()) == []
    assert listed(start_date="2026-01-01T00:00:00+08:00", end_date="2026-01-02T00:00:00+08:00") == []
    assert listed(page_size="1") == [code_b]
    assert listed(page_size="1", page="2") == [code]
    assert listed(page="3", page_size="1") == []


def test_the_default_window_is_the_past_90_days(client, o311):
    code = _json(_post(client, o311.key, _noise()), 201)[0]["service_request_id"]
    Case.objects.filter(tracking_code=code).update(created_at=timezone.now() - dt.timedelta(days=91))
    assert _json(client.get(f"{BASE}/requests.json", HTTP_X_API_KEY=o311.key)) == []
    old = (timezone.now() - dt.timedelta(days=95)).isoformat()
    assert len(_json(client.get(f"{BASE}/requests.json", {"start_date": old}, HTTP_X_API_KEY=o311.key))) == 1
    # by id, the window does not apply
    assert len(_json(client.get(f"{BASE}/requests.json", {"service_request_id": code}, HTTP_X_API_KEY=o311.key))) == 1


def _error(response, status, civic_code, fmt="json"):
    if fmt == "xml":
        root = _xml(response, status)
        assert root.tag == "errors" and root.find("error/code").text == str(status)
        assert root.find("error/description").text
        assert root.find("error/civicloop_code").text == civic_code
        return root
    body = _json(response, status)
    assert body[0]["code"] == status and body[0]["description"] and body[0]["civicloop_code"] == civic_code
    return body


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_refusals_in_the_spec_error_list(client, o311, world, fmt):
    from civicloop.apikeys.services import api_key_create, api_key_revoke

    _error(_post(client, "cl_00000000_nope", _noise(), fmt), 403, "api_key_invalid", fmt)
    _error(client.post(f"{BASE}/requests.{fmt}", _noise()), 403, "api_key_missing", fmt)
    _error(client.get(f"{BASE}/requests.{fmt}"), 403, "api_key_missing", fmt)
    hotline_row, hotline_key = api_key_create(actor=world.district_admin, name="12345", scopes=["hotline"], rate_limit=9)
    _error(_post(client, hotline_key, _noise(), fmt), 403, "api_key_scope", fmt)
    _error(_post(client, o311.key, _noise(service_code="9999"), fmt), 400, "open311_service_unknown", fmt)
    _error(_post(client, o311.key, _noise(service_code="04"), fmt), 400, "open311_service_unknown", fmt)
    _error(_post(client, o311.key, _noise(lat="", long=""), fmt), 400, "open311_location_missing", fmt)
    _error(_post(client, o311.key, _noise(long=""), fmt), 400, "open311_location_missing", fmt)
    _error(_post(client, o311.key, _noise(lat="91"), fmt), 400, "open311_parameter_invalid", fmt)
    _error(_post(client, o311.key, _noise(lat="NaN"), fmt), 400, "open311_parameter_invalid", fmt)
    _error(_post(client, o311.key, _noise(lat=PUDONG[0], long=PUDONG[1]), fmt), 400, "open311_out_of_area", fmt)
    _error(_post(client, o311.key, _noise(**{"attribute[noise_time]": ""}), fmt), 400,
           "open311_attribute_required", fmt)
    _error(_post(client, o311.key, _noise(**{"attribute[noise_time]": "always"}), fmt), 400,
           "open311_attribute_invalid", fmt)
    _error(_post(client, o311.key, _noise(phone="12"), fmt), 400, "open311_parameter_invalid", fmt)
    _error(_post(client, o311.key, _noise(token="空格 不行"), fmt), 400, "open311_parameter_invalid", fmt)
    _error(client.get(f"{BASE}/requests/XH2026-9999999.{fmt}", HTTP_X_API_KEY=o311.key), 404, "not_found", fmt)
    assert not Case.objects.exists()
    api_key_revoke(actor=world.district_admin, key_id=o311.row.pk)
    _error(_post(client, o311.key, _noise(), fmt), 403, "api_key_revoked", fmt)
    assert not Case.objects.exists()


@pytest.mark.parametrize(("params", "ok"), [
    ({"page_size": "100"}, True), ({"page_size": "1"}, True), ({"page_size": "101"}, False),
    ({"page_size": "0"}, False), ({"page_size": "-5"}, False), ({"page_size": "x"}, False),
    ({"page": "0"}, False), ({"page": "10001"}, False), ({"page": "99999999999999999999999"}, False),
    ({"status": "pending"}, False), ({"start_date": "yesterday"}, False),
    ({"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"}, False),
    ({"start_date": "2026-02-01T00:00:00+08:00", "end_date": "2026-01-01T00:00:00+08:00"}, False),
    ({"service_code": "a'b"}, False),
])
def test_query_bounds(client, o311, params, ok):
    response = client.get(f"{BASE}/requests.json", params, HTTP_X_API_KEY=o311.key)
    if ok:
        assert _json(response) == []
    else:
        _error(response, 400, "open311_parameter_invalid")


def test_the_rate_limit(client, o311, world):
    from civicloop.apikeys.services import api_key_create

    _row, key = api_key_create(actor=world.district_admin, name="慢", scopes=["open311"], rate_limit=2)
    for _ in range(2):
        _json(client.get(f"{BASE}/requests.json", HTTP_X_API_KEY=key))
    response = client.get(f"{BASE}/requests.json", HTTP_X_API_KEY=key)
    _error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_another_districts_key_sees_nothing_of_ours(client, o311):
    code = _json(_post(client, o311.key, _noise()), 201)[0]["service_request_id"]
    _error(client.get(f"{BASE}/requests/{code}.json", HTTP_X_API_KEY=o311.other_key), 404, "not_found")
    assert _json(client.get(f"{BASE}/requests.json", HTTP_X_API_KEY=o311.other_key)) == []
    assert _json(client.get(f"{BASE}/requests.json", {"service_request_id": code},
                            HTTP_X_API_KEY=o311.other_key)) == []
    # a request sent with its key is registered in its own district (no outline of it to check the point by, so
    # the point is kept and no place of ours is matched), and ours does not see it
    theirs = _json(_post(client, o311.other_key, _noise()), 201)[0]["service_request_id"]
    case = Case.objects.get(tracking_code=theirs)
    assert case.district_id == o311.other_row.district_id and case.place_id is None
    _error(client.get(f"{BASE}/requests/{theirs}.json", HTTP_X_API_KEY=o311.key), 404, "not_found")


def test_a_key_with_an_acting_user_registers_as_that_user(client, o311, world):
    from civicloop.apikeys.services import api_key_create

    _row, key = api_key_create(actor=world.district_admin, name="街道App", scopes=["open311"], rate_limit=50,
                               acting_user_id=world.street_dispatcher.pk)
    code = _json(_post(client, key, _noise()), 201)[0]["service_request_id"]
    case = Case.objects.get(tracking_code=code)
    assert case.registered_by == world.street_dispatcher and case.street_id == world.street_a.pk
    # a place outside the acting user's street is refused like a missing one
    compound_b1 = f"{world.comm_b1.name}小区"
    _error(_post(client, key, {"service_code": "0104", "address_string": compound_b1}), 404, "not_found")


def test_the_list_reads_the_district_created_index(client, o311):
    """GET requests at scale (1,000,000 cases, the bench) needs the (district, created_at, id) index: the
    database walks the window newest first and stops at the page, whatever the filters add."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _json(_post(client, o311.key, _noise()), 201)
    with CaptureQueriesContext(connection) as queries:
        assert len(_json(client.get(f"{BASE}/requests.json", {"status": "open", "service_code": "0401"},
                                    HTTP_X_API_KEY=o311.key))) == 1
    (sql,) = [q["sql"] for q in queries.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert len(queries.captured_queries) <= 4  # key, rate count, cases, replies (the use stamp: once a minute)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "TEMP B-TREE" not in plan, plan  # the order comes from the index: no sort of the window
        else:  # a handful of rows: PostgreSQL would scan (and sort) them; ask for the plan that needs neither
            for option in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {option} = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "Sort" not in plan, plan  # the index gives the order
    assert "case_district_created" in plan, plan


def test_text_that_xml_cannot_hold_is_replaced_not_broken(client, o311):
    code = _json(_post(client, o311.key, _noise()), 201)[0]["service_request_id"]
    Case.objects.filter(tracking_code=code).update(description="灯不亮\x01\x1f了")  # as another channel stored it
    root = _xml(client.get(f"{BASE}/requests/{code}.xml", HTTP_X_API_KEY=o311.key))
    assert root.find("request/description").text.startswith("灯不亮\ufffd\ufffd了")
    assert _json(client.get(f"{BASE}/requests/{code}.json", HTTP_X_API_KEY=o311.key))[0]["description"].startswith("灯不亮")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_input_layer_refusals_in_the_spec_error_list(client, o311, settings, fmt):
    """A NUL in a field or a body over the limit is refused before any view runs — in the spec's error list and the
    asked format (not the staff's HTML error page), with a message, and nothing registered."""
    root = _error(_post(client, o311.key, _noise(description="夜间\x00施工"), fmt), 400, "invalid", fmt)
    text = root.find("error/description").text if fmt == "xml" else root[0]["description"]
    assert "NUL" in text
    _error(client.get(f"{BASE}/requests.{fmt}", {"service_code": "04\x0001"}, HTTP_X_API_KEY=o311.key), 400,
           "invalid", fmt)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = f"api_key={o311.key}&service_code=0401&address_string=" + "长" * 1000
    root = _error(client.generic("POST", f"{BASE}/requests.{fmt}", body.encode(),
                                 content_type="application/x-www-form-urlencoded"), 413, "payload_too_large", fmt)
    text = root.find("error/description").text if fmt == "xml" else root[0]["description"]
    assert "1000" in text
    assert not Case.objects.exists()

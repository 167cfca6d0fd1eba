"""Every cases endpoint × every persona of the world, for a case in street A.

Out-of-scope personas (outsider, stranger, nobody) get 404 (anonymous: 401) and nothing changes; in-scope
personas never get a 5xx. The endpoints are read from the API itself, so a new one is covered automatically.
"""

import pytest

from civicloop.api import api
from civicloop.cases.models import Case, CaseEvent
from civicloop.testing import PASSWORD

PERSONAS = ["district_admin", "leader", "street_dispatcher", "committee_worker", "dept_handler", "city_handler",
            "consultation_staff", "outsider", "stranger", "nobody"]
OUTSIDE = {"outsider", "stranger", "nobody"}


def case_endpoints():
    schema = api.get_openapi_schema()
    out = []
    for path, ops in schema["paths"].items():
        if not path.startswith("/api/cases/") or ("{case_id}" not in path and "{key}" not in path):
            continue
        for method in ops:
            out.append((method, path))
    return out


ENDPOINTS = case_endpoints()


def test_matrix_covers_every_case_action():
    names = {p.rsplit("/", 1)[-1] for _m, p in ENDPOINTS}
    assert {"triage", "dispatch", "accept", "return", "resolve", "reply", "rate", "close", "merge", "withdraw",
            "supervise", "escalate", "{key}"} <= names


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_endpoint_for_persona(client, world, flow, persona):
    case = flow.dispatched()
    other = flow.register()  # a merge target in street A too
    client.logout()
    user = getattr(world, persona)
    assert client.login(username=user.username, password=PASSWORD)
    for method, path in ENDPOINTS:
        url = path.replace("{case_id}", str(case.pk)).replace("{key}", str(case.pk))
        before = (Case.objects.get(pk=case.pk).version, CaseEvent.objects.filter(case=case).count())
        body = {"expected_version": before[0], "reason": "x", "note": "x", "result": "x", "content": "x",
                "channel": "phone", "value": "satisfied", "notice": "x", "reply": "x", "days": 1,
                "category_id": 1, "lead_unit_id": world.housing.pk, "into_case_id": other.pk}
        r = client.get(url) if method == "get" else client.post(url, body, content_type="application/json")
        assert r.status_code < 500, (persona, path, r.content[:300])
        if persona in OUTSIDE:
            assert r.status_code == 404, (persona, path, r.status_code)
            assert (Case.objects.get(pk=case.pk).version,
                    CaseEvent.objects.filter(case=case).count()) == before, (persona, path)


def test_anonymous_gets_401_everywhere(client, world, flow):
    case = flow.dispatched()
    for method, path in ENDPOINTS:
        url = path.replace("{case_id}", str(case.pk)).replace("{key}", str(case.pk))
        r = client.get(url) if method == "get" else client.post(url, {}, content_type="application/json")
        assert r.status_code == 401, (path, r.status_code)
    assert Case.objects.get(pk=case.pk).version == case.version

"""The JSON API for places and orgs: scoped, masked, paginated, errors as {code, message, details}."""

import pytest

from civicloop.orgs.models import Person
from civicloop.places.models import Household
from civicloop.testing import PASSWORD


@pytest.fixture
def as_user(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_anonymous_gets_401_with_a_code(client, world):
    response = client.get("/api/places/places")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_place_list_is_scoped_and_paginated(as_user, world):
    client = as_user(world.street_dispatcher)
    body = client.get("/api/places/places", {"limit": 2, "offset": 0}).json()
    assert body["count"] == 1 + 2 * 3  # street + 2 × (community, compound, building)
    assert len(body["items"]) == 2 and body["items"][0]["code"] == world.street_a.code
    assert body["items"][0]["households"] == 2 and body["items"][0]["children"] == 2
    children = client.get("/api/places/places", {"parent": world.street_a.code}).json()
    assert [p["code"] for p in children["items"]] == [world.comm_a1.code, world.comm_a2.code]
    assert client.get(f"/api/places/places/{world.comm_b1.code}").json()["code"] == "not_found"
    assert client.get(f"/api/places/places/{world.comm_b1.code}").status_code == 404
    assert client.get("/api/places/places", {"limit": 0}).status_code == 422


def test_households_are_masked(as_user, world):
    client = as_user(world.district_admin)
    hh = Household.objects.get(community=world.comm_a1)
    body = client.get(f"/api/places/households/{hh.code}").json()
    assert body["head_phone"] == "138****1234" and body["head_name"] == "张*"
    listing = client.get("/api/places/households", {"place": world.street_a.code}).json()
    assert listing["count"] == 2 and all("****" in h["head_phone"] for h in listing["items"])
    outsider = as_user(world.outsider)
    assert outsider.get(f"/api/places/households/{hh.code}").status_code == 404


def test_units_and_people(as_user, world):
    Person.objects.create(code="P1", name="李四", kind="npc_deputy", phone="13900001111", id_number="310104199001011234",
                          district=world.district)
    client = as_user(world.street_dispatcher)
    units = client.get("/api/orgs/units", {"kind": "department"}).json()
    assert {u["code"] for u in units["items"]} == {"U-HOUSING", "U-CITY"}
    person = client.get("/api/orgs/people/P1").json()
    assert person["phone"] == "139****1111" and person["id_number"] == "3101**********1234"
    assert client.get("/api/orgs/units/U-OTHER").status_code == 404  # another district
    staff = client.get("/api/orgs/staff", {"unit": "U-SA"}).json()
    # Issue 21: a dispatcher knows colleagues by name, unit and role, not by login name.
    assert [(s["display_name"], s["username"]) for s in staff["items"]] == [("street_dispatcher", None)]
    assert as_user(world.stranger).get("/api/orgs/people/P1").status_code == 404


def test_openapi_schema_and_docs(as_user, world):
    client = as_user(world.district_admin)
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/places/places", "/api/places/households/{code}", "/api/places/enterprises", "/api/places/zones",
                 "/api/places/park-buildings", "/api/orgs/units", "/api/orgs/people/{code}"):
        assert path in paths, path
        assert {"200", "401", "404"} <= set(paths[path]["get"]["responses"])
    assert client.get("/api/docs").status_code == 200


def test_nul_in_a_key_or_filter_is_refused_not_a_crash(as_user, world):
    client = as_user(world.district_admin)
    assert client.get("/api/places/places/a%00b").status_code == 404
    assert client.get("/api/orgs/people/a%00b").status_code == 404
    assert client.get("/api/places/households", {"q": "a\x00b"}).status_code == 422
    assert client.get("/places/a%00b/").status_code == 404


def test_login_names_are_listed_to_administrators_only(as_user, world):
    admin = as_user(world.district_admin).get("/api/orgs/staff", {"unit": "U-SA"}).json()
    assert [s["username"] for s in admin["items"]] == ["street_dispatcher"]
    for persona in ("street_dispatcher", "committee_worker", "dept_handler", "leader"):
        items = as_user(getattr(world, persona)).get("/api/orgs/staff").json()["items"]
        assert items and all(s["username"] is None and s["display_name"] and "roles" in s for s in items), persona

"""Least privilege on households, enterprises and their tags (places.permissions), persona by persona.

A department sees a household or enterprise only through the cases its unit handles (lead or co-unit) or where
its duty covers the key group (`Unit.duty_tags`), and of the tags only those of its duty; territorial staff keep
their territory with every tag.
"""

import pytest

from civicloop.cases.constants import Channel
from civicloop.cases.models import Category
from civicloop.cases.services import case_dispatch, case_register, case_triage, categories_ensure_defaults
from civicloop.core.errors import CivicError
from civicloop.places import selectors
from civicloop.places.constants import TagTarget
from civicloop.places.models import Enterprise, Household, Tag
from civicloop.testing import PASSWORD, with_civil_affairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return with_civil_affairs(world)


@pytest.fixture
def tagged(world):
    """Household A1 elderly-alone + veteran, B1 elderly-alone, A2 without tags (street A: A1, A2; street B: B1)."""
    hh = {h.community_id: h for h in Household.objects.filter(district=world.district)}
    a1, a2, b1 = hh[world.comm_a1.pk], hh[world.comm_a2.pk], hh[world.comm_b1.pk]
    a1.tags.set(Tag.objects.filter(code__in=("elderly_alone", "veteran")))
    b1.tags.set(Tag.objects.filter(code="elderly_alone"))
    return a1, a2, b1


def codes(qs):
    return sorted(h.code for h in qs)


def visible_tags(actor, household):
    return sorted(t.code for t in selectors.household_get_for(actor, household.code).tags.all())


def dispatch_about(world, household, lead, co=()):
    categories_ensure_defaults()
    case = case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, description="楼道堆物",
                         household_id=household.pk)
    case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=Category.objects.get(code="0201").pk)
    case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=lead.pk,
                  co_unit_ids=[u.pk for u in co])
    return case


def test_a_department_without_cases_or_duty_sees_no_household(world, tagged):
    a1, _a2, _b1 = tagged
    assert codes(selectors.household_list_for(world.dept_handler)) == []
    assert codes(selectors.household_list_for(world.dept_handler, tag="elderly_alone")) == []
    with pytest.raises(CivicError):
        selectors.household_get_for(world.dept_handler, a1.code)
    assert selectors.scope_counts_for(world.dept_handler)["households"] == 0


def test_a_department_sees_the_households_of_its_cases_without_their_tags(world, tagged):
    a1, a2, b1 = tagged
    dispatch_about(world, a1, lead=world.housing, co=[world.city_mgmt])
    for handler in (world.dept_handler, world.city_handler):  # lead unit and co-unit
        assert codes(selectors.household_list_for(handler)) == [a1.code]
        assert visible_tags(handler, a1) == []  # tags are not what a housing case needs
        # nor may it find out by filtering
        assert codes(selectors.household_list_for(handler, tag="elderly_alone")) == []
        with pytest.raises(CivicError):
            selectors.household_get_for(handler, b1.code)


def test_the_civil_affairs_department_sees_its_key_groups_with_its_tags_only(world, tagged):
    a1, a2, b1 = tagged
    civil = world.civil_handler
    assert codes(selectors.household_list_for(civil)) == sorted([a1.code, b1.code])
    assert codes(selectors.household_list_for(civil, tag="elderly_alone")) == sorted([a1.code, b1.code])
    assert codes(selectors.household_list_for(civil, tag="veteran")) == []  # not its duty
    assert visible_tags(civil, a1) == ["elderly_alone"]
    with pytest.raises(CivicError):
        selectors.household_get_for(civil, a2.code)


def test_the_duty_mapping_is_configurable(world, tagged):
    a1, _a2, b1 = tagged
    world.civil_affairs.duty_tags.set([])
    assert codes(selectors.household_list_for(world.civil_handler)) == []
    world.housing.duty_tags.add(Tag.objects.get(code="veteran"))
    assert codes(selectors.household_list_for(world.dept_handler)) == [a1.code]
    assert visible_tags(world.dept_handler, a1) == ["veteran"]


def test_territorial_staff_keep_their_territory_with_every_tag(world, tagged):
    a1, a2, b1 = tagged
    assert codes(selectors.household_list_for(world.committee_worker)) == [a1.code]
    assert visible_tags(world.committee_worker, a1) == ["elderly_alone", "veteran"]
    assert codes(selectors.household_list_for(world.street_dispatcher, tag="elderly_alone")) == [a1.code]
    assert codes(selectors.household_list_for(world.district_admin, tag="elderly_alone")) == sorted([a1.code, b1.code])
    assert codes(selectors.household_list_for(world.outsider)) == [b1.code] + [
        h.code for h in Household.objects.filter(community__parent=world.street_b).exclude(pk=b1.pk)]
    assert codes(selectors.household_list_for(world.stranger, tag="elderly_alone")) == []


def test_enterprises_follow_the_same_rule(world):
    key = Tag.objects.get(code="key_enterprise")
    ent = Enterprise.objects.create(credit_code="91310104MA1FR0XK4G", name="某公司", district=world.district,
                                    street=world.street_a, community=world.comm_a1)
    ent.tags.set([key])
    assert list(selectors.enterprise_list_for(world.dept_handler)) == []
    assert list(selectors.enterprise_list_for(world.civil_handler)) == []  # its duty is households'
    world.civil_affairs.duty_tags.add(key)
    found = selectors.enterprise_get_for(world.civil_handler, ent.credit_code)
    assert [t.code for t in found.tags.all()] == ["key_enterprise"]
    assert key.target == TagTarget.ENTERPRISE
    assert [e.pk for e in selectors.enterprise_list_for(world.street_dispatcher)] == [ent.pk]


def test_the_api_lists_no_elderly_alone_household_to_a_housing_handler(client, world, tagged):
    a1, _a2, b1 = tagged
    assert client.login(username="dept_handler", password=PASSWORD)
    r = client.get("/api/places/households?tag=elderly_alone")
    assert r.status_code == 200 and r.json()["count"] == 0
    assert client.get(f"/api/places/households/{a1.code}").status_code == 404
    assert client.get(f"/places/households/{a1.code}/").status_code == 404
    client.logout()
    assert client.login(username="civil_handler", password=PASSWORD)
    body = client.get("/api/places/households?tag=elderly_alone").json()
    assert body["count"] == 2 and {tuple(i["tags"]) for i in body["items"]} == {("elderly_alone",)}
    assert client.get(f"/places/households/{a1.code}/").status_code == 200
    page = client.get(f"/places/households/{a1.code}/").content.decode()
    assert "独居老人" in page and "退役军人" not in page
    client.logout()
    assert client.login(username="committee_worker", password=PASSWORD)
    page = client.get(f"/places/households/{a1.code}/").content.decode()
    assert "独居老人" in page and "退役军人" in page

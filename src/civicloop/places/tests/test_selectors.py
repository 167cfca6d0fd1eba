"""Place selectors: scope, counts without N+1, the unmask rule."""

import pytest

from civicloop.core.errors import CivicError
from civicloop.orgs.scope import scope_for
from civicloop.places import selectors
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Enterprise, Household, Place


def _not_found(fn, *args):
    with pytest.raises(CivicError) as exc:
        fn(*args)
    return exc.value.code.value, exc.value.status


def test_out_of_scope_is_the_same_as_missing(world):
    assert selectors.place_get_for(world.street_dispatcher, world.comm_a1.code) == world.comm_a1
    assert _not_found(selectors.place_get_for, world.street_dispatcher, world.comm_b1.code) == ("not_found", 404)
    assert _not_found(selectors.place_get_for, world.street_dispatcher, "does-not-exist") == ("not_found", 404)
    # nothing above the viewer's root either
    assert _not_found(selectors.place_get_for, world.street_dispatcher, world.district.code) == ("not_found", 404)
    hh_b = Household.objects.get(community=world.comm_b1)
    assert _not_found(selectors.household_get_for, world.street_dispatcher, hh_b.code) == ("not_found", 404)


def test_roots_and_breadcrumbs_stop_at_the_viewer(world):
    assert selectors.place_roots_for(world.street_dispatcher) == [world.street_a]
    assert selectors.place_roots_for(world.nobody) == []
    building = Place.objects.filter(level=PlaceLevel.BUILDING, community=world.comm_a1).get()
    crumbs = selectors.place_breadcrumbs_for(world.street_dispatcher, building)
    assert [c.level for c in crumbs] == ["street", "community", "compound", "building"]
    crumbs = selectors.place_breadcrumbs_for(world.district_admin, building)
    assert crumbs[0] == world.district


def test_children_counts_match_the_rows(world, django_assert_max_num_queries):
    street = world.street_a
    Enterprise.objects.create(credit_code="91310104MA1FL0001X", name="甲公司", district=world.district, street=street, community=world.comm_a1)
    # add more households so counts are not all one
    b = Place.objects.get(level=PlaceLevel.BUILDING, community=world.comm_a2)
    for room in ("0201", "0301"):
        Household.objects.create(code=f"{b.code}-{room}", district=world.district, street=street,
                                 community=world.comm_a2, building=b, room=room, address=room)
    scope_for(world.district_admin), scope_for(world.street_dispatcher)  # computed once per request in real use
    with django_assert_max_num_queries(4):
        rows = selectors.place_children_for(world.district_admin, world.district)
    by_code = {r.place.code: r for r in rows}
    for code, row in by_code.items():
        assert row.households == Household.objects.filter(street__code=code).count()
        assert row.enterprises == Enterprise.objects.filter(street__code=code).count()
        assert row.children == Place.objects.filter(parent__code=code).count()
    assert by_code[street.code].households == 4 and by_code[street.code].enterprises == 1
    with django_assert_max_num_queries(4):
        rows = selectors.place_children_for(world.street_dispatcher, street)
    assert {r.place.code: r.households for r in rows} == {world.comm_a1.code: 1, world.comm_a2.code: 3}
    compound = b.parent
    rows = selectors.place_children_for(world.street_dispatcher, compound.parent)
    assert [(r.place.code, r.households, r.enterprises) for r in rows] == [(compound.code, 3, None)]


def test_household_list_is_scoped(world):
    codes = set(selectors.household_list_for(world.committee_worker).values_list("community__code", flat=True))
    assert codes == {world.comm_a1.code}
    assert selectors.household_list_for(world.outsider, place=world.comm_b1).count() == 1
    assert selectors.household_list_for(world.outsider, place=world.comm_a1).count() == 0
    assert selectors.scope_counts_for(world.nobody) == {"places": 0, "households": 0, "enterprises": 0}
    counts = selectors.scope_counts_for(world.street_dispatcher)
    assert counts["households"] == 2 and counts["places"] == Place.objects.filter(street=world.street_a).count() + 1


def test_unmask_rule(world):
    hh_a1 = Household.objects.get(community=world.comm_a1)
    hh_a2 = Household.objects.get(community=world.comm_a2)
    assert selectors.household_may_unmask(world.district_admin, hh_a1)
    assert selectors.household_may_unmask(world.committee_worker, hh_a1)
    assert not selectors.household_may_unmask(world.committee_worker, hh_a2)
    assert not selectors.household_may_unmask(world.street_dispatcher, hh_a1)
    assert not selectors.household_may_unmask(world.stranger, hh_a1)  # district admin of another district

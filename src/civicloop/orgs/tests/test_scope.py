"""Scope with named personas: each sees exactly its subtree; outsiders get nothing."""

from civicloop.orgs.scope import scope_for
from civicloop.places.models import Household, Place


def visible_places(user):
    return set(scope_for(user).filter_places(Place.objects.all()).values_list("code", flat=True))


def visible_households(user):
    return set(scope_for(user).filter_territorial(Household.objects.all()).values_list("community__code", flat=True))


def test_district_staff_see_the_whole_district_only(world):
    codes = visible_places(world.district_admin)
    assert world.street_a.code in codes and world.street_b.code in codes
    assert world.other_district.code not in codes
    assert visible_places(world.leader) == codes
    assert visible_places(world.dept_handler) == codes  # departments' duties run across the district


def test_street_dispatcher_sees_own_street_subtree(world):
    codes = visible_places(world.street_dispatcher)
    assert world.street_a.code in codes and world.comm_a1.code in codes
    assert world.street_b.code not in codes and world.district.code not in codes
    assert visible_households(world.street_dispatcher) == {world.comm_a1.code, world.comm_a2.code}


def test_committee_worker_sees_own_community(world):
    assert visible_households(world.committee_worker) == {world.comm_a1.code}
    assert all(code.startswith(world.comm_a1.code) for code in visible_places(world.committee_worker))


def test_outsider_and_nobody(world):
    assert world.comm_a1.code not in visible_places(world.outsider)
    assert visible_places(world.nobody) == set()
    assert visible_households(world.nobody) == set()
    assert world.street_a.code not in visible_places(world.stranger)

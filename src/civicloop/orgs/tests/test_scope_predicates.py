"""The named predicates of `Scope`, for every persona of the world and for superusers.

Apps ask these instead of spelling out the scope's fields, so each row here is a rule every app relies on.
"""

import pytest

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import NOBODY, scope_for
from civicloop.testing import make_user

# persona: sees_everything, sees_nothing, is_department, has_territory, is_district_level
EXPECTED = {
    "district_admin": (False, False, False, True, True),
    "leader": (False, False, False, True, True),
    "consultation_staff": (False, False, False, True, True),
    "street_dispatcher": (False, False, False, True, False),
    "committee_worker": (False, False, False, True, False),
    "outsider": (False, False, False, True, False),
    "dept_handler": (False, False, True, False, False),
    "city_handler": (False, False, True, False, False),
    "stranger": (False, False, False, True, True),  # district-level, but of the other district
    "nobody": (False, True, False, False, False),
}


def predicates(scope):
    return (scope.sees_everything, scope.sees_nothing, scope.is_department, scope.has_territory,
            scope.is_district_level)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_persona_predicates(world, persona):
    scope = scope_for(getattr(world, persona))
    assert predicates(scope) == EXPECTED[persona], persona
    # district-level for its own district only; nobody is district-level for a district it is not of
    own = scope.is_district_level_for(world.district.pk)
    other = scope.is_district_level_for(world.other_district.pk)
    assert (own, other) == ((EXPECTED[persona][4], False) if persona != "stranger" else (False, True)), persona


def test_superuser_without_unit_sees_everything(world):
    root = scope_for(make_user("root", None, superuser=True))
    assert predicates(root) == (True, False, False, True, True)
    assert root.is_district_level_for(world.district.pk) and root.is_district_level_for(world.other_district.pk)
    assert root.has_role(Role.DISPATCHER, Role.LEADER) and root.has_role(Role.INSPECTOR)  # every role


def test_superuser_with_a_street_unit_keeps_its_territory(world):
    """A superuser holds every role, but a unit gives it that unit's territory: not district-level."""
    scope = scope_for(make_user("root_sa", world.street_a_office, superuser=True))
    assert predicates(scope) == (False, False, False, True, False)
    assert not scope.is_district_level_for(world.district.pk)
    assert scope.has_role(Role.DISTRICT_ADMIN)


def test_roles_are_the_users_own(world):
    leader = scope_for(world.leader)
    assert leader.has_role(Role.LEADER) and not leader.has_role(Role.DISPATCHER, Role.HANDLER)
    assert not scope_for(world.nobody).has_role(*Role.values)


def test_anonymous_is_nobody():
    assert NOBODY.sees_nothing and not NOBODY.has_territory and not NOBODY.is_district_level
    assert not NOBODY.is_district_level_for(None)  # "no district" is not a district one is district-level of


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_covers_row_agrees_with_territorial_q(world, persona):
    from civicloop.places.models import Household

    scope = scope_for(getattr(world, persona))
    in_sql = set(scope.filter_territorial(Household.objects.all()).values_list("pk", flat=True))
    assert {h.pk for h in Household.objects.all() if scope.covers_row(h)} == in_sql, persona


def test_covers_row_for_superusers(world):
    from civicloop.places.models import Household

    root = scope_for(make_user("root", None, superuser=True))
    assert all(root.covers_row(h) for h in Household.objects.all())
    street = scope_for(make_user("root_sa", world.street_a_office, superuser=True))
    assert {h.street_id for h in Household.objects.all() if street.covers_row(h)} == {world.street_a.pk}

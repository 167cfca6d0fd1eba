"""Who may run the 12345 exchange (the services and selectors enforce it; pages and navigation ask the same).

The exchange is the district's 12345 desk: its district-level administrators and dispatchers import work orders,
edit the category mapping, export replies and read the replies feed — for their own district.
"""

from __future__ import annotations

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

DESK_ROLES = (Role.DISTRICT_ADMIN, Role.DISPATCHER)


def may_exchange(actor) -> bool:
    """The district's 12345 desk: district-level administrators and dispatchers (a superuser too)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    scope = scope_for(actor)
    return scope.is_superuser or (scope.has_role(*DESK_ROLES) and scope.is_district_level
                                  and scope.district_id is not None)

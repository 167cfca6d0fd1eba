"""Who may see a case and who may take an action on it. The rules named in transitions.Who live here.

Visibility: a case is visible to a territorial user whose territory covers the case's street/community (or the
district, for district-wide units), and to the staff of its lead unit and co-units. Department staff see only
the cases dispatched to their unit (decision 5). Invisible cases answer NOT_FOUND, like missing ones.
"""

from __future__ import annotations

from django.db.models import Q

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import Scope, scope_for
from civicloop.places.constants import PlaceLevel

from .transitions import WHO, Who


class _System:
    """The actor of automatic work (overdue supervision, follow-ups). Events record it as actor=None."""

    pk = None
    unit_id = None
    is_authenticated = True
    is_system = True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def is_system(actor) -> bool:
    return actor is SYSTEM


INLINE_CO_CASES = 5000


def visible_q(scope: Scope, *, inline_co_cases: bool | Q = False) -> Q:
    """Q over Case rows visible to `scope` (a subquery, not a join, so it combines with FOR UPDATE).

    `inline_co_cases`: read the ids of the cases the unit co-handles now and put them in the query as a list (up
    to INLINE_CO_CASES), so every arm of the OR is indexable and the database can combine index scans instead
    of reading the whole table — for lists over large territories. A Q (over the case, e.g. its state) narrows
    the ids read to those the list will keep anyway.
    """
    from .models import Case, CaseCoUnit

    if scope.is_superuser and scope.root_id is None:
        return Q()
    if scope.sees_nothing and scope.unit_id is None:
        return Q(pk__in=[])
    by_unit = Q()
    if scope.unit_id is not None:
        co = CaseCoUnit.objects.filter(unit_id=scope.unit_id).values("case_id")
        if inline_co_cases is not False:
            narrowed = co if inline_co_cases is True else co.filter(
                case_id__in=Case.objects.filter(inline_co_cases).values("pk"))
            ids = list(narrowed.values_list("case_id", flat=True)[:INLINE_CO_CASES + 1])
            if len(ids) <= INLINE_CO_CASES:
                co = ids
            elif scope.is_department or scope.root_id is None:
                # too many to inline: one IN over "led or co-handled" (a semi-join on the primary key) instead of
                # an OR with a subquery, which the database can only answer by reading every case
                return Q(pk__in=Case.objects.filter(lead_unit_id=scope.unit_id).order_by().values("pk").union(
                    co.order_by()))
        by_unit = Q(lead_unit_id=scope.unit_id) | Q(pk__in=co) if co != [] else Q(lead_unit_id=scope.unit_id)
    if scope.is_department or scope.root_id is None:
        return by_unit if scope.unit_id is not None else Q(pk__in=[])
    return scope.territorial_q() | by_unit


def covers(scope: Scope, case) -> bool:
    """Does the actor's *territory* cover the case (not just being assigned to it)? Departments never do."""
    if scope.is_superuser and scope.root_id is None:
        return True
    if scope.root_id is None or scope.is_department:
        return False
    if scope.root_level == PlaceLevel.DISTRICT:
        return case.district_id == scope.root_id
    if scope.root_level == PlaceLevel.STREET:
        return case.street_id == scope.root_id
    if scope.root_level == PlaceLevel.COMMUNITY:
        return case.community_id == scope.root_id
    return False


def is_visible(actor, case) -> bool:
    if is_system(actor):
        return True
    from .models import Case

    scope = scope_for(actor)
    if covers(scope, case):
        return True
    return Case.objects.filter(visible_q(scope), pk=case.pk).exists()


def _district_level(scope: Scope, case) -> bool:
    return (scope.is_superuser and scope.root_id is None) or (
        scope.root_level == PlaceLevel.DISTRICT and not scope.is_department and scope.root_id == case.district_id)


def may(actor, case, action: str) -> bool:
    """May `actor` take `action` on `case` (assumed visible)? The state is checked separately (transitions)."""
    rule = WHO[action]
    if is_system(actor):
        return True
    if rule == Who.SYSTEM:
        return False
    scope = scope_for(actor)
    lead_handler = scope.has_role(Role.HANDLER) and case.lead_unit_id is not None and actor.unit_id == case.lead_unit_id
    dispatcher = scope.has_role(Role.DISPATCHER) and covers(scope, case)
    if rule == Who.DISPATCHER:
        return dispatcher
    if rule == Who.LEAD_HANDLER:
        return lead_handler
    if rule == Who.REPLIER:
        return lead_handler or dispatcher
    if rule == Who.EXTENSION_APPROVER:
        return scope.has_role(Role.DISPATCHER) and (
            (case.dispatching_unit_id is not None and actor.unit_id == case.dispatching_unit_id)
            or _district_level(scope, case))
    if rule == Who.SUPERVISOR:
        level_ok = scope.root_level in (PlaceLevel.DISTRICT, PlaceLevel.STREET) or scope.root_id is None
        return scope.has_role(Role.DISPATCHER, Role.LEADER) and level_ok and covers(scope, case)
    if rule == Who.CONSULTATION:
        return scope.has_role(Role.DISPATCHER) and _district_level(scope, case)
    return False


def may_unmask(actor, case) -> bool:
    """Reporter details in clear: dispatchers covering the case and handlers of the lead unit."""
    if is_system(actor):
        return True
    scope = scope_for(actor)
    return (scope.has_role(Role.DISPATCHER) and covers(scope, case)) or (
        scope.has_role(Role.HANDLER) and case.lead_unit_id is not None and actor.unit_id == case.lead_unit_id)

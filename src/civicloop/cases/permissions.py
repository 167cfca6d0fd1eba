"""Who may see a case and who may take an action on it. The rules named in transitions.Who live here.

Visibility: a case is visible to a territorial user whose territory covers the case's street/community (or the
district, for district-wide units), and to the staff of its lead unit and co-units. Department staff see only
the cases dispatched to their unit (decision 5). Invisible cases answer NOT_FOUND, like missing ones.

Also here: who may register a case (`may_register`, WHO[REGISTER]) and the consultation rules — who may see a
district's meetings (`may_see_meetings`, `meetings_visible_q`) and who may convene them (`may_convene`). A meeting
or agenda item the actor may not see answers NOT_FOUND; one they may see but not act on, FORBIDDEN. And the units
a dispatcher may dispatch to (`dispatch_targets_q`).
"""

from __future__ import annotations

from django.db.models import Q

from civicloop.orgs.constants import Role, UnitKind
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

    if scope.sees_everything:
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
            elif not scope.has_territory:
                # too many to inline: one IN over "led or co-handled" (a semi-join on the primary key) instead of
                # an OR with a subquery, which the database can only answer by reading every case
                return Q(pk__in=Case.objects.filter(lead_unit_id=scope.unit_id).order_by().values("pk").union(
                    co.order_by()))
        by_unit = Q(lead_unit_id=scope.unit_id) | Q(pk__in=co) if co != [] else Q(lead_unit_id=scope.unit_id)
    if not scope.has_territory:
        return by_unit if scope.unit_id is not None else Q(pk__in=[])
    return scope.territorial_q() | by_unit


def own_q(scope: Scope) -> Q:
    """Q over the cases a viewer answers for as a whole — every one of them visible (`visible_q` holds for each):
    all, for who sees everything; a department's, the cases it leads now; else its territory's. The dashboard's
    scope of a viewer is this set (dashboard.metrics.metric_scope_for). One indexed condition, no OR: an
    overview's live counts read it from the (street, state, deadline, yellow_at) indexes alone."""
    if scope.sees_everything:
        return Q()
    if scope.is_department:
        return Q(lead_unit_id=scope.unit_id) if scope.unit_id is not None else Q(pk__in=[])
    return scope.territorial_q() if scope.has_territory else Q(pk__in=[])


def covers(scope: Scope, case) -> bool:
    """Does the actor's *territory* cover the case (not just being assigned to it)? Departments never do."""
    return scope.has_territory and scope.covers_row(case)


def is_visible(actor, case) -> bool:
    if is_system(actor):
        return True
    from .models import Case

    scope = scope_for(actor)
    if covers(scope, case):
        return True
    return Case.objects.filter(visible_q(scope), pk=case.pk).exists()


# The roles behind each rule of `may`: who, inside a unit, can take a step — also who is notified that the step is
# theirs to take (services.notifications).
ROLES_FOR_RULE: dict[str, tuple[str, ...]] = {
    Who.LEAD_HANDLER: (Role.HANDLER,),
    Who.DISPATCHER: (Role.DISPATCHER,),
    Who.REPLIER: (Role.HANDLER, Role.DISPATCHER),
    Who.EXTENSION_APPROVER: (Role.DISPATCHER,),
    Who.SUPERVISOR: (Role.DISPATCHER, Role.LEADER),
    Who.CONSULTATION: (Role.DISPATCHER,),  # MEETING_CONVENERS
}


def may(actor, case, action: str) -> bool:
    """May `actor` take `action` on `case` (assumed visible)? The state is checked separately (transitions).

    REGISTER has no case yet: `case` may be None (or the unsaved case, for its district)."""
    rule = WHO[action]
    if is_system(actor):
        return True
    if rule == Who.SYSTEM:
        return False
    if rule == Who.REGISTRAR:
        return may_register(actor, district_id=case.district_id if case is not None else None)
    scope = scope_for(actor)
    lead_handler = (scope.has_role(*ROLES_FOR_RULE[Who.LEAD_HANDLER]) and case.lead_unit_id is not None
                    and actor.unit_id == case.lead_unit_id)
    dispatcher = scope.has_role(*ROLES_FOR_RULE[Who.DISPATCHER]) and covers(scope, case)
    if rule == Who.DISPATCHER:
        return dispatcher
    if rule == Who.LEAD_HANDLER:
        return lead_handler
    if rule == Who.REPLIER:
        return lead_handler or dispatcher
    if rule == Who.ANSWERER:
        return dispatcher or (scope.has_role(*REGISTRAR_ROLES) and covers(scope, case))
    if rule == Who.EXTENSION_APPROVER:
        return scope.has_role(*ROLES_FOR_RULE[rule]) and (
            (case.dispatching_unit_id is not None and actor.unit_id == case.dispatching_unit_id)
            or scope.is_district_level_for(case.district_id))
    if rule == Who.SUPERVISOR:
        level_ok = scope.sees_everything or scope.root_level in (PlaceLevel.DISTRICT, PlaceLevel.STREET)
        return scope.has_role(*ROLES_FOR_RULE[rule]) and level_ok and covers(scope, case)
    if rule == Who.CONSULTATION:
        return may_convene(actor, case.district_id)
    return False


def may_unmask(actor, case) -> bool:
    """Reporter details in clear: dispatchers covering the case and handlers of the lead unit."""
    if is_system(actor):
        return True
    scope = scope_for(actor)
    return (scope.has_role(Role.DISPATCHER) and covers(scope, case)) or (
        scope.has_role(Role.HANDLER) and case.lead_unit_id is not None and actor.unit_id == case.lead_unit_id)


def unmask_q(actor) -> Q:
    """`may_unmask` as a Q over Case: the cases whose reporter data (and numbers in their text) `actor` may see —
    so a search by phone number finds only those (the number is masked everywhere else)."""
    if is_system(actor):
        return Q()
    scope = scope_for(actor)
    q = Q(pk__in=[])
    if scope.has_role(Role.DISPATCHER) and scope.has_territory:
        q |= scope.territorial_q()
    if scope.has_role(Role.HANDLER) and getattr(actor, "unit_id", None):
        q |= Q(lead_unit_id=actor.unit_id)
    return q


def handled_ids(model, unit_id: int):
    """The ids of `model`'s rows (households, enterprises) that the cases `unit_id` leads or co-handles are about
    (`core.registry` `handled_links`: what a department sees of them beyond its duties). A subquery, not a list."""
    from civicloop.places.models import Enterprise, Household

    from .models import Case, CaseCoUnit

    column = {Household: "household_id", Enterprise: "enterprise_id"}.get(model)
    if column is None:
        return None
    co = CaseCoUnit.objects.filter(unit_id=unit_id).values("case_id")
    return (Case.objects.filter(Q(lead_unit_id=unit_id) | Q(pk__in=co), **{f"{column}__isnull": False})
            .order_by().values(column))


# ----- registration

# The roles that register cases (in their own territory; the place is checked against it by intake).
REGISTRAR_ROLES = (Role.DISPATCHER, Role.GRID_WORKER, Role.VISIT_MEMBER, Role.INSPECTOR, Role.HANDLER,
                   Role.DISTRICT_ADMIN)


# Services of other apps that register or rate a case on their own authority over the record it is about (decision:
# "a visit team registers on the visit's authority"). Such a caller has already checked the actor's right to the
# household or enterprise — a visit team member's right is the team's assignment, not a territory — so intake does
# not ask the actor's territory or registering role, and a relayed rating does not ask the rating rule. The actor
# stays who acted (registered_by, the event's actor); only services pass it, never a request.
SERVICE_AUTHORITIES = frozenset({"visits"})


def service_authority(authorised_by: str) -> bool:
    """Is `authorised_by` (a service's keyword) a known authority? "" is none; an unknown name is a programming
    error, never silently no authority or every authority."""
    if authorised_by and authorised_by not in SERVICE_AUTHORITIES:
        raise ValueError(f"unknown service authority {authorised_by!r}")
    return bool(authorised_by)


def may_register(actor, *, district_id: int | None = None) -> bool:
    """WHO[REGISTER]: staff with a registering role, into their own district (a superuser without one names it)."""
    if is_system(actor):
        return True
    scope = scope_for(actor)
    return scope.has_role(*REGISTRAR_ROLES) and (scope.district_id is not None or district_id is not None)


# ----- consultation (decision 38): district-level staff read a district's meetings; its dispatchers convene them

MEETING_READERS = (Role.DISPATCHER, Role.LEADER, Role.DISTRICT_ADMIN)
MEETING_CONVENERS = ROLES_FOR_RULE[Who.CONSULTATION]  # each a reader too: who may act on a meeting may see it


def may_see_meetings(actor, district_id: int) -> bool:
    """Read the district's meetings, agendas and minutes: its district-level dispatchers, leaders and admins."""
    if is_system(actor):
        return True
    scope = scope_for(actor)
    return scope.has_role(*MEETING_READERS) and scope.is_district_level_for(district_id)


def may_convene(actor, district_id: int) -> bool:
    """Convene the district's meetings, set their agenda, decide items, write minutes: its district-level
    dispatchers (consultation-body staff among them)."""
    if is_system(actor):
        return True
    scope = scope_for(actor)
    return scope.has_role(*MEETING_CONVENERS) and scope.is_district_level_for(district_id)


def meetings_visible_q(actor) -> Q:
    """Q over Meeting (or any row with a district column) for the meetings `actor` may see (`may_see_meetings`)."""
    if is_system(actor):
        return Q()
    scope = scope_for(actor)
    if not scope.has_role(*MEETING_READERS) or not scope.is_district_level:
        return Q(pk__in=[])
    return Q() if scope.sees_everything else Q(district_id=scope.district_id)


# ----- dispatch targets (decision 43)

def dispatch_targets_q(actor) -> Q:
    """Q over `orgs.Unit`: the units `actor` may name as lead or co-unit of a dispatch (the district is checked by
    the caller). District-level staff: any unit of the district. A street: its own office, its own committees and
    the district's departments — a problem of another street goes up to the district (三跨), never sideways. A
    committee: itself, its street office and the departments. Anyone else: none."""
    if is_system(actor):
        return Q()
    scope = scope_for(actor)
    if scope.is_district_level:
        return Q()
    own = Q(pk=scope.unit_id) if scope.unit_id is not None else Q(pk__in=[])
    departments = Q(kind=UnitKind.DEPARTMENT)
    if scope.root_level == PlaceLevel.STREET and scope.has_territory:
        return own | departments | Q(kind=UnitKind.COMMITTEE, territory__street_id=scope.root_id)
    if scope.root_level == PlaceLevel.COMMUNITY and scope.has_territory:
        return own | departments | Q(kind=UnitKind.STREET_OFFICE, territory_id=scope.root_street_id)
    return Q(pk__in=[])

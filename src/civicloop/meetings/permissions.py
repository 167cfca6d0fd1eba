"""Who may do what with work meetings (the services enforce these; pages and navigation ask the same).

A meeting's scope is the district (street None) or one street.
- packs are built, meetings held and closed, minutes and decisions recorded (`may_keep`) by the district's
  district-level staff with a dispatcher or administrator role (the district office, 区委区政府办 / 区调研办) for
  any meeting of the district, and by a street office's dispatchers for their street's meetings;
- meetings are read (`may_read`, `meetings_visible_q`) by the same people and the leaders of those units.
  Committees and departments hold no meetings here (their tasks and cases reach them through plans and cases).
What a decision makes is then the owning app's rule: plans' `may_create_task`, cases' registration and dispatch
rules — a page offers each kind only where that predicate says it can succeed.
"""

from __future__ import annotations

from django.db.models import Q

from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel

from .constants import MeetingState

KEEPER_ROLES = (Role.DISTRICT_ADMIN, Role.DISPATCHER)
READER_ROLES = (*KEEPER_ROLES, Role.LEADER)


def _street_office_of(scope) -> int | None:
    """The street a street office's staff speak for (None for anyone else)."""
    if scope.unit_kind == UnitKind.STREET_OFFICE and scope.root_level == PlaceLevel.STREET:
        return scope.root_id
    return None


def _covers(scope, district_id: int, street_id: int | None) -> bool:
    if scope.is_district_level_for(district_id):
        return True
    own = _street_office_of(scope)
    return own is not None and street_id == own and scope.district_id == district_id


def may_keep(actor, district_id: int, street_id: int | None) -> bool:
    """Build the pack of, hold, close and record minutes and decisions of a meeting of that scope."""
    scope = scope_for(actor)
    return scope.has_role(*KEEPER_ROLES) and _covers(scope, district_id, street_id)


def may_keep_meeting(actor, meeting) -> bool:
    return may_keep(actor, meeting.district_id, meeting.street_id)


def may_read(actor, meeting) -> bool:
    scope = scope_for(actor)
    return scope.has_role(*READER_ROLES) and _covers(scope, meeting.district_id, meeting.street_id)


def meetings_visible_q(actor) -> Q:
    """`may_read` as a Q over Meeting (or a row with `district` and `street` columns)."""
    scope = scope_for(actor)
    if not scope.has_role(*READER_ROLES):
        return Q(pk__in=[])
    if scope.sees_everything:
        return Q()
    if scope.is_district_level:
        return Q(district_id=scope.district_id)
    street = _street_office_of(scope)
    return Q(district_id=scope.district_id, street_id=street) if street is not None else Q(pk__in=[])


def may_see_meetings(actor) -> bool:
    """The navigation entry: someone who may read some meeting."""
    scope = scope_for(actor)
    return scope.has_role(*READER_ROLES) and (scope.is_district_level or _street_office_of(scope) is not None)


def may_convene(actor) -> bool:
    """The list page's new-meeting form: someone who may keep a meeting of their own scope."""
    scope = scope_for(actor)
    if not scope.has_role(*KEEPER_ROLES):
        return False
    return scope.is_district_level or _street_office_of(scope) is not None


def own_street(actor) -> int | None:
    """The street whose meetings a street office's staff keep (None: the district's staff, or no one)."""
    return _street_office_of(scope_for(actor))


# ----- states (the services refuse what these deny; pages ask them)

def pack_may_build(meeting) -> bool:
    """The pack is built (again) until the meeting is held: then it is the record of what was put to it."""
    return meeting.state == MeetingState.PLANNED


def may_hold(meeting) -> bool:
    return meeting.state == MeetingState.PLANNED


def records_open(meeting) -> bool:
    """Minutes and decisions are recorded once the meeting is held, until it is closed."""
    return meeting.state == MeetingState.HELD


def may_close(meeting) -> bool:
    return meeting.state == MeetingState.HELD


def items_may_add(meeting) -> bool:
    return meeting.state in (MeetingState.PLANNED, MeetingState.HELD)

"""Who may do what with vital signs. Reads are the territory's (selectors); these are the actions.

- rules and device registration: the district's administrators (district level, DISTRICT_ADMIN);
- acknowledging an alarm: staff whose territory covers it and who work cases there (dispatcher, handler, grid
  worker);
- escalating an alarm into a case by hand: a dispatcher whose territory covers it, while it has no case.
"""

from __future__ import annotations

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

from .constants import AlarmSeverity


def may_manage(user) -> bool:
    """Edit rules and register devices: a district administrator at district level."""
    scope = scope_for(user)
    return scope.is_district_level and scope.has_role(Role.DISTRICT_ADMIN)


def may_see_alarms(user) -> bool:
    """The alarm list in the navigation: anyone with a territory."""
    return scope_for(user).has_territory


def may_acknowledge(user, alarm) -> bool:
    scope = scope_for(user)
    return (alarm.acknowledged_at is None and scope.has_territory and scope.covers_row(alarm)
            and scope.has_role(Role.DISPATCHER, Role.HANDLER, Role.GRID_WORKER))


def may_escalate(user, alarm) -> bool:
    """Make a case of an alarm a person judges worth one (a warning, or an alarm whose rule made none)."""
    scope = scope_for(user)
    return (alarm.case_id is None and alarm.cleared_at is None and alarm.severity >= AlarmSeverity.WARN
            and scope.has_territory and scope.covers_row(alarm) and scope.has_role(Role.DISPATCHER))

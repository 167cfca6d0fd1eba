"""Who may do what in the assessment (the services enforce these; pages and navigation ask the same).

- indicator sets and evaluations are kept (created, edited, computed, published, scores entered) by the district's
  district-level administrators (the office that runs the assessment, 文明办 / 区调研办): `may_manage`;
- every evaluation, draft or published, and the sets are read by the district's district-level staff
  (`may_read`); a unit's staff read the published evaluations their unit takes part in, as their scorecard
  (`may_see_unit`; selectors narrow to those).
"""

from __future__ import annotations

from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.scope import scope_for

from .constants import RunState


def may_manage(actor, district_id: int | None = None) -> bool:
    """Keep the district's indicator sets and evaluations: its district-level administrators."""
    scope = scope_for(actor)
    if not scope.has_role(Role.DISTRICT_ADMIN):
        return False
    return scope.is_district_level_for(district_id) if district_id is not None else scope.is_district_level


def may_read(actor) -> bool:
    """Read the district's sets and evaluations (drafts too): district-level staff."""
    return scope_for(actor).is_district_level


def may_see_assessment(actor) -> bool:
    """The navigation entry: district-level staff, or a street office's or department's staff (their scorecard)."""
    scope = scope_for(actor)
    return scope.is_district_level or scope.unit_kind in (UnitKind.STREET_OFFICE, UnitKind.DEPARTMENT)


def may_see_unit(actor, run, unit_id: int) -> bool:
    """A unit's scores in `run`: district-level staff of its district; the unit's own staff once published."""
    scope = scope_for(actor)
    if scope.is_district_level_for(run.district_id):
        return True
    return run.state == RunState.PUBLISHED and scope.unit_id == unit_id and scope.district_id == run.district_id


def set_is_editable(indicator_set) -> bool:
    """A set's indicators change until an evaluation was computed on it (then: a new version)."""
    return not indicator_set.frozen


def run_is_open(run) -> bool:
    """A draft evaluation is computed again and its entries change; a published one never changes."""
    return run.state == RunState.DRAFT


def run_may_publish(run) -> bool:
    return run.state == RunState.DRAFT and run.computed_at is not None

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
    return scope.is_district_level or scope.unit_kind in (UnitKind.STREET_OFFICE, UnitKind.DEPARTMENT) \
        or may_see_rounds(actor)


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


# ----- inspections


def is_round_member(actor, inspection_round) -> bool:
    from .models import InspectionRound

    if not getattr(actor, "pk", None):
        return False
    return InspectionRound.members.through.objects.filter(inspectionround_id=inspection_round.pk,
                                                          user_id=actor.pk).exists()


def may_record_finding(actor, inspection_round) -> bool:
    """Record a finding on a round: an open round, by one of its members or the district's administrators —
    what `services.inspections.finding_record` asks, so the page offers its form only then."""
    from .constants import RoundState

    if inspection_round.state != RoundState.OPEN:
        return False
    return may_manage(actor, inspection_round.district_id) or is_round_member(actor, inspection_round)


def may_recheck(actor, finding) -> bool:
    """Re-inspect a finding (confirm it fixed, or reopen its case): the district's administrators, whose
    dispatcher role the cases services ask again when a case is reopened."""
    return may_manage(actor, finding.district_id)


def may_see_rounds(actor) -> bool:
    """The rounds list: district-level staff, or a member of a round."""
    from .models import InspectionRound

    if scope_for(actor).is_district_level:
        return True
    if not getattr(actor, "pk", None):
        return False
    cached = getattr(actor, "_civicloop_inspects", None)  # asked by the navigation on every page
    if cached is None:
        cached = InspectionRound.members.through.objects.filter(user_id=actor.pk).exists()
        actor._civicloop_inspects = cached
    return cached

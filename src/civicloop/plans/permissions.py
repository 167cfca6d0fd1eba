"""Who may do what in the plans app (the services enforce these; pages and navigation ask the same).

- plans, goals, tasks, milestones, leader contacts, targets and letters are managed by the district's
  district-level dispatchers and administrators (`may_manage`); a plan's owner unit's managers may add tasks
  to it too (`may_create_task`);
- a task's progress is reported, and its milestones marked done, by its owner unit's staff (`may_report`);
- a letter is acknowledged by its unit's staff holding a leading or managing role (`may_acknowledge`);
- what each may read is the selectors' rule (`selectors.tasks_for`): the district for district-level staff,
  else the tasks their unit (or a unit under it) owns or works in, and the streets they are a contact leader of.
"""

from __future__ import annotations

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

MANAGER_ROLES = (Role.DISTRICT_ADMIN, Role.DISPATCHER)
REPORTER_ROLES = (Role.DISTRICT_ADMIN, Role.DISPATCHER, Role.HANDLER, Role.LEADER, Role.GRID_WORKER)
ACK_ROLES = (Role.DISTRICT_ADMIN, Role.DISPATCHER, Role.LEADER)


def may_see_plans(actor) -> bool:
    """Read plans at all (the navigation): any staff member of a unit of a district."""
    scope = scope_for(actor)
    return scope.sees_everything or (scope.unit_id is not None and scope.district_id is not None)


def may_manage(actor, district_id: int | None = None) -> bool:
    """Run the district's plans: its district-level dispatchers and administrators."""
    scope = scope_for(actor)
    if not scope.has_role(*MANAGER_ROLES):
        return False
    return scope.is_district_level_for(district_id) if district_id is not None else scope.is_district_level


def may_create_task(actor, plan) -> bool:
    """Add a task to `plan`: the district's managers, or a manager of the plan's owner unit."""
    if may_manage(actor, plan.district_id):
        return True
    scope = scope_for(actor)
    return scope.unit_id is not None and scope.unit_id == plan.owner_unit_id and scope.has_role(*MANAGER_ROLES)


def may_edit_task(actor, task) -> bool:
    """Change a task, its milestones and its links: who may add tasks to its plan (`task.plan` loaded)."""
    return may_create_task(actor, task.plan)


def may_report(actor, task) -> bool:
    """Report progress on `task` and mark its milestones done: its owner unit's staff, or the district's
    managers (reporting for a unit without an account)."""
    scope = scope_for(actor)
    if scope.unit_id is not None and scope.unit_id == task.owner_unit_id and scope.has_role(*REPORTER_ROLES):
        return True
    return may_manage(actor, task.district_id)


def may_acknowledge(actor, letter) -> bool:
    """Acknowledge a version of `letter`: its unit's staff holding a leading or managing role."""
    scope = scope_for(actor)
    return scope.unit_id is not None and scope.unit_id == letter.unit_id and scope.has_role(*ACK_ROLES)


def may_see_letters(actor) -> bool:
    """The letters page: the district's managers and leaders, or staff who may acknowledge their unit's."""
    scope = scope_for(actor)
    if scope.is_district_level and scope.has_role(*MANAGER_ROLES, Role.LEADER):
        return True
    return scope.unit_id is not None and scope.has_role(*ACK_ROLES)


def may_import_tasks(actor, plan) -> bool:
    """Import a plan's task list from Excel: who may add tasks to it and may import at all (the imports
    framework takes district administrators)."""
    return may_create_task(actor, plan) and scope_for(actor).has_role(Role.DISTRICT_ADMIN)

"""Reads of the plans app: every function takes the acting user and applies their scope.

Who sees a task (`tasks_visible_q`): district-level staff see their district's; anyone else the tasks their
unit — or a unit under it (a street office's committees) — owns or works in as a co-unit, the tasks of their
street (street-office staff), and those of the streets they are a contact leader of (区领导联系街道). A plan is
seen by whoever sees one of its tasks, and by its owner unit. Out of scope answers "not found", like missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.orgs.models import Unit
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel

from .constants import ATTENTION_STATUSES
from .models import LeaderContact, Milestone, Plan, Task
from .permissions import may_create_task
from .status import milestone_status, task_status


def today() -> dt.date:
    return timezone.localdate()


# ----- scope

def own_unit_ids(actor) -> list[int]:
    """The actor's unit and the units directly under it (a street office and its committees), cached."""
    scope = scope_for(actor)
    if scope.unit_id is None:
        return []
    cached = getattr(actor, "_civicloop_plan_units", None)
    if cached is None:
        cached = [scope.unit_id, *Unit.objects.filter(parent_id=scope.unit_id).values_list("pk", flat=True)]
        actor._civicloop_plan_units = cached
    return cached


def contact_street_ids(actor) -> list[int]:
    """The streets `actor` is a contact leader of (区领导联系街道)."""
    if not getattr(actor, "pk", None):
        return []
    cached = getattr(actor, "_civicloop_contact_streets", None)
    if cached is None:
        cached = list(LeaderContact.objects.filter(leader_id=actor.pk).values_list("street_id", flat=True))
        actor._civicloop_contact_streets = cached
    return cached


def tasks_visible_q(actor, prefix: str = "") -> Q:
    """The tasks `actor` may see, as a Q over Task (`prefix`: the path to the task, e.g. "task__")."""
    scope = scope_for(actor)
    if scope.sees_everything:
        return Q()
    if scope.district_id is None:
        return Q(pk__in=[])
    district = Q(**{f"{prefix}district_id": scope.district_id})
    if scope.is_district_level:
        return district
    units = own_unit_ids(actor)
    visible = Q(**{f"{prefix}owner_unit_id__in": units}) | Q(**{f"{prefix}co_units__in": units})
    if scope.has_territory and scope.root_level == PlaceLevel.STREET:
        visible |= Q(**{f"{prefix}street_id": scope.root_id})
    streets = contact_street_ids(actor)
    if streets:
        visible |= Q(**{f"{prefix}street_id__in": streets})
    return district & visible


def tasks_for(actor) -> QuerySet[Task]:
    q = tasks_visible_q(actor)
    qs = Task.objects.filter(q)
    return qs.distinct() if _may_repeat(actor) else qs


def _may_repeat(actor) -> bool:
    """The co-units join may repeat a task: only when the filter goes through it."""
    scope = scope_for(actor)
    return not (scope.sees_everything or scope.is_district_level)


def task_get_for(actor, task_id: int) -> Task:
    found = (tasks_for(actor).select_related("plan", "goal", "parent", "owner_unit", "street")
             .filter(pk=task_id).first())
    if found is None:
        raise not_found()
    return found


def plans_for(actor) -> QuerySet[Plan]:
    scope = scope_for(actor)
    if scope.sees_everything:
        return Plan.objects.all()
    if scope.district_id is None:
        return Plan.objects.none()
    qs = Plan.objects.filter(district_id=scope.district_id)
    if scope.is_district_level:
        return qs
    task_plans = Task.objects.filter(tasks_visible_q(actor)).values("plan_id")
    return qs.filter(Q(pk__in=task_plans) | Q(owner_unit_id__in=own_unit_ids(actor)))


def plan_get_for(actor, plan_id: int) -> Plan:
    found = plans_for(actor).select_related("owner_unit").filter(pk=plan_id).first()
    if found is None:
        raise not_found()
    return found


# ----- what the meetings app reads (the contract of issue 16)

@dataclass(frozen=True)
class MilestoneRow:
    id: int
    title: str
    due: dt.date
    status: str
    task_id: int
    task_title: str
    plan_id: int
    plan_title: str
    owner_unit_id: int
    owner_unit_name: str
    url: str


@dataclass(frozen=True)
class TaskOutcome:
    task_id: int
    title: str
    status: str
    percent: int
    owner_unit_name: str
    due: dt.date
    url: str


@dataclass(frozen=True)
class PlanRow:
    id: int
    title: str


def task_url(task_id: int) -> str:
    return reverse("plans:task", args=[task_id])


def milestones_needing_attention(actor, *, on: dt.date, unit_ids: list[int] | None = None) -> list[MilestoneRow]:
    """Late and at-risk milestones the actor may see (scope applied), latest-due last. `unit_ids` narrows to
    tasks owned by those units."""
    from .constants import AT_RISK_DAYS

    qs = Milestone.objects.filter(tasks_visible_q(actor, "task__"), done_at__isnull=True,
                                  due__lte=on + dt.timedelta(days=AT_RISK_DAYS))
    if unit_ids is not None:
        qs = qs.filter(task__owner_unit_id__in=unit_ids)
    rows = (qs.distinct().order_by("due", "pk")
            .values_list("pk", "title", "due", "done_at", "task_id", "task__title", "task__plan_id",
                         "task__plan__title", "task__owner_unit_id", "task__owner_unit__name"))
    out = []
    for pk, title, due, done_at, task_id, task_title, plan_id, plan_title, unit_id, unit_name in rows:
        status = milestone_status(_Dated(due=due, done_at=done_at), on)
        if status in ATTENTION_STATUSES:
            out.append(MilestoneRow(id=pk, title=title, due=due, status=status, task_id=task_id,
                                    task_title=task_title, plan_id=plan_id, plan_title=plan_title,
                                    owner_unit_id=unit_id, owner_unit_name=unit_name, url=task_url(task_id)))
    return out


@dataclass(frozen=True)
class _Dated:
    due: dt.date
    done_at: dt.date | None
    start: dt.date | None = None
    percent: int = 0


def tasks_by_source(actor, *, source_kind: str, source_ids: list[int]) -> dict[int, TaskOutcome]:
    """source_id -> what came of it (the task, its status and progress) for tasks the actor may see."""
    if not source_kind or not source_ids:
        return {}
    rows = (Task.objects.filter(tasks_visible_q(actor), source_kind=source_kind, source_id__in=list(source_ids))
            .distinct().order_by("pk")
            .values_list("pk", "title", "start", "due", "done_at", "percent", "owner_unit__name", "source_id"))
    on = today()
    out: dict[int, TaskOutcome] = {}
    for pk, title, start, due, done_at, percent, unit_name, source_id in rows:
        status = task_status(_Dated(start=start, due=due, done_at=done_at, percent=percent), on)
        out.setdefault(source_id, TaskOutcome(task_id=pk, title=title, status=status, percent=percent,
                                              owner_unit_name=unit_name, due=due, url=task_url(pk)))
    return out


def plans_open_for(actor) -> list[PlanRow]:
    """The plans `actor` may add a task to (`permissions.may_create_task`), newest first."""
    return [PlanRow(id=p.pk, title=p.title) for p in plans_for(actor).order_by("-year", "-start", "pk")
            if may_create_task(actor, p)]


# ----- letters

def letters_for(actor) -> QuerySet:
    """The district's letters for its district-level managers and leaders; a unit's own letters for its staff."""
    from civicloop.orgs.constants import Role

    from .models import Letter
    from .permissions import MANAGER_ROLES

    scope = scope_for(actor)
    qs = Letter.objects.select_related("unit")
    if scope.sees_everything:
        return qs
    if scope.district_id is None:
        return qs.none()
    if scope.is_district_level and scope.has_role(*MANAGER_ROLES, Role.LEADER):
        return qs.filter(district_id=scope.district_id)
    return qs.filter(district_id=scope.district_id, unit_id=scope.unit_id)


def letter_get_for(actor, letter_id: int):
    found = letters_for(actor).filter(pk=letter_id).first()
    if found is None:
        raise not_found()
    return found


# ----- a task's page

def task_detail(actor, task_id: int, *, on: dt.date) -> dict:
    """A task as its page shows it: status, children, milestones, reports with their evidence, links, co-units."""
    from civicloop.files.models import Attachment

    from .constants import STATUS_LIGHT, TaskStatus
    from .linked import linked_rows
    from .services.reports import REPORT_OWNER_KIND

    task = task_get_for(actor, task_id)
    status = task_status(task, on)
    children = []
    for c in tasks_for(actor).filter(parent_id=task.pk).select_related("owner_unit").order_by("position", "pk"):
        s = task_status(c, on)
        children.append({"task": c, "status": s, "status_label": TaskStatus(s).label, "light": STATUS_LIGHT[s]})
    milestones = []
    for m in task.milestones.all():
        s = milestone_status(m, on)
        milestones.append({"milestone": m, "status": s, "status_label": TaskStatus(s).label,
                           "light": STATUS_LIGHT[s]})
    reports = list(task.reports.select_related("reported_by")[:100])
    files: dict[int, list] = {}
    for a in Attachment.objects.filter(owner_kind=REPORT_OWNER_KIND, owner_id__in=[r.pk for r in reports]) \
            .order_by("pk"):
        files.setdefault(a.owner_id, []).append(a)
    from civicloop.core.masking import mask_free_text

    from .permissions import may_report

    clear = may_report(actor, task)  # the owner unit and the district's managers; others read numbers masked
    for r in reports:
        r.evidence = files.get(r.pk, [])
        r.shown_text = r.text if clear else mask_free_text(r.text)
    return {"task": task, "status": status, "status_label": TaskStatus(status).label, "light": STATUS_LIGHT[status],
            "children": children, "milestones": milestones, "reports": reports,
            "co_units": list(task.co_units.order_by("pk")), "links": linked_rows(actor, list(task.links.all()))}


# ----- 区领导联系街道

def street_contacts(actor) -> list[dict]:
    """The streets of the actor's territory with their contact leaders (the district's view: who covers whom)."""
    from civicloop.places.models import Place

    scope = scope_for(actor)
    streets = list(scope.filter_places(Place.objects.filter(level=PlaceLevel.STREET)).order_by("code")
                   .values_list("pk", "name"))
    leaders: dict[int, list[str]] = {}
    for street_id, name, username in (LeaderContact.objects.filter(street_id__in=[s for s, _n in streets])
                                      .order_by("pk").values_list("street_id", "leader__display_name",
                                                                  "leader__username")):
        leaders.setdefault(street_id, []).append(name or username)
    return [{"street_id": pk, "street": name, "leaders": leaders.get(pk, [])} for pk, name in streets]


def contact_red_items(actor, *, on: dt.date) -> list[dict]:
    """For a contact leader: each street they are linked to, with its plans and its red items (late tasks and
    late milestones); empty for anyone who is no street's contact."""
    from civicloop.places.models import Place

    from .constants import TaskStatus

    streets = contact_street_ids(actor)
    if not streets:
        return []
    names = dict(Place.objects.filter(pk__in=streets).values_list("pk", "name"))
    out = {s: {"street_id": s, "street": names.get(s, ""), "plans": [], "late_tasks": [], "late_milestones": []}
           for s in streets}
    tasks = (Task.objects.filter(tasks_visible_q(actor), street_id__in=streets, done_at__isnull=True, due__lt=on)
             .distinct().order_by("due", "pk")
             .values_list("pk", "title", "due", "street_id", "owner_unit__name", "plan__title")[:500])
    for pk, title, due, street_id, unit, plan in tasks:
        out[street_id]["late_tasks"].append({"id": pk, "title": title, "due": due, "owner_unit": unit, "plan": plan,
                                             "url": task_url(pk)})
    milestones = (Milestone.objects.filter(tasks_visible_q(actor, "task__"), task__street_id__in=streets,
                                           done_at__isnull=True, due__lt=on)
                  .distinct().order_by("due", "pk")
                  .values_list("pk", "title", "due", "task__street_id", "task_id", "task__title")[:500])
    for pk, title, due, street_id, task_id, task_title in milestones:
        out[street_id]["late_milestones"].append({"id": pk, "title": title, "due": due, "task_title": task_title,
                                                  "url": task_url(task_id), "status": TaskStatus.LATE})
    for street_id, plan_id, title in (Task.objects.filter(tasks_visible_q(actor), street_id__in=streets).order_by("plan_id")
                                      .values_list("street_id", "plan_id", "plan__title").distinct()):
        out[street_id]["plans"].append({"id": plan_id, "title": title})
    return [out[s] for s in sorted(out, key=lambda s: names.get(s, ""))]


def letter_view(actor, letter_id: int) -> dict:
    """A letter's versions (newest first) and whether the data moved on since the latest (`stale`): a manager then
    regenerates it; acknowledging syncs it anyway."""
    from .letters import build_content, digest
    from .permissions import may_acknowledge, may_manage

    letter = letter_get_for(actor, letter_id)
    versions = list(letter.versions.select_related("acknowledged_by").order_by("-number"))
    current = versions[0] if versions else None
    stale = current is None or digest(build_content(letter, actor=actor)) != current.digest
    return {"letter": letter, "current": current, "versions": versions, "stale": stale,
            "may_acknowledge": may_acknowledge(actor, letter) and current is not None and not stale
            and current.acknowledged_at is None,
            "may_refresh": stale and (may_acknowledge(actor, letter) or may_manage(actor, letter.district_id))}


def version_get_for(actor, letter_id: int, number: int):
    letter = letter_get_for(actor, letter_id)
    found = letter.versions.select_related("acknowledged_by", "letter").filter(number=number).first()
    if found is None:
        raise not_found()
    return found


def milestone_on_time(actor, *, district_id: int, start: dt.date, end: dt.date, by: str) -> dict[int, tuple[int, int]]:
    """节点按时完成率's parts, for the assessment: the milestones due from `start` to `end` of the tasks `actor` sees
    in the district, {street id (`by="street"`: the task's street) or owner unit id (`by="unit"`): (done on or
    before their due date, due)}. A milestone due by `end` and not done counts as late; one due later is not
    counted (its time has not come)."""
    key = "task__street_id" if by == "street" else "task__owner_unit_id"
    rows = (Milestone.objects.filter(tasks_visible_q(actor, "task__"), district_id=district_id, due__gte=start,
                                     due__lte=end)
            .values(key).annotate(due_n=Count("pk", distinct=True),
                                  on_time=Count("pk", distinct=True, filter=Q(done_at__lte=F("due"))))
            .values_list(key, "on_time", "due_n"))
    return {k: (on_time, due) for k, on_time, due in rows if k is not None}

"""Pages of the plans app: as thin as api.py, calling the same selectors and services; forms are checked with the
API's request schemas (`inputs.py`) and every action is offered only when its service's predicate allows it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.input import INT64_MAX
from civicloop.core.pages import done, form_validated
from civicloop.core.pages import form_fields as _form
from civicloop.core.pages import page_pk as _pk

from . import selectors, services
from .board import gantt_rows, my_tasks, plan_board
from .constants import LetterKind, LinkKind, PlanKind
from .inputs import AcknowledgeIn, GoalIn, LetterIn, LinkIn, MilestoneIn, PlanIn, ProgressReportIn, TaskIn
from .permissions import (
    may_create_task,
    may_edit_task,
    may_import_tasks,
    may_manage,
    may_report,
    may_see_letters,
    may_see_plans,
)

PLANS_MAX = 200




def _require_reader(user) -> None:
    if not may_see_plans(user):
        raise CivicError(ErrorCode.FORBIDDEN)


def _units(user):
    from civicloop.orgs.models import Unit
    from civicloop.orgs.scope import scope_for

    return Unit.objects.filter(district_id=scope_for(user).district_id, active=True).order_by("code")


@login_required
def plans_page(request):
    user = request.user
    _require_reader(user)
    manager = may_manage(user)
    if request.method == "POST":
        if not manager:
            raise CivicError(ErrorCode.FORBIDDEN)
        payload = form_validated(PlanIn, _form(request, ("title", "kind", "year", "start", "end", "owner_unit_id",
                                                         "description")))
        plan = services.plan_create(actor=user, **payload.dict())
        return done(request, reverse("plans:plan", args=[plan.pk]), _("已新建计划。"))
    on = selectors.today()
    return render(request, "plans/plans.html", {
        "plans": list(selectors.plans_for(user).select_related("owner_unit").order_by("-year", "start", "pk")[:PLANS_MAX]),
        "manager": manager, "kinds": PlanKind.choices, "units": _units(user) if manager else [],
        "may_see_letters": may_see_letters(user),
        "red_items": selectors.contact_red_items(user, on=on),
        "contacts": selectors.street_contacts(user) if manager or selectors.contact_street_ids(user) else [],
        "year": on.year})


@login_required
def plan_page(request, pk: int):
    """The board: traffic lights by unit and by goal, the late tasks; a goal is added here, a task on its page."""
    user = request.user
    plan = selectors.plan_get_for(user, _pk(pk))
    may_add = may_create_task(user, plan)
    if request.method == "POST":
        if not may_add:
            raise CivicError(ErrorCode.FORBIDDEN)
        payload = form_validated(GoalIn, {**_form(request, ("title", "description")), "plan_id": plan.pk})
        services.goal_create(actor=user, **payload.dict())
        return done(request, reverse("plans:plan", args=[plan.pk]), _("已添加目标。"))
    on = selectors.today()
    return render(request, "plans/plan.html", {"plan": plan, "board": plan_board(user, plan, on=on), "on": on,
                                               "may_add": may_add, "may_import": may_import_tasks(user, plan)})


@login_required
def task_new_page(request, pk: int):
    user = request.user
    plan = selectors.plan_get_for(user, _pk(pk))
    if not may_create_task(user, plan):
        raise CivicError(ErrorCode.FORBIDDEN)
    if request.method == "POST":
        data = _form(request, ("title", "owner_unit_id", "due", "start", "parent_id", "goal_id", "weight",
                               "description"))
        data["co_unit_ids"] = [v for v in request.POST.getlist("co_unit_ids") if v]
        payload = form_validated(TaskIn, {**data, "plan_id": plan.pk})
        task = services.task_create(actor=user, **payload.dict())
        return done(request, reverse("plans:task", args=[task.pk]), _("已添加任务。"))
    parent = request.GET.get("parent", "")
    return render(request, "plans/task_new.html", {
        "plan": plan, "units": _units(user), "goals": list(plan.goals.all()),
        "parent": int(parent) if parent.isdigit() and int(parent) <= INT64_MAX else None,
        "parents": list(selectors.tasks_for(user).filter(plan=plan, parent__isnull=True)
                        .order_by("position", "pk").values_list("pk", "title")[:300])})


@login_required
def gantt_page(request, pk: int):
    user = request.user
    plan = selectors.plan_get_for(user, _pk(pk))
    unit = request.GET.get("unit", "")
    unit_id = int(unit) if unit.isdigit() and int(unit) <= INT64_MAX else None
    on = selectors.today()
    return render(request, "plans/gantt.html", {"plan": plan, "gantt": gantt_rows(user, plan, on=on, unit_id=unit_id),
                                                "on": on})


@login_required
def task_page(request, pk: int):
    user = request.user
    task = selectors.task_get_for(user, _pk(pk))
    if request.method == "POST":
        return _task_action(request, task)
    on = selectors.today()
    detail = selectors.task_detail(user, task.pk, on=on)
    return render(request, "plans/task.html", {
        **detail, "on": on, "may_report": may_report(user, task) and not detail["children"],
        "may_edit": may_edit_task(user, task), "link_kinds": LinkKind.choices})


def _task_action(request, task):
    user, action = request.user, request.POST.get("action", "")
    url = reverse("plans:task", args=[task.pk])
    if action == "report":
        payload = form_validated(ProgressReportIn, _form(request, ("percent", "text", "on")))
        services.report_create(actor=user, task_id=task.pk, files=request.FILES.getlist("evidence"),
                               **payload.dict())
        return done(request, url, _("已报告进展。"))
    if action == "milestone":
        payload = form_validated(MilestoneIn, _form(request, ("title", "due")))
        services.milestone_create(actor=user, task_id=task.pk, **payload.dict())
        return done(request, url, _("已添加节点。"))
    if action == "milestone_done":
        milestone = request.POST.get("milestone_id", "")
        if not milestone.isdigit() or int(milestone) > INT64_MAX:
            raise not_found()
        services.milestone_done(actor=user, milestone_id=int(milestone))
        return done(request, url, _("节点已完成。"))
    if action == "link":
        payload = form_validated(LinkIn, _form(request, ("kind", "object_id")))
        services.task_link(actor=user, task_id=task.pk, **payload.dict())
        return done(request, url, _("已关联。"))
    raise CivicError(ErrorCode.INVALID)


@login_required
def mine_page(request):
    user = request.user
    _require_reader(user)
    return render(request, "plans/mine.html", {"tasks": my_tasks(user, on=selectors.today())})


@login_required
def letters_page(request):
    user = request.user
    if not may_see_letters(user):
        raise CivicError(ErrorCode.FORBIDDEN)
    manager = may_manage(user)
    if request.method == "POST":
        if not manager:
            raise CivicError(ErrorCode.FORBIDDEN)
        payload = form_validated(LetterIn, _form(request, ("unit_id", "year", "kind")))
        version = services.letter_generate(actor=user, **payload.dict())
        return done(request, reverse("plans:letter", args=[version.letter_id]), _("已生成。"))
    letters = list(selectors.letters_for(user).order_by("-year", "unit__code", "kind")[:500])
    from .models import LetterVersion

    latest: dict[int, LetterVersion] = {}
    for v in LetterVersion.objects.filter(letter__in=[ltr.pk for ltr in letters]).order_by("letter_id", "number"):
        latest[v.letter_id] = v
    for ltr in letters:
        ltr.current = latest.get(ltr.pk)
    return render(request, "plans/letters.html", {
        "letters": letters, "manager": manager, "units": _units(user) if manager else [],
        "kinds": LetterKind.choices, "year": selectors.today().year})


@login_required
def letter_page(request, pk: int):
    user = request.user
    view = selectors.letter_view(user, _pk(pk))
    letter = view["letter"]
    url = reverse("plans:letter", args=[letter.pk])
    if request.method == "POST":
        if request.POST.get("action") == "refresh":
            services.letter_refresh(actor=user, letter_id=letter.pk)
            return done(request, url, _("已更新为最新内容。"))
        payload = form_validated(AcknowledgeIn, _form(request, ("number",)))
        services.letter_acknowledge(actor=user, letter_id=letter.pk, number=payload.number)
        return done(request, url, _("已签收。"))
    return render(request, "plans/letter.html", view)


@login_required
def letter_pdf(request, pk: int, number: int):
    from .letters import letter_pdf as render_pdf

    version = selectors.version_get_for(request.user, _pk(pk), _pk(number))
    response = HttpResponse(render_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"letter-{version.letter_id}-v{version.number}.pdf")
    return response

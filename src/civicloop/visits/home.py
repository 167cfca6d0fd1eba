"""The visits app's panels on other apps' pages (`VisitsConfig.record_panels`, read by core.registry): a household's
or an enterprise's visits, and on a case's page the visit it was raised in ("走访中提出") — so cases and places
link to visits without importing this app. Read through the selectors, as the viewer."""

from __future__ import annotations

from django.template.loader import render_to_string

from civicloop.cases.selectors import cases_visible_to

from . import selectors
from .models import Subject, VisitProblem

RECORD_VISITS = 20


def record_panel(request, obj) -> str | None:
    actor = request.user
    if not getattr(actor, "pk", None):
        return None
    name = obj._meta.model_name
    if name == "case":
        return _case_panel(request, obj)
    if name not in ("household", "enterprise"):
        return None
    visits = list(selectors.visits_for(actor).filter(**{f"{name}_id": obj.pk})[:RECORD_VISITS])
    if not visits and not selectors.visits_for(actor).exists():
        return None  # someone who sees no visit at all (a department): no empty panel
    linked, cases_linked = set(), set()
    if visits:  # the subject pages and case pages this viewer may open
        linked = set(Subject.objects.filter(selectors.subjects_visible_q(actor), pk__in=[v.subject_id for v in visits])
                     .values_list("pk", flat=True))
        case_ids = [p.case_id for v in visits for p in v.problems.all()]
        cases_linked = set(cases_visible_to(actor).filter(pk__in=case_ids).values_list("pk", flat=True))
    return render_to_string("visits/_record_panel.html", {
        "visits": selectors.visits_shown(actor, visits), "linked": linked, "cases_linked": cases_linked,
        "more": len(visits) == RECORD_VISITS}, request=request)


def _case_panel(request, case) -> str | None:
    """The visit a case was raised in: date, campaign, team, and a link to the subject's page when the viewer may
    see it. Anyone who sees the case sees where it came from."""
    problem = VisitProblem.objects.filter(case_id=case.pk).select_related("visit__team", "visit__campaign").first()
    if problem is None:
        return None
    visit = problem.visit
    linked = Subject.objects.filter(selectors.subjects_visible_q(request.user), pk=visit.subject_id).exists()
    return render_to_string("visits/_case_panel.html", {"visit": visit, "problem": problem, "linked": linked},
                            request=request)

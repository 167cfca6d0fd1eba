"""On a case's page (`DupesConfig.record_panels`): the open cases it likely duplicates, each with its reason and,
for whom the merge service allows it, a one-click 并入本工单."""

from __future__ import annotations

from django.template.loader import render_to_string


def record_panel(request, obj) -> str | None:
    if obj._meta.label_lower != "cases.case" or not getattr(request.user, "pk", None):
        return None
    from .selectors import duplicates_of_case

    case, suggestions = duplicates_of_case(request.user, obj.pk)
    if not suggestions:
        return None
    mergeable = [s for s in suggestions if s.may_merge_here]
    return render_to_string("dupes/_case_panel.html", {"case": case, "suggestions": suggestions,
                                                       "mergeable": mergeable}, request=request)

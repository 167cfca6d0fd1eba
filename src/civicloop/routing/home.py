"""The routing app's panel on a case's page (`RoutingConfig.record_panels`): the suggested categories and lead units
with their confidence, for whoever may triage or dispatch the case now, each with a one-click "use this"."""

from __future__ import annotations

from django.template.loader import render_to_string

from civicloop.core.errors import CivicError

from . import selectors, services
from .error_codes import RoutingErrorCode
from .permissions import may_dispatch_now, may_see_suggestions, may_triage_now


def record_panel(request, obj) -> str | None:
    if obj._meta.label_lower != "cases.case" or not getattr(request.user, "pk", None):
        return None
    case = obj
    if not may_see_suggestions(request.user, case):
        return None
    try:
        suggested = selectors.suggestions_for(request.user, case)
    except CivicError as exc:
        if exc.code != RoutingErrorCode.NO_MODEL:
            raise
        return render_to_string("routing/_case_panel.html", {"no_model": True}, request=request)
    # what was shown is recorded (a service, once per model and case version): the acceptance rate compares it
    # with the dispatch that follows
    row = services.suggestion_show(actor=request.user, case=case, suggested=suggested)
    if row is None:
        return None
    triage = may_triage_now(request.user, case)
    dispatch = may_dispatch_now(request.user, case)
    # a case not yet triaged (or whose category the model doubts) is triaged with the first category on the way
    with_category = None
    if suggested["categories"] and not dispatch:
        with_category = suggested["categories"][0][0]
    return render_to_string("routing/_case_panel.html", {
        "case": case, "row": row, "version": suggested["version"],
        "categories": [(c, round(p * 100)) for c, p in suggested["categories"]],
        "units": [(u, round(p * 100)) for u, p in suggested["units"]],
        "may_triage": triage, "may_dispatch": dispatch or (triage and with_category is not None),
        "with_category": with_category}, request=request)

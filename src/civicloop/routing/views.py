"""Pages of the routing app: "use this" from a case's page, and the jurisdiction disputes of the district (with the
acceptance rate of the suggestions). Thin: the same selectors, services and schemas as the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.cases.permissions import is_visible
from civicloop.core.pages import done, form_validated

from . import selectors, services
from .period import window
from .permissions import may_see_disputes
from .schemas import UseIn, WindowIn


@login_required
@require_POST
def use(request, pk: int):
    data = {k: request.POST[k] for k in ("suggestion_id", "category_id", "lead_unit_id", "expected_version")
            if request.POST.get(k, "") != ""}
    payload = form_validated(UseIn, data)
    case = services.suggestion_use(actor=request.user, case_id=pk, **payload.dict())
    if not is_visible(request.user, case):
        return done(request, reverse("cases:inbox"), _("已按建议派单。该工单已离开您的办理范围。"))
    text = _("已按建议派单。") if payload.lead_unit_id else _("已按建议分类。")
    return done(request, reverse("cases:case", args=[case.tracking_code]), text)


@login_required
def disputes(request):
    if not may_see_disputes(request.user):
        raise PermissionDenied
    query = form_validated(WindowIn, {k: request.GET[k] for k in ("start", "end") if request.GET.get(k)})
    start, end = window(query.start, query.end)
    rows = selectors.disputes_for(request.user, start, end)
    acceptance = selectors.acceptance_for(request.user, start, end)
    model = selectors.model_info(request.user.district_id)
    return render(request, "routing/disputes.html", {"rows": rows, "start": start, "end": end,
                                                     "acceptance": acceptance, "model": model})

"""The dupes pages: the register form's check (htmx, before saving) and the one-click merge from the case page's
panel (`home.record_panel`). Selectors and services only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.cases.selectors import case_get_for
from civicloop.core.errors import CivicError
from civicloop.core.pages import done, form_validated

from . import selectors, services
from .inputs import DuplicateCheckIn, DuplicatesMergeIn
from .permissions import may_check_draft


@login_required
def check(request):
    """The register form's fields (GET, htmx on change) → the open cases it likely duplicates, or nothing. A
    refusal (no text yet, a place code the officer does not see) shows nothing: the form says what is wrong on
    saving."""
    suggestions = []
    if may_check_draft(request.user):
        data = {name: request.GET.get(name, "") for name in ("description", "address", "category_id")}
        data["place_code"] = request.GET.get("place_code", "").strip() or request.GET.get("community", "")
        data = {name: value for name, value in data.items() if value != ""}
        try:
            payload = form_validated(DuplicateCheckIn, data)
            suggestions = selectors.duplicates_of_draft(request.user, **payload.dict())
        except CivicError:
            suggestions = []
    return render(request, "dupes/_draft.html", {"suggestions": suggestions})


@login_required
@require_POST
def merge(request, pk: int):
    """合并: fold the chosen suggestions (one, or all shown) into this case, through the cases merge service."""
    payload = form_validated(DuplicatesMergeIn, {"duplicate_ids": request.POST.getlist("duplicate_ids"),
                                       "note": request.POST.get("note", "")})
    case = case_get_for(request.user, pk)
    merged = services.duplicates_merge(actor=request.user, case_id=case.pk, duplicate_ids=payload.duplicate_ids,
                                       note=payload.note)
    return done(request, reverse("cases:case", args=[case.tracking_code]),
                _("已将 %(codes)s 合并到本工单。") % {"codes": "、".join(c.tracking_code for c in merged)})

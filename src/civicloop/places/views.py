"""The places browser: drill down district → street → community → compound → building → households.

Thin handlers: one selector each. htmx requests get the panel fragment only; full requests get the page,
so every URL works without JavaScript too.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from civicloop.core import registry
from civicloop.core.masking import mask_id_number, mask_name, mask_phone

from . import selectors, services
from .constants import PlaceLevel

HOUSEHOLDS_PER_PAGE = 50


def _page_or_panel(request, context: dict):
    template = "places/_panel.html" if request.headers.get("HX-Request") else "places/place.html"
    return render(request, template, context)


@login_required
def browse(request):
    roots = selectors.place_roots_for(request.user)
    if len(roots) == 1:
        return redirect("places:place", code=roots[0].code)
    rows = selectors.place_rows_mixed(roots)
    return _page_or_panel(request, {"place": None, "crumbs": [], "rows": rows, "show_enterprises": True})


@login_required
def place_detail(request, code: str):
    place = selectors.place_get_for(request.user, code)
    context = {"place": place, "crumbs": selectors.place_breadcrumbs_for(request.user, place)}
    if place.level == PlaceLevel.BUILDING:
        households = selectors.household_list_for(request.user, place=place)
        context["page"] = Paginator(households, HOUSEHOLDS_PER_PAGE).get_page(request.GET.get("page"))
        context["page"].object_list = selectors.households_shown(request.user, context["page"].object_list)
    else:
        rows = selectors.place_children_for(request.user, place)
        context.update(rows=rows, show_enterprises=bool(rows) and rows[0].enterprises is not None)
    return _page_or_panel(request, context)


def _head(household) -> dict:
    """The household's head as everyone sees it: masked (the clear details: `services.household_head_reveal`)."""
    return {
        "name": mask_name(household.head_name),
        "phone": mask_phone(household.head_phone),
        "id_number": mask_id_number(household.head_id_number),
    }


@login_required
def household_detail(request, code: str):
    household = selectors.households_shown(request.user, [selectors.household_get_for(request.user, code)])[0]
    context = {
        "household": household,
        "crumbs": selectors.place_breadcrumbs_for(request.user, household.building),
        "head": _head(household),
        "may_unmask": selectors.household_may_unmask(request.user, household),
        "unmasked": False,
        # other apps' panels about this household (its cases …), core.registry `record_panels`
        "panels": registry.record_panels(request, household),
    }
    return render(request, "places/household.html", context)


@login_required
@require_POST
def household_unmask(request, code: str):
    head = services.household_head_reveal(actor=request.user, code=code, reason_code=request.POST.get("reason_code", ""),
                                          reason=request.POST.get("reason", ""))
    household = selectors.household_get_for(request.user, code)
    context = {"household": household, "head": head, "may_unmask": False, "unmasked": True}
    if request.headers.get("HX-Request"):
        return render(request, "places/_household_head.html", context)
    context["crumbs"] = selectors.place_breadcrumbs_for(request.user, household.building)
    return render(request, "places/household.html", context)


@login_required
def enterprise_detail(request, credit_code: str):
    enterprise = selectors.enterprises_shown(request.user, [selectors.enterprise_get_for(request.user, credit_code)])[0]
    context = {
        "enterprise": enterprise,
        "crumbs": selectors.place_breadcrumbs_for(request.user, enterprise.community or enterprise.street),
        # the contact is shown masked here (no reveal on this page; the API masks it the same way)
        "contact": {"name": mask_name(enterprise.contact_name), "phone": mask_phone(enterprise.contact_phone)},
        "panels": registry.record_panels(request, enterprise),  # its cases … (core.registry `record_panels`)
    }
    return render(request, "places/enterprise.html", context)

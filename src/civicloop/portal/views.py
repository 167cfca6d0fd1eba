"""The public's pages: report, the code shown once, the status page with the reporter's proof and rating, and the
place pickers' lists. Thin: parse, one service or selector, render. A refusal is shown on the portal's own page
(status and Retry-After kept), never the staff's error page."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicloop.core.errors import CivicError
from civicloop.core.ratelimit import rate_limit_hit
from civicloop.orgs.auth import client_ip

from . import selectors, services
from .constants import LOOKUP_LIMIT, MAX_PHOTOS, NEW_REPORT_COOKIE, NEW_REPORT_SECONDS
from .forms import ProofForm, RateForm, ReportForm, TrackForm
from .permissions import may_rate, proved


def _client(request) -> str:
    return client_ip(request) or "unknown"


def _refused(request, template: str, context: dict, error: CivicError):
    response = render(request, template, {**context, "error": error}, status=error.status)
    if "retry_after" in error.params:
        response["Retry-After"] = str(error.params["retry_after"])
    return response


def _report_context(district, form) -> dict:
    """What the report page shows around its form (the street picker, the map) — read only to render it, never
    for a report that goes through."""
    return {"form": form, "district": district, "streets": selectors.place_children(district, district.code),
            "outline": selectors.outline_of(district), "max_photos": MAX_PHOTOS,
            "center": [float(district.lng), float(district.lat)] if district.lat is not None else None}


@require_http_methods(["GET", "POST"])
def report(request):
    district = selectors.portal_district(request.GET.get("d") or request.POST.get("district"))
    form = ReportForm(request.POST or None, initial={"district": district.code})
    if request.method == "POST" and form.is_valid():
        lat, lng = form.point()
        data = form.cleaned_data
        try:
            reported = services.portal_report(
                client=_client(request), district=district, description=data["description"],
                category_id=data["category_id"], appeal_type=data["appeal_type"],
                place_code=form.place_code(), lat=lat, lng=lng, address=data["address"], phone=data["phone"],
                photos=request.FILES.getlist("photos"), offered_categories=form.category_ids)
        except CivicError as error:
            return _refused(request, "portal/report.html", _report_context(district, form), error)
        response = redirect("portal:reported")
        # shown once by the next page, then deleted: a signed cookie of this path, never a URL — and no session
        # row written and read back for it (two synchronous commits of every report; decision in the README)
        response.set_signed_cookie(NEW_REPORT_COOKIE, f"{reported.case.tracking_code}.{reported.secret}",
                                   salt=NEW_REPORT_COOKIE, max_age=NEW_REPORT_SECONDS, path=reverse("portal:reported"),
                                   secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response
    return render(request, "portal/report.html", _report_context(district, form),
                  status=400 if request.method == "POST" else 200)


@require_GET
def reported(request):
    """The tracking code and the secret, shown once (from the signed cookie the report set, never from the URL)."""
    new = request.get_signed_cookie(NEW_REPORT_COOKIE, default="", salt=NEW_REPORT_COOKIE,
                                    max_age=NEW_REPORT_SECONDS)
    if "." not in new:
        response = redirect("portal:track")
    else:
        code, secret = new.split(".", 1)
        response = render(request, "portal/reported.html", {"code": code, "secret": secret})
        response["Cache-Control"] = "no-store"
    response.delete_cookie(NEW_REPORT_COOKIE, path=reverse("portal:reported"), samesite="Lax")
    return response


@require_GET
def track(request):
    form = TrackForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("portal:status", code=form.cleaned_data["code"].strip().upper())
    return render(request, "portal/track.html", {"form": form})


def _status_context(request, code: str) -> dict:
    rate_limit_hit(f"portal:lookup:ip:{_client(request)}", limit=LOOKUP_LIMIT[0], window=LOOKUP_LIMIT[1])
    status = selectors.public_status(code)
    is_reporter = proved(request, status.case.pk)
    photos = selectors.reporter_photos(status.case) if is_reporter else []
    return {"status": status, "proved": is_reporter, "photos": photos,
            "rateable": is_reporter and may_rate(status.case), "may_rate_later": may_rate(status.case),
            "proof_form": ProofForm(), "rate_form": RateForm()}


@require_GET
def status(request, code: str):
    try:
        context = _status_context(request, code)
    except CivicError as error:
        return _refused(request, "portal/track.html", {"form": TrackForm(initial={"code": code})}, error)
    return render(request, "portal/status.html", context)


def _reporter_step(request, code: str, form, step):
    """A reporter's POST on a status page: the page's context (its own refusals on the lookup page), then `step`
    with the valid form (its refusals on the status page), then back to the status page."""
    try:
        context = _status_context(request, code)
    except CivicError as error:
        return _refused(request, "portal/track.html", {"form": TrackForm(initial={"code": code})}, error)
    if not form.is_valid():
        return render(request, "portal/status.html", {**context, form.context_name: form}, status=400)
    try:
        step(context["status"].case, form.cleaned_data)
    except CivicError as error:
        return _refused(request, "portal/status.html", context, error)
    return redirect("portal:status", code=context["status"].code)


@require_POST
def prove(request, code: str):
    form = ProofForm(request.POST)
    return _reporter_step(request, code, form, lambda case, data: services.portal_prove(
        request=request, client=_client(request), case=case, proof=data["proof"]))


@require_POST
def rate(request, code: str):
    form = RateForm(request.POST)
    return _reporter_step(request, code, form, lambda case, data: services.portal_rate(
        request=request, case=case, value=data["value"]))


@require_GET
def places(request, level: str):
    """The options of the next picker (htmx): the communities of `?street=`, the compounds of `?community=`."""
    if level not in ("communities", "compounds"):
        raise Http404
    district = selectors.portal_district(request.GET.get("d"))
    parent = request.GET.get("street" if level == "communities" else "community", "")
    children = selectors.place_children(district, parent) if parent else []
    return render(request, "portal/_options.html", {"places": children, "level": level})

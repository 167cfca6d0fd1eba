"""The GeoReport v2 endpoints: parse, call one selector or service, render (formats.py). Plain Django views —
the spec's XML and its error list are not what the ninja API speaks (docs/open311.md)."""

from __future__ import annotations

from functools import wraps

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from civicloop.apikeys.auth import require_key
from civicloop.apikeys.constants import KeyScope
from civicloop.core.errors import CivicError, not_found
from civicloop.core.masking import mask_free_text

from . import selectors
from .catalogue import extra_for
from .constants import CLOSED_STATES, SPEC_URL, Status
from .formats import errors, iso, response
from .inputs import request_query, submission_params
from .services import request_submit

CHANGESET = "2026-12-01T00:00:00+08:00"  # when the services or this server's behaviour last changed


def endpoint(view):
    """A refusal anywhere in `view` becomes the spec's error list in the requested format."""

    @wraps(view)
    def wrapper(request, *args, fmt: str, **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except CivicError as exc:
            return errors(fmt, exc)

    return wrapper


@require_GET
@endpoint
def discovery(request, fmt: str):
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0] + "/"
    return response(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": _("区城运中心（12345 热线对接）"),
        "key_service": _("接口密钥由区管理员在系统“接口密钥”页面发放。"),
        "endpoints": [{"specification": SPEC_URL, "url": base, "changeset": CHANGESET, "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    })


def _service_out(category) -> dict:
    extra = extra_for(category.code)
    return {"service_code": category.code, "service_name": category.name, "description": category.name,
            "metadata": bool(extra.attributes), "type": "realtime", "keywords": str(extra.keywords),
            "group": category.parent.name}


@require_GET
@endpoint
def services(request, fmt: str):
    return response(fmt, "services", [_service_out(c) for c in selectors.services_list()])


@require_GET
@endpoint
def service_definition(request, code: str, fmt: str):
    try:
        category = selectors.service_get(code)
    except CivicError:
        raise not_found() from None  # the definition of an unknown service is simply not there (404)
    attributes = [{
        "variable": True, "code": a.code, "datatype": a.datatype, "required": a.required,
        "datatype_description": str(a.datatype_description), "order": i, "description": str(a.description),
        **({"values": [{"key": k, "name": str(n)} for k, n in a.values]} if a.values else {}),
    } for i, a in enumerate(extra_for(category.code).attributes, start=1)]
    return response(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


def request_out(row: dict) -> dict:
    """A case as the spec's service request — no personal data: no reporter, numbers typed into text masked, no
    point or address of a household's home."""
    home = row["household_id"] is not None
    return {
        "service_request_id": row["tracking_code"],
        "status": Status.CLOSED if row["state"] in CLOSED_STATES else Status.OPEN,
        "status_notes": mask_free_text(row["reply"]),
        "service_name": row["category__name"] or "",
        "service_code": row["category__code"] or "",
        "description": mask_free_text(row["description"]),
        "agency_responsible": row["lead_unit__name"] or "",
        "service_notice": "",
        "requested_datetime": iso(row["created_at"]),
        "updated_datetime": iso(row["updated_at"]),
        "expected_datetime": iso(row["deadline"]),
        "address": "" if home else mask_free_text(row["address"]),
        "zipcode": None,
        "lat": None if home or row["lat"] is None else row["lat"],
        "long": None if home or row["lng"] is None else row["lng"],
        "media_url": row["open311_submission__media_url"] or "",
    }


@csrf_exempt  # machine clients: the key, never a session cookie, authorises a POST here
@require_http_methods(["GET", "POST"])
@endpoint
def requests(request, fmt: str):
    key = require_key(request, KeyScope.OPEN311)
    if request.method == "POST":
        case = request_submit(key=key, **submission_params(request.POST))
        return response(fmt, "service_requests", [
            {"service_request_id": case.tracking_code, "service_notice": "", "account_id": None}], status=201)
    rows = selectors.requests_for(key, request_query(request.GET))
    return response(fmt, "service_requests", [request_out(r) for r in rows])


@require_GET
@endpoint
def request_one(request, code: str, fmt: str):
    key = require_key(request, KeyScope.OPEN311)
    return response(fmt, "service_requests", [request_out(selectors.request_get(key, code))])

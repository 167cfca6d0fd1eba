"""What every app's pages do alike after a form: check it with the API's schema, and land after success."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from pydantic import ValidationError

from .errors import CivicError, ErrorCode, not_found
from .input import INT64_MAX
from .validation import error_details


def page_pk(pk: int) -> int:
    """A key from a page's path (`<int:pk>`) past what the database stores is simply not found (the same answer as
    missing)."""
    if not 1 <= pk <= INT64_MAX:
        raise not_found()
    return pk


def form_fields(request, *names) -> dict:
    """The form's non-empty values of `names` (given one by one, or as one list), as text (the schema reads them
    laxly); an empty field is left out, so the schema's default applies."""
    if len(names) == 1 and not isinstance(names[0], str):
        names = tuple(names[0])
    return {k: request.POST[k] for k in names if request.POST.get(k, "").strip() != ""}


def form_validated(schema, data: dict):
    """`data` (a form's values, all text) checked by the API's request schema — lax: the API's JSON bodies are held
    to the schemas' strict ids and flags. A refusal is translated, with the fields' labels, and shows no field path
    ("where" is for API clients)."""
    try:
        return schema.model_validate(data, strict=False)
    except ValidationError as exc:
        details = [{**d, "where": ""} for d in error_details(exc.errors(), model=schema)]
        raise CivicError(ErrorCode.INVALID, details=details) from None


def done(request, url: str, text: str, *, level=messages.SUCCESS, anchor: str = "") -> HttpResponse:
    """Success: the message, then the page at `url` (htmx: HX-Redirect to the page itself — with an anchor the
    browser would only scroll instead of loading it afresh; a plain form: a redirect, to the anchor)."""
    messages.add_message(request, level, text)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url + anchor)

"""The pieces every app's API shares: the error body, paging, filter text, the refusal sets, the error handlers.

Each app's `api.py` imports these from here (never from `civicloop.api`, which imports every app's router).
"""

import datetime as dt
import functools
import json
import re
import types
import typing
from typing import Annotated

import pydantic_core
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from pydantic import BeforeValidator, StrictInt, WithJsonSchema

from .errors import CivicError, ErrorCode, number_too_large
from .input import INT64_MAX, api_status, data_refusal, payload_too_large
from .validation import error_details


class ErrorOut(Schema):
    """Every refusal: a stable `code`, a translated `message`, and per-item `details` when there are several."""

    code: str
    message: str
    details: list[dict] = []


# Free-text and code filters: bounded, and without NUL (PostgreSQL text cannot hold it; a 422, not a 500).
FilterText = Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]


class PageIn(Schema):
    """limit/offset paging for every list endpoint."""

    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000_000)  # bounded: the database offset is a 64-bit integer


def paged(qs, page: PageIn) -> dict:
    """One page of a queryset: {"count", "items"} (items still model instances, for the response schema)."""
    return {"count": qs.count(), "items": list(qs[page.offset : page.offset + page.limit])}


# What request bodies declare, so the schema says what the services require (schemathesis holds us to it):
# an id is a positive 64-bit integer, given as a JSON number (not "5", not 5.0, not true).
Id = Annotated[StrictInt, Field(ge=1, le=INT64_MAX)]
# An id in a path or query (text, so not strict), bounded the same way.
PathId = Annotated[int, Field(ge=1, le=INT64_MAX)]
# A count or version: the same, from 0.
Count = Annotated[StrictInt, Field(ge=0, le=INT64_MAX)]
# A text a service requires (`require_text`): at least one character that is not blank once stripped (str.strip
# removes \x1c-\x1f too, which the regex `\s` of the schema's readers does not count as space).
NOT_BLANK = r"[^\s\x1c-\x1f]"

ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _date_only(value):
    """A date is "YYYY-MM-DD" text (or a date, from a page's own code): not a number — pydantic's lax mode would
    read 0 or "0" as seconds since 1970 — nor a date-time or any other spelling."""
    if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date) \
            or (isinstance(value, str) and not re.fullmatch(ISO_DATE[1:-1], value)):
        raise ValueError("YYYY-MM-DD")
    return value


# A day in a body, query or form: the one date-only rule of every API (visits, dashboard, assess …).
Day = Annotated[dt.date, BeforeValidator(_date_only),
                WithJsonSchema({"type": "string", "format": "date", "pattern": ISO_DATE})]

# The refusals every read endpoint may answer; merge with {200: ...} in `response=`.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# The refusals a write endpoint may answer (403 forbidden: visible, but not this actor's action; 413/415: the input
# layer's refusals of a body too large or not JSON).
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut,
                415: ErrorOut, 422: ErrorOut}


def plain(schema, data):
    """`data` (plain dicts and lists, as a selector built them) cut to the fields `schema` declares, nested schemas
    and lists of them included — without validating it again, for bodies of thousands of rows where validating
    each row costs more than reading it. The endpoint's tests hold such a body to its schema."""
    return _cutter(schema)(data)


@functools.cache
def _cutter(schema) -> typing.Callable:
    """`plain` for one schema, worked out once: a function per nested level (walking the annotations again for
    each of 2,000 rows cost more than building them)."""
    origin = typing.get_origin(schema)
    if origin is list:
        (item,) = typing.get_args(schema)
        cut = _cutter(item)
        return (lambda data: list(data)) if cut is _same else (lambda data: [cut(value) for value in data])
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(schema) if arg is not type(None)]
        cut = _cutter(inner)
        return lambda data: None if data is None else cut(data)
    if isinstance(schema, type) and issubclass(schema, Schema):
        fields = [(name, _cutter(field.annotation)) for name, field in schema.model_fields.items()]
        if all(cut is _same for _name, cut in fields):
            names = [name for name, _cut in fields]
            return lambda data: {name: data[name] for name in names}
        return lambda data: {name: cut(data[name]) for name, cut in fields}
    return _same


def _same(data):
    return data


def plain_json(schema, data) -> bytes:
    """`plain(schema, data)` written as JSON by pydantic's serializer (UTF-8; dates and datetimes in ISO 8601, as
    ninja writes them) — several times faster than `json` with a Python `default` for large bodies."""
    return pydantic_core.to_json(plain(schema, data))


def plain_response(schema, data) -> HttpResponse:
    """A 200 whose body is `plain_json(schema, data)`: for bodies of hundreds or thousands of rows the selector
    built as plain data (the endpoint's tests hold the body to `schema`)."""
    return HttpResponse(plain_json(schema, data), content_type="application/json")


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or (content_type.startswith("application/") and content_type.endswith("+json"))


class JsonBodyParser(Parser):
    """The API's body parser: JSON only (415 otherwise), then the input layer's checks on what it holds.

    ninja wraps whatever this raises in an HttpError(400); `install_error_handlers` renders the CivicError inside.
    """

    def parse_body(self, request):
        if not is_json(request.content_type or ""):
            raise CivicError(ErrorCode.UNSUPPORTED_MEDIA_TYPE)
        try:
            data = json.loads(request.body)
        except ValueError as exc:  # not JSON, or not UTF-8
            raise CivicError(ErrorCode.MALFORMED_BODY) from exc
        refusal = data_refusal(data)
        if refusal is not None:
            raise refusal
        return data


class CivicNinjaAPI(NinjaAPI):
    """NinjaAPI whose validation errors carry their translated detail, labelled from the endpoint's own schema
    (ninja knows which model failed only here; the handler below renders it)."""

    def validation_error_from_error_contexts(self, error_contexts):
        error = super().validation_error_from_error_contexts(error_contexts)
        models = [context.model for context in error_contexts for _e in context.pydantic_validation_error.errors()]
        for item, model in zip(error.errors, models, strict=False):
            # loc: (request part, ninja's parameter name or flattened field, …): the schema's fields after the part
            item["civic_detail"] = error_details([item], model=model, strip=1)[0]
        return error


def install_error_handlers(api: NinjaAPI) -> None:
    """Render every refusal on `api` as our one error body: CivicError, ninja's validation, HTTP and auth errors."""

    @api.exception_handler(CivicError)
    def civic_error(request, exc: CivicError):
        response = api.create_response(request, exc.as_dict(), status=exc.status)
        if "retry_after" in exc.params:  # a rate limit (core.ratelimit): when the window opens again, in seconds
            response["Retry-After"] = str(exc.params["retry_after"])
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        # translated details with the fields' labels (core.validation); CivicNinjaAPI has already found them
        # against the endpoint's schemas, another NinjaAPI gets the apps' labels
        details = [e["civic_detail"] if "civic_detail" in e else error_details([e])[0] for e in exc.errors]
        err = CivicError(ErrorCode.INVALID, details=details)
        return api.create_response(request, err.as_dict(), status=422)

    @api.exception_handler(OverflowError)
    def number_out_of_range(request, exc: OverflowError):
        # A number past what the database stores (SQLite refuses integers beyond 64 bits when binding them): the
        # caller's input, never a server error — one answer for every endpoint.
        return api.create_response(request, number_too_large().as_dict(), status=422)  # as a validation refusal

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        # a body over the limit without a Content-Length saying so (the input layer refuses the declared ones)
        return api.create_response(request, payload_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).as_dict(), status=413)

    @api.exception_handler(RawPostDataException)
    def form_body_for_json(request, exc):
        # a form body (multipart) sent to an endpoint that reads JSON: Django has already read it as a form
        return api.create_response(request, CivicError(ErrorCode.UNSUPPORTED_MEDIA_TYPE).as_dict(), status=415)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, CivicError):  # JsonBodyParser's refusal, wrapped by ninja
            return api.create_response(request, exc.__cause__.as_dict(), status=api_status(exc.__cause__))
        # ninja's own refusals (e.g. a missing CSRF token on a session-authenticated POST) in our one error shape
        code = "csrf_failed" if "CSRF" in str(exc) else ("forbidden" if exc.status_code == 403 else "http_error")
        message = _("安全校验失败（CSRF），请刷新页面后重试。") if code == "csrf_failed" else str(exc)
        return api.create_response(request, {"code": code, "message": str(message), "details": []}, status=exc.status_code)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return api.create_response(request, {"code": "unauthenticated", "message": str(_("请先登录。")), "details": []}, status=401)

"""The pieces every app's API shares: the error body, paging, filter text, the refusal sets, the error handlers.

Each app's `api.py` imports these from here (never from `civicloop.api`, which imports every app's router).
"""

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import CivicError, ErrorCode, number_too_large


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


# The refusals every read endpoint may answer; merge with {200: ...} in `response=`.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# The refusals a write endpoint may answer (403 forbidden: visible, but not this actor's action).
WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def install_error_handlers(api: NinjaAPI) -> None:
    """Render every refusal on `api` as our one error body: CivicError, ninja's validation, HTTP and auth errors."""

    @api.exception_handler(CivicError)
    def civic_error(request, exc: CivicError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        details = [
            {"where": ".".join(str(p) for p in e.get("loc", [])), "field": str(e.get("loc", [""])[-1]), "reason": e.get("msg", "")}
            for e in exc.errors
        ]
        err = CivicError(ErrorCode.INVALID, details=details)
        return api.create_response(request, err.as_dict(), status=422)

    @api.exception_handler(OverflowError)
    def number_out_of_range(request, exc: OverflowError):
        # A number past what the database stores (SQLite refuses integers beyond 64 bits when binding them): the
        # caller's input, never a server error — one answer for every endpoint.
        return api.create_response(request, number_too_large().as_dict(), status=422)  # as a validation refusal

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja's own refusals (e.g. a missing CSRF token on a session-authenticated POST) in our one error shape
        code = "csrf_failed" if "CSRF" in str(exc) else ("forbidden" if exc.status_code == 403 else "http_error")
        message = _("安全校验失败（CSRF），请刷新页面后重试。") if code == "csrf_failed" else str(exc)
        return api.create_response(request, {"code": code, "message": str(message), "details": []}, status=exc.status_code)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        return api.create_response(request, {"code": "unauthenticated", "message": str(_("请先登录。")), "details": []}, status=401)

"""The input layer: what every request must be before any page or endpoint reads it (decision XX).

One set of checks for every endpoint and page, so no handler needs its own: a body over the size limit (413), a NUL
character in any text of the request — query, cookies, form fields, file names, JSON strings and keys (a key in
the path answers 404 like any missing key) — and an integer past 64 bits in a JSON body (both refused as invalid
input). `CivicInputMiddleware`
(civicloop.core.middleware) runs `request_refusal` on every request; the API's JSON parser
(civicloop.core.api.JsonBodyParser) runs `data_refusal` on every body it parses and refuses a body that is not JSON
(415). A refusal is an ordinary `CivicError`, rendered by the API as its error body and by pages as the error page.
"""

from __future__ import annotations

from django.conf import settings
from django.http.multipartparser import MultiPartParserError

from .errors import CivicError, ErrorCode, nul_in_text, number_too_large

NUL = "\x00"
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # what the databases store in an integer column
# A form around an uploaded file (boundaries, the other fields) on top of the file's own limit.
FORM_ALLOWANCE_BYTES = 256 * 1024
# On the API, a refusal of the input's form is a validation refusal, like ninja's own (422); pages keep the code's
# registered status.
API_INVALID_STATUS = 422


def api_status(exc: CivicError) -> int:
    """The HTTP status the API answers for an input refusal `exc`."""
    return API_INVALID_STATUS if exc.code == ErrorCode.INVALID else exc.status


def body_limit(request) -> int:
    """The largest body `request` may carry: a file upload's limit for multipart forms, Django's otherwise."""
    if request.content_type == "multipart/form-data":
        return settings.CIVICLOOP_MAX_UPLOAD_BYTES + FORM_ALLOWANCE_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def payload_too_large(limit: int) -> CivicError:
    return CivicError(ErrorCode.PAYLOAD_TOO_LARGE, details=[{"where": "body", "field": "", "reason": f"> {limit} B"}])


def request_refusal(request) -> CivicError | None:
    """Why `request` is refused before anything reads it, or None: its declared size, then every text it carries."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = body_limit(request)
    if length > limit:
        return payload_too_large(limit)
    # Not the path: a key there is looked up (core.selectors.first_or_not_found) and one holding NUL answers 404
    # like any missing key, so malformed, missing and out-of-scope keys look the same.
    texts = [*_query_texts(request.GET), *_query_texts(request.COOKIES)]
    if request.method in ("POST", "PUT", "PATCH") and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            texts += _query_texts(request.POST)
            texts += [f.name or "" for f in request.FILES.values()]
        except MultiPartParserError:
            return CivicError(ErrorCode.MALFORMED_BODY)
    if any(NUL in text for text in texts):
        return nul_in_text()
    return None


def data_refusal(value) -> CivicError | None:
    """Why parsed input (a JSON body, a batch item) is refused, or None: a NUL in any string or key, an integer
    past 64 bits."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return nul_in_text()
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not INT64_MIN <= item <= INT64_MAX:
                return number_too_large()
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _query_texts(data) -> list[str]:
    """Every key and value of a QueryDict (or a plain dict of strings)."""
    lists = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    return [text for key, values in lists for text in (key, *values) if isinstance(text, str)]

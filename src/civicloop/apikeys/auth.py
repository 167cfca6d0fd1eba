"""Checking a presented key: `require_key(request, scope)` for plain views, `KeyAuth(scope)` for django-ninja.

A key is read from the `X-Api-Key` header, `Authorization: Bearer <key>`, or the `api_key` parameter (the Open311
spec's: form field on POST, query on GET — headers are preferred, a query string ends up in access logs). Every
accepted request counts against the key's per-minute limit (`core.ratelimit`, shared by all app servers), then
stamps `last_used_at` (at most once a minute)."""

from __future__ import annotations

from django.db import connection
from ninja.security import APIKeyHeader

from civicloop.core.errors import CivicError
from civicloop.core.ratelimit import rate_limit_hit
from civicloop.core.sql import Columns

from .constants import RATE_WINDOW_SECONDS
from .error_codes import KeyErrorCode
from .models import ApiKey
from .services import api_key_used, key_digest

HEADER = "X-Api-Key"
MAX_KEY_LENGTH = 200  # a real key is 56 characters; anything much longer is not one (and is not hashed)


def presented_key(request) -> str:
    """The key the request carries, or ""."""
    key = request.headers.get(HEADER, "")
    if not key:
        auth = request.headers.get("Authorization", "")
        if auth[:7].lower() == "bearer ":
            key = auth[7:]
    if not key:
        key = request.GET.get("api_key", "")
        if not key and request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            key = request.POST.get("api_key", "")
    return key.strip()


def key_check(key: str, scope: str) -> ApiKey:
    """The active key matching `key` that allows `scope`, its use counted; else a refusal (KeyErrorCode, or
    RATE_LIMITED past the key's limit)."""
    if not key:
        raise CivicError(KeyErrorCode.KEY_MISSING)
    row = _key_by_hash(key_digest(key)) if len(key) <= MAX_KEY_LENGTH else None
    if row is None:
        raise CivicError(KeyErrorCode.KEY_INVALID)
    if row.revoked:
        raise CivicError(KeyErrorCode.KEY_REVOKED)
    if not row.allows(scope):
        raise CivicError(KeyErrorCode.KEY_SCOPE)
    rate_limit_hit(f"apikey:{row.pk}", limit=row.rate_limit, window=RATE_WINDOW_SECONDS)
    api_key_used(row)
    return row


_KEY = Columns(ApiKey, None, "k")


def _key_by_hash(digest: str) -> ApiKey | None:
    """The key row with this digest — hand-written SQL (core.sql): asked on every machine request, where the ORM's
    compile of the lookup was a sixth of an Open311 list's time."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_KEY.select(connection)} FROM {qn(ApiKey._meta.db_table)} k "
                       f"WHERE k.{qn('key_hash')} = %s", [digest])
        found = cursor.fetchone()
    return _KEY.build(connection, found) if found is not None else None


def require_key(request, scope: str) -> ApiKey:
    """For a plain view: the request's key for `scope` (also set as `request.api_key`), or a CivicError."""
    row = key_check(presented_key(request), scope)
    request.api_key = row
    return row


class KeyAuth(APIKeyHeader):
    """django-ninja auth for an endpoint used by another system: `auth=KeyAuth(KeyScope.HOTLINE)`; the handler
    finds the key in `request.auth`. Refusals are our error body (the API's CivicError handler), with the key's
    status (401, 403 out of scope, 429 with Retry-After past its limit)."""

    param_name = HEADER

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def _get_key(self, request):
        return presented_key(request)

    def authenticate(self, request, key):
        return require_key(request, self.scope)

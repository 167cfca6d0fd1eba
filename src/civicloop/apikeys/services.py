"""The only writers of API keys: create (the key shown once), revoke, and the use stamp. Create and revoke each
write their audit row in the same transaction.

Why a plain SHA-256 and not the password hasher: a key is 32 random bytes (256 bits) — nothing to guess from a
dictionary, so a slow, salted hash adds no protection, while it would cost every machine request tens of
milliseconds (decision in docs/decisions.md). The digest is unique and indexed: one lookup finds the key."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write

from .constants import (
    KEY_LABEL,
    LAST_USED_EVERY_SECONDS,
    PREFIX_BYTES,
    RATE_LIMIT_MAX,
    SECRET_BYTES,
    KeyAuditAction,
    KeyScope,
)
from .models import ApiKey
from .permissions import may_act_for_key, may_manage_keys


def key_digest(key: str) -> str:
    """What is stored of a key and what a presented key is matched on."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _new_key() -> tuple[str, str]:
    """(prefix, whole key): fresh randomness from the operating system."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return prefix, f"{KEY_LABEL}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"


@transaction.atomic
def api_key_create(*, actor, name: str, scopes: list[str], rate_limit: int, acting_user_id: int | None = None,
                   district_id: int | None = None, ip: str | None = None) -> tuple[ApiKey, str]:
    """A new key of the actor's district (a superuser names it): the row and the key itself — the only time the
    key exists in clear; the caller shows it once and keeps it nowhere."""
    district_id = district_id if district_id is not None else actor.district_id
    if district_id is None or not may_manage_keys(actor, district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    name = (name or "").strip()
    scopes = sorted(set(scopes))
    if not name or not scopes or any(s not in KeyScope.values for s in scopes):
        raise CivicError(ErrorCode.INVALID, _("请填写名称并至少选择一种用途。"))
    if not 1 <= rate_limit <= RATE_LIMIT_MAX:
        raise CivicError(ErrorCode.INVALID, _("每分钟请求上限应在 1 至 %(max)s 之间。"), max=RATE_LIMIT_MAX)
    acting_user = None
    if acting_user_id is not None:
        acting_user = get_user_model().objects.filter(pk=acting_user_id).first()
        if acting_user is None or acting_user.district_id != district_id:
            raise not_found()
        if not may_act_for_key(acting_user, district_id):
            raise CivicError(ErrorCode.INVALID, _("该工作人员没有登记工单的权限。"))
    prefix, key = _new_key()
    row = ApiKey.objects.create(
        district_id=district_id, name=name[:100], prefix=prefix, key_hash=key_digest(key), scopes=scopes,
        acting_user=acting_user, rate_limit=rate_limit, created_by=actor)
    audit_write(action=KeyAuditAction.CREATE, user=actor, district_id=district_id, object_type="apikeys.apikey",
                object_id=row.pk, ip=ip, details={"name": row.name, "prefix": prefix, "scopes": scopes,
                                                  "rate_limit": rate_limit, "acting_user_id": acting_user_id})
    return row, key


@transaction.atomic
def api_key_revoke(*, actor, key_id: int, ip: str | None = None) -> ApiKey:
    """Revoke a key of the actor's district at once (its next request is refused). Revoking twice is refused."""
    row = ApiKey.objects.select_for_update().filter(pk=key_id).first()
    if row is None or not may_manage_keys(actor, row.district_id):
        raise not_found()
    if row.revoked:
        raise CivicError(ErrorCode.CONFLICT, _("该接口密钥已吊销。"))
    row.revoked_at, row.revoked_by = timezone.now(), actor
    row.save(update_fields=["revoked_at", "revoked_by"])
    audit_write(action=KeyAuditAction.REVOKE, user=actor, district_id=row.district_id, object_type="apikeys.apikey",
                object_id=row.pk, ip=ip, details={"name": row.name, "prefix": row.prefix})
    return row


def api_key_used(key: ApiKey, *, now: dt.datetime | None = None) -> None:
    """Stamp `last_used_at`, at most once a minute per key: one conditional UPDATE that writes nothing when the
    stamp is recent, so a busy client does not turn every read into a write."""
    now = now or timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < dt.timedelta(seconds=LAST_USED_EVERY_SECONDS):
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - dt.timedelta(seconds=LAST_USED_EVERY_SECONDS))
    ApiKey.objects.filter(stale, pk=key.pk).update(last_used_at=now)
    key.last_used_at = now

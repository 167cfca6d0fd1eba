"""Writers shared by every app: the log of unmasked personal data, the audit log, and their purge."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from .constants import RETENTION_MIN_DAYS, AuditAction, UnmaskReason
from .error_codes import CoreErrorCode
from .errors import CivicError, ErrorCode
from .models import AuditLog, UnmaskLog

RATE_WINDOW = dt.timedelta(hours=1)


@transaction.atomic
def personal_data_reveal(*, actor, obj, fields: tuple[str, ...], allowed: bool, object_id=None,
                         reason_code: str = "", reason: str = "") -> dict[str, str]:
    """The clear values of `fields` of `obj` (a row with a `district_id` the actor may see) by field name — the
    one way an app, or the admin, shows personal data unmasked. Refused, in this order: FORBIDDEN unless
    `allowed` (the app's rule, e.g. `cases.permissions.may_unmask`); UNMASK_REASON_REQUIRED without a
    `UnmaskReason` (and a text for OTHER: `unmask_reason_check`); UNMASK_RATE_LIMITED past the actor's limit of
    the last hour (`settings.UNMASK_LIMIT_PER_HOUR`, counted from UnmaskLog). Then the view is logged first
    (`unmask_log`: who, which object — `app.model` and `object_id`, by default its primary key —, which fields,
    why). Automatic work (an actor without a user row) needs no reason and is not logged."""
    if not allowed:
        raise CivicError(ErrorCode.FORBIDDEN)
    if getattr(actor, "pk", None) is not None:
        reason_code, reason = unmask_reason_check(reason_code, reason)
        unmask_rate_check(actor)
        unmask_log(user=actor, district_id=obj.district_id, object_type=obj._meta.label_lower,
                   object_id=obj.pk if object_id is None else object_id, fields=list(fields),
                   reason_code=reason_code, reason=reason)
    return {name: getattr(obj, name) for name in fields}


def unmask_reason_check(reason_code: str, reason: str) -> tuple[str, str]:
    """(code, text) cleaned, or UNMASK_REASON_REQUIRED: a known `UnmaskReason`, and a text when it is OTHER."""
    reason_code, reason = (reason_code or "").strip(), " ".join((reason or "").split())
    if reason_code not in UnmaskReason.values or (reason_code == UnmaskReason.OTHER and not reason):
        raise CivicError(CoreErrorCode.UNMASK_REASON_REQUIRED)
    return reason_code, reason


def unmask_rate_check(user) -> None:
    """UNMASK_RATE_LIMITED when `user` has already unmasked `settings.UNMASK_LIMIT_PER_HOUR` times in the last
    hour. Counted from the log itself (no cache to lose or share between processes); the user's row is locked
    first, so on PostgreSQL two concurrent reveals of one user are counted one after the other."""
    limit = settings.UNMASK_LIMIT_PER_HOUR
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    recent = UnmaskLog.objects.filter(user=user, at__gte=timezone.now() - RATE_WINDOW).count()
    if recent >= limit:
        raise CivicError(CoreErrorCode.UNMASK_RATE_LIMITED, limit=limit)


@transaction.atomic
def unmask_log(*, user, district_id: int | None, object_type: str, object_id, fields: list[str],
               reason_code: str = "", reason: str = "") -> UnmaskLog:
    """Record that `user` saw unmasked `fields` of an object. Call before returning the data."""
    return UnmaskLog.objects.create(
        user=user,
        district_id=district_id,
        object_type=object_type,
        object_id=str(object_id),
        fields=",".join(fields),
        reason_code=reason_code,
        reason=reason[:200],
    )


def audit_write(*, action: str, user=None, username: str = "", district_id: int | None = None,
                object_type: str = "", object_id="", ip: str | None = None, details: dict | None = None) -> AuditLog:
    """Append one audit row. `user` may be None (a failed login naming no account); `username` defaults to the
    user's. Never pass a secret in `details` — it is shown to administrators as written."""
    if user is not None:
        username = username or user.get_username()
        if district_id is None:
            district_id = user.district_id
    return AuditLog.objects.create(
        user=user, username=(username or "")[:150], district_id=district_id, action=action,
        object_type=object_type, object_id=str(object_id)[:64], ip=ip, details=details or {},
    )


def audit_object(actor, action: str, obj, *, username: str = "", **details) -> AuditLog:
    """The audit row of a service's change to `obj` (its district, `app_label.model` and id): what the apps'
    services write beside each state change."""
    return audit_write(action=action, user=actor, username=username, district_id=obj.district_id,
                       object_type=obj._meta.label_lower, object_id=obj.pk, details=details)


def text_required(value: str | None, label) -> str:
    """A required free text, stripped; INVALID naming `label` when empty."""
    from django.utils.translation import gettext_lazy as _

    value = (value or "").strip()
    if not value:
        raise CivicError(ErrorCode.INVALID, _("请填写%(field)s。"), field=label)
    return value


def log_retention_days() -> int:
    """`settings.LOG_RETENTION_DAYS`, refused below `RETENTION_MIN_DAYS` (settings refuse it at start too)."""
    days = int(settings.LOG_RETENTION_DAYS)
    if days < RETENTION_MIN_DAYS:
        raise ImproperlyConfigured(f"LOG_RETENTION_DAYS must be at least {RETENTION_MIN_DAYS} (it is {days})")
    return days


@transaction.atomic
def log_purge(*, actor=None, dry_run: bool = False, now: dt.datetime | None = None) -> dict:
    """Delete the UnmaskLog and AuditLog rows older than the retention (`log_retention_days`) — the one path
    that removes log rows: plain SQL, with `civicloop.purge = on` for this transaction, which the PostgreSQL
    trigger requires (and it still refuses rows younger than the floor). Writes one audit row with the counts
    (also for a dry run, which deletes nothing). Returns {"cutoff", "unmask_log", "audit_log", "dry_run"}."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=log_retention_days())
    counts = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not dry_run:
            cursor.execute("SET LOCAL civicloop.purge = 'on'")
        for key, model in (("unmask_log", UnmaskLog), ("audit_log", AuditLog)):
            if dry_run:
                counts[key] = model.objects.filter(at__lt=cutoff).count()
            else:
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE at < %s", [cutoff])
                counts[key] = cursor.rowcount
        if connection.vendor == "postgresql" and not dry_run:
            cursor.execute("SET LOCAL civicloop.purge = 'off'")
    result = {"cutoff": cutoff.isoformat(), "dry_run": dry_run, **counts}
    audit_write(action=AuditAction.LOG_PURGE, user=actor, username="" if actor else "system", details=result)
    return result

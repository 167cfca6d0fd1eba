"""Writers shared by every app: the log of unmasked personal data."""

from django.db import transaction

from .errors import CivicError, ErrorCode
from .models import AuditLog, UnmaskLog


@transaction.atomic
def personal_data_reveal(*, actor, obj, fields: tuple[str, ...], allowed: bool, object_id=None,
                         reason: str = "") -> dict[str, str]:
    """The clear values of `fields` of `obj` (a `TenantModel` row the actor may see) by field name — the one way
    an app shows personal data unmasked. FORBIDDEN unless `allowed` (the app's rule, e.g.
    `cases.permissions.may_unmask`); otherwise the view is logged first (`unmask_log`: who, which object —
    `app.model` and `object_id`, by default its primary key —, which fields, why). Automatic work (an actor
    without a user row) is not logged."""
    if not allowed:
        raise CivicError(ErrorCode.FORBIDDEN)
    if getattr(actor, "pk", None) is not None:
        unmask_log(user=actor, district_id=obj.district_id, object_type=obj._meta.label_lower,
                   object_id=obj.pk if object_id is None else object_id, fields=list(fields), reason=reason)
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def unmask_log(*, user, district_id: int, object_type: str, object_id, fields: list[str], reason: str = "") -> UnmaskLog:
    """Record that `user` saw unmasked `fields` of an object. Call before returning the data."""
    return UnmaskLog.objects.create(
        user=user,
        district_id=district_id,
        object_type=object_type,
        object_id=str(object_id),
        fields=",".join(fields),
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

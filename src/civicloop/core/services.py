from django.db import transaction

from .models import AuditLog, UnmaskLog


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

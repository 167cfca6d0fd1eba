from django.db import transaction

from .models import UnmaskLog


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

"""Reading attachments: always through the owner's rule (`owners.may_see`), as the viewer's request (the rule may
need the session — the portal's proof — as well as the user). Out of reach answers NOT_FOUND, like missing."""

from __future__ import annotations

from civicloop.core.errors import not_found

from .models import Attachment
from .owners import may_see


def attachment_get_for(request, key: str) -> Attachment:
    attachment = Attachment.objects.filter(key=key).first() if len(key) == 32 else None
    if attachment is None or not may_see(request, attachment):
        raise not_found()
    return attachment


def attachments_by_key(keys) -> dict[str, Attachment]:
    """The rows of refs an owner already showed its viewer (a case's timeline): for their sizes and shapes."""
    return {a.key: a for a in Attachment.objects.filter(key__in=list(keys))}


def attachments_of(owner_kind: str, owner_id: int, limit: int = 20) -> list[Attachment]:
    """The files of one owner, oldest first (the owning app has already decided its viewer may see the owner;
    the file view asks the owner's rule again)."""
    return list(Attachment.objects.filter(owner_kind=owner_kind, owner_id=owner_id).order_by("id")[:limit])

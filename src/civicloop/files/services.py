"""The only writers of attachments, in two steps around the owner's own write:

    checked = [check_file(read_upload(f), name=f.name) for f in uploads]   # checking.py: pure, before anything
    pending = attachments_write(checked)        # the bytes on disk under random names, before the transaction
    with transaction.atomic():
        thing = owner_service(..., attachments=[p.ref for p in pending])    # the owner's event lists the refs
        attachments_attach(pending=pending, owner_kind="cases.case", owner_id=thing.pk, district_id=…)

so the slow part (decoding, writing) holds no lock, and the owner's event (a case's `CaseEvent.attachments`) names
the files it came with. A caller whose transaction fails calls `attachments_discard(pending)`; a file whose row
never came (a process dying in between) is unreachable — no URL names it — and `attachments_orphans_purge` removes it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.db import transaction

from civicloop.core.errors import CivicError, ErrorCode

from . import storage
from .checking import Checked
from .models import Attachment
from .owners import known_kind


@dataclass(frozen=True)
class Pending:
    """A checked file written to disk, not yet attached to its owner."""

    checked: Checked
    key: str
    storage_name: str

    @property
    def ref(self) -> dict:
        """What the owner's event stores about the file (CaseEvent.attachments): never the storage name."""
        return {"key": self.key, "name": self.checked.name, "kind": self.checked.kind}


def attachments_write(checked: list[Checked]) -> list[Pending]:
    """Write each checked file under a new random name (nothing in the database yet)."""
    pending = []
    try:
        for item in checked:
            p = Pending(checked=item, key=secrets.token_hex(16), storage_name=storage.new_storage_name())
            storage.write(p.storage_name, item.data)
            pending.append(p)
    except BaseException:
        attachments_discard(pending)
        raise
    return pending


def attachments_discard(pending: list[Pending]) -> None:
    """Remove written files whose owner was not written after all."""
    for p in pending:
        storage.remove(p.storage_name)


@transaction.atomic
def attachments_attach(*, pending: list[Pending], owner_kind: str, owner_id: int, district_id: int,
                       uploaded_by=None) -> list[Attachment]:
    """The rows of written files, belonging to (`owner_kind`, `owner_id`) — a kind some app declared a rule for
    (else INVALID: a file nobody may ever see is a programming error). `uploaded_by`: a user, or None for the
    public and the system."""
    if not known_kind(owner_kind):
        raise CivicError(ErrorCode.INVALID)
    rows = [Attachment(district_id=district_id, key=p.key, owner_kind=owner_kind, owner_id=owner_id,
                       kind=p.checked.kind, content_type=p.checked.content_type, name=p.checked.name,
                       size=len(p.checked.data), width=p.checked.width, height=p.checked.height,
                       storage_name=p.storage_name, metadata_kept=p.checked.metadata_kept,
                       uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None)
            for p in pending]
    return Attachment.objects.bulk_create(rows)


def attachments_orphans_purge(*, older_than: int = 86_400, now: float | None = None) -> int:
    """Remove stored files that no row names and that are older than `older_than` seconds (a write whose owner
    failed and was not discarded). Returns how many."""
    now = time.time() if now is None else now
    root = storage.files_root()
    if not root.exists():
        return 0
    removed = 0
    for path in root.glob("??/*"):
        if path.stat().st_mtime > now - older_than:
            continue
        if not Attachment.objects.filter(storage_name=path.name).exists():
            path.unlink(missing_ok=True)
            removed += 1
    return removed

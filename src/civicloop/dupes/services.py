"""The dupes app's one writer: fold suggested duplicates into a case, each through the cases app's merge service
(`case_merge`: its checks, its event, the target's reply reaching the merged reporters)."""

from __future__ import annotations

from django.db import transaction

from civicloop.cases import services as case_services
from civicloop.cases.models import Case


@transaction.atomic
def duplicates_merge(*, actor, case_id: int, duplicate_ids: list[int], note: str = "") -> list[Case]:
    """Merge every case of `duplicate_ids` into `case_id`, all or none (a refusal of one undoes the others). The
    index follows by the merge events (`index.Index.ensure_fresh`)."""
    merged = []
    for dup_id in dict.fromkeys(duplicate_ids):  # once each, in the order given
        merged.append(case_services.case_merge(actor=actor, case_id=dup_id, into_case_id=case_id, note=note))
    return merged

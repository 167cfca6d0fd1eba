"""The event log: what an event records, and the snapshot of a case that events project to.

Every change to a tracked field of a Case is written as one CaseEvent whose `before`/`after` hold exactly the
tracked fields that changed (JSON-ready values). The `register` event's `after` holds all of them, so folding
`after` over the events in `seq` order (replay.py) rebuilds the row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from civicloop.core.sql import insert

from .models import Case, CaseEvent

# The Case fields that are the projection of the event log (co_unit_ids stands for the M2M).
TRACKED_FIELDS = (
    "state", "category_id", "urgency", "layer", "dispatching_unit_id", "lead_unit_id", "co_unit_ids",
    "time_limit_days", "dispatched_at", "deadline", "yellow_at", "deadline_provisional", "resolved_at", "replied_at",
    "closed_at",
    "satisfaction", "return_count", "unsatisfied_count", "merged_into_id", "version",
)


def json_value(value):
    """A field value as the event log stores it: datetimes in UTC ISO form, decimals as text, sets sorted."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(value)
    return value


def snapshot(case: Case, co_unit_ids=None) -> dict:
    """The tracked fields of `case` as JSON-ready values (co_unit_ids queried unless given)."""
    data = {}
    for name in TRACKED_FIELDS:
        if name == "co_unit_ids":
            ids = co_unit_ids if co_unit_ids is not None else case.co_unit_links.values_list("unit_id", flat=True)
            data[name] = sorted(ids)
        else:
            data[name] = json_value(getattr(case, name))
    return data


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """The fields of `after` that differ from `before`: their old values (only those `before` has — a
    registration has no before, so its event's `before` is `{}`, as the demo writes it) and their new ones."""
    missing = object()
    changed = [k for k in after if before.get(k, missing) != after[k]]
    return {k: before[k] for k in changed if k in before}, {k: after[k] for k in changed}


def event_write(*, case: Case, actor, action: str, before: dict, after: dict, note: str = "",
                attachments: list | None = None, at=None) -> CaseEvent:
    """Append the event for the change `before` → `after` (full snapshots or partial dicts). seq = new version."""
    event = event_build(case=case, actor=actor, action=action, before=before, after=after, note=note,
                        attachments=attachments, at=at)
    insert(event)  # the ORM's insert without its compile (decision 30)
    return event


def event_build(*, case: Case, actor, action: str, before: dict, after: dict, note: str = "",
                attachments: list | None = None, at=None) -> CaseEvent:
    """The unsaved event `event_write` stores (a bulk intake inserts many at once)."""
    b, a = diff(before, after)
    return CaseEvent(
        district_id=case.district_id,
        case=case,
        seq=case.version,
        actor=None if getattr(actor, "pk", None) is None else actor,
        actor_unit_id=getattr(actor, "unit_id", None),
        at=at or timezone.now(),
        action=action,
        before=b,
        after=a,
        note=note,
        attachments=list(attachments or []),
    )

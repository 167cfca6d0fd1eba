"""Background jobs: idempotent wrappers around services."""

from __future__ import annotations

from django_tasks import task

from .services import rollups_refresh


@task()
def refresh_rollups() -> int:
    """Fold the case events written since the last run into the facts and rollups (enqueued every minute by
    `civicloop scheduler`; at-least-once safe)."""
    return rollups_refresh()

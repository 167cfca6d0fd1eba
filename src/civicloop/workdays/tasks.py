"""Background jobs of the calendar: telling the other apps that a year became official."""

from __future__ import annotations

import logging

from django_tasks import task

from civicloop.core import registry

log = logging.getLogger(__name__)


@task()
def calendar_year_changed(year: int, source: str = "") -> int:
    """Call every app's `calendar_listeners` (core.registry) with the year an administrator confirmed or loaded,
    after its commit (`services.announce_after_commit`). One listener failing does not keep the others from
    hearing it; the task then fails (recorded by the queue). Each listener is idempotent, so running this again
    — or confirming the year again — is safe. Returns how many listeners were told."""
    listeners = registry.calendar_listeners()
    failed = []
    for listener in listeners:
        try:
            listener(year=year, source=source)
        except Exception as exc:
            log.exception("calendar year %s: listener %s.%s failed", year, listener.__module__, listener.__name__)
            failed.append(exc)
    if failed:
        raise failed[0]
    return len(listeners)

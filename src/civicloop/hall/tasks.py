"""Background jobs of the hall: idempotent wrappers around its services."""

from __future__ import annotations

from django_tasks import task


@task()
def close_due() -> int:
    """Close and tally the votes past their deadline (a committee may still close one itself, at the deadline or
    once every household has voted)."""
    from .services import votes_close_due

    return votes_close_due()

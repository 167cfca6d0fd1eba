"""Background jobs of the project itself (not of one app): idempotent, declared on `CoreConfig.periodic_tasks`."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django_tasks import task

# How long the truncating checkpoint may wait for the last writer and for readers of older snapshots. While it
# waits, new writers wait too (SQLite blocks them for a pending FULL/RESTART/TRUNCATE checkpoint): keep it short.
CHECKPOINT_WAIT_MS = 2000


def wal_checkpoint_now(*, using: str = DEFAULT_DB_ALIAS, wait_ms: int = CHECKPOINT_WAIT_MS) -> dict | None:
    """Copy SQLite's write-ahead log into the database and cut the `-wal` file back to nothing.

    SQLite's own automatic checkpoint is PASSIVE: it never waits, so while the web threads keep reading and
    writing it never finds the moment to start the log over, and the file grows for as long as the load lasts
    (and keeps its size: `journal_size_limit` only trims it when the log restarts). A TRUNCATE checkpoint waits
    — at most `wait_ms` — for that moment. When readers still hold older snapshots after the wait, SQLite
    carries on as a PASSIVE checkpoint (copies what it can, answers busy): the log is not cut this time, the
    next run tries again.

    Returns {"mode", "busy", "log_frames", "checkpointed_frames"} (`mode` "truncate", or "passive" when it had
    to settle for less), or None when the database is not SQLite (PostgreSQL manages its own WAL).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    if connection.in_atomic_block:
        raise RuntimeError("a WAL checkpoint cannot run inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (timeout_ms,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, log, done = cursor.fetchone()
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
    return {"mode": "passive" if busy else "truncate", "busy": bool(busy), "log_frames": log,
            "checkpointed_frames": done}


@task()
def wal_checkpoint() -> dict | None:
    """The periodic checkpoint (`CoreConfig.periodic_tasks`): a no-op on PostgreSQL."""
    return wal_checkpoint_now()


@task()
def rate_counts_purge() -> int:
    """The periodic clean-up of past rate-limit windows (`CoreConfig.periodic_tasks`)."""
    from .ratelimit import rate_counts_purge as purge

    return purge()

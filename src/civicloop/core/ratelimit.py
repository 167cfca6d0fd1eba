"""Per-client rate limits shared by every app: fixed windows counted in the database.

`rate_limit_hit("portal:report:ip:203.0.113.9", limit=10, window=3600)` counts one attempt and refuses
(RATE_LIMITED, HTTP 429, with the limit and when to retry) once the window's count passes `limit`. The count is
one upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, SQLite ≥ 3.35 and PostgreSQL alike) in its own
autocommit statement: call it *before* the work's transaction, so a refused or failed attempt still counts and a
rollback of the work does not give the attempt back. The database, not a process's memory, so all app servers
behind a proxy count together (issue 20). `settings.RATE_LIMIT_SCALE` (CIVICLOOP_RATE_LIMIT_SCALE) multiplies
every limit: the bench's clients all come from one loopback address.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection

from .error_codes import CoreErrorCode
from .errors import CivicError
from .models import RateCount

_TABLE = RateCount._meta.db_table


def rate_limit_hit(key: str, *, limit: int, window: int, now: float | None = None) -> int:
    """Count one attempt of `key` in the current `window`-second window; the count so far (this one included),
    or RATE_LIMITED when it is more than `limit`."""
    now = time.time() if now is None else now
    limit = max(1, round(limit * settings.RATE_LIMIT_SCALE))
    start = int(now) // window * window
    qn = connection.ops.quote_name
    table, key_col, count_col = qn(_TABLE), qn("key"), qn("count")
    sql = (f"INSERT INTO {table} ({key_col}, window_start, {count_col}) VALUES (%s, %s, 1) "
           f"ON CONFLICT ({key_col}, window_start) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
           f"RETURNING {count_col}")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # its own transaction without waiting for the WAL flush: a count lost by a crash within the last fraction
        # of a second is harmless, and the wait was most of an API call's time (12 ms of 26 on the bench's disk).
        # One statement in autocommit (the setting read in it, local to its transaction): one round trip, not
        # BEGIN, SET LOCAL, the upsert and COMMIT
        async_sql = (f"INSERT INTO {table} ({key_col}, window_start, {count_col}) SELECT %s, %s, 1 FROM (SELECT "
                     f"set_config('synchronous_commit', 'off', true)) AS async "
                     f"ON CONFLICT ({key_col}, window_start) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
                     f"RETURNING {count_col}")
        with connection.cursor() as cursor:
            cursor.execute(async_sql, [key[:200], start])
            count = cursor.fetchone()[0]
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [key[:200], start])
            count = cursor.fetchone()[0]
    if count > limit:
        raise CivicError(CoreErrorCode.RATE_LIMITED, limit=limit, minutes=max(1, window // 60),
                         retry_after=start + window - int(now))
    return count


def rate_counts_purge(*, older_than: int = 86_400, now: float | None = None) -> int:
    """Remove the counters of windows that started more than `older_than` seconds ago."""
    now = time.time() if now is None else now
    return RateCount.objects.filter(window_start__lt=int(now) - older_than).delete()[0]

"""Tracking numbers (`XH2026-0004711`) and the advisory locks that keep a batch's external ids apart: the
number-taking half of intake, kept apart from the checks and writes in `intake.py`."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from ..models import CaseCounter


def tracking_prefix(district: Place) -> str:
    return district.abbr or district.code[:6]


def next_tracking_code(*, district_id: int, when, apart: bool = False) -> str:
    """`XH2026-0004711`: district abbreviation, year, 7-digit sequence per district and year.

    One `UPDATE … RETURNING` takes the number (the row lock serialises concurrent registrations until commit;
    a rolled-back registration gives its number back). The prefix is stored on the year's counter row when the
    year's first case creates it, so a year's codes share one prefix.
    `apart` (PostgreSQL, outside any transaction): the number is taken in one statement committed on its own,
    without waiting for the log's flush (`intake._register_numbered_first` says why that is safe).
    """
    if apart and connection.vendor == "postgresql" and not connection.in_atomic_block:
        year = timezone.localtime(when).year
        with connection.cursor() as cursor:  # autocommit: the statement is its own transaction
            cursor.execute(f"UPDATE {CaseCounter._meta.db_table} SET last = last + 1 FROM (SELECT set_config("
                           f"'synchronous_commit', 'off', true)) AS async WHERE district_id = %s AND year = %s "
                           f"RETURNING last, prefix", [district_id, year])
            row = cursor.fetchone()
        if row is not None:
            return f"{row[1]}{year}-{row[0]:07d}"
        with transaction.atomic():  # the year's first case: the counter row is created as usual
            return tracking_codes(district_id=district_id, when=when, count=1)[0]
    return tracking_codes(district_id=district_id, when=when, count=1)[0]


def tracking_codes(*, district_id: int, when, count: int) -> list[str]:
    """`count` consecutive tracking codes of the district and year of `when` (see `next_tracking_code`)."""
    year = timezone.localtime(when).year
    table = CaseCounter._meta.db_table
    sql = f"UPDATE {table} SET last = last + %s WHERE district_id = %s AND year = %s RETURNING last, prefix"
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, district_id, year])
        row = cursor.fetchone()
        if row is None:
            district = Place.objects.get(pk=district_id, level=PlaceLevel.DISTRICT)
            try:
                with transaction.atomic():
                    CaseCounter.objects.create(district=district, year=year, last=count,
                                               prefix=tracking_prefix(district))
                row = (count, tracking_prefix(district))
            except IntegrityError:  # created concurrently: take the next numbers from the existing row
                cursor.execute(sql, [count, district_id, year])
                row = cursor.fetchone()
    last, prefix = row
    return [f"{prefix}{year}-{n:07d}" for n in range(last - count + 1, last + 1)]


def give_back(*, district_id: int, when, last_code: str, count: int) -> bool:
    """Return the last `count` numbers of a reservation ending at `last_code`, if nobody has taken a number
    since (else they stay unused: a gap)."""
    year = timezone.localtime(when).year
    last = int(last_code.rsplit("-", 1)[1])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {CaseCounter._meta.db_table} SET last = last - %s WHERE district_id = %s AND "
                       f"year = %s AND last = %s", [count, district_id, year, last])
        return cursor.rowcount == 1


@contextmanager
def external_id_locks(keys):
    """On PostgreSQL, hold an advisory lock per (district, channel, external id) of the batch while it looks
    them up and writes: two requests carrying the same ids (a sender retrying while its first attempt still
    runs) then run one after the other, so the second finds the first's cases and reserves no numbers for
    them. Taken in one sorted order (no deadlock between batches); released even when the batch fails."""
    if connection.vendor != "postgresql" or not keys:
        yield
        return
    ids = sorted({int.from_bytes(hashlib.blake2b(repr(k).encode(), digest_size=8).digest(), "big", signed=True)
                  for k in keys})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_lock(k)) FROM unnest(%s::bigint[]) AS t(k)",
                       [ids])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(pg_advisory_unlock(k)) FROM unnest(%s::bigint[]) AS t(k)", [ids])

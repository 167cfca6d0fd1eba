"""Recognition lists (最美志愿者 …) by rule (pure): who is listed from (key, hours) totals.

Members with at least `min_hours` are ranked by hours, highest first; equal hours share a rank (1, 2, 2, 4); the
list holds every member whose rank is within `top_n` — so a tie at the last place lists all of the tied (a rule
must not pick one of two people with the same hours by an accident of ids). Order within a rank: `key`'s order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Listed:
    rank: int
    key: object
    hours: Decimal


def recognised(totals, *, top_n: int, min_hours: Decimal) -> list[Listed]:
    rows = sorted(((k, Decimal(h)) for k, h in totals if h is not None and Decimal(h) >= min_hours),
                  key=lambda r: (-r[1], r[0]))
    out: list[Listed] = []
    rank, last = 0, None
    for n, (key, hours) in enumerate(rows, start=1):
        if hours != last:
            rank, last = n, hours
        if rank > top_n:
            break
        out.append(Listed(rank, key, hours))
    return out

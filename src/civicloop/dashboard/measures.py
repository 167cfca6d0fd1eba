"""What the rollups count: each `Measure` is one column of `DailyRollup`, defined once over a case's fact.

A measure counts the cases whose fact has a date in its `day` field (the day the rollup row is for) and all of its
`flags` true — or sums their `weight` field instead of counting them. The rollups add each case's contributions
(`contributions`); the drill-down lists the same cases with `Measure.q` — one definition, so the list behind a
figure has the figure's count. The KPIs (metrics.py) are ratios, counts and averages of these columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Measure:
    name: str  # the DailyRollup column
    day: str  # the CaseFact date field: the time basis
    flags: tuple[str, ...] = ()  # CaseFact booleans that must all be true
    weight: str | None = None  # a CaseFact integer summed instead of counting (an average's numerator)

    def holds(self, fact: dict) -> bool:
        return fact[self.day] is not None and all(fact[flag] for flag in self.flags)

    def amount(self, fact: dict) -> int:
        return fact[self.weight] if self.weight else 1

    def q(self, start: dt.date, end: dt.date, prefix: str = "") -> Q:
        """Over CaseFact (or, with `prefix`, a model related to it): the cases counted for days start ≤ day ≤ end."""
        return Q(**{f"{prefix}{self.day}__gte": start, f"{prefix}{self.day}__lte": end},
                 **{f"{prefix}{flag}": True for flag in self.flags})


# "counted": neither merged nor withdrawn — every measure but intake leaves those out (docs/kpis.md).
MEASURES: tuple[Measure, ...] = (
    Measure("intake", "registered_day"),
    Measure("intake_counted", "registered_day", ("counted",)),
    Measure("intake_resolved", "registered_day", ("counted", "resolved")),
    Measure("dispatched", "dispatched_day", ("counted",)),
    Measure("accepted_on_time", "dispatched_day", ("counted", "accepted_on_time")),
    Measure("returned", "dispatched_day", ("counted", "returned")),
    Measure("returned_twice", "dispatched_day", ("counted", "returned_twice")),
    Measure("resolved", "resolved_day", ("counted", "resolved")),
    Measure("resolved_on_time", "resolved_day", ("counted", "resolved", "resolved_on_time")),
    Measure("reopened", "resolved_day", ("counted", "resolved", "reopened")),
    Measure("handling_days", "resolved_day", ("counted", "resolved"), weight="handling_days"),
    Measure("rated", "rated_day", ("counted",)),
    Measure("satisfied", "rated_day", ("counted", "satisfied")),
    Measure("overdue", "deadline_day", ("counted", "overdue")),
    Measure("supervised", "supervised_day", ("counted",)),
    Measure("escalated", "escalated_day", ("counted",)),
)
BY_NAME = {m.name: m for m in MEASURES}
# The dimensions of a rollup row besides its district and day (CaseFact has the same columns).
DIMENSIONS = ("street_id", "community_id", "lead_unit_id", "category_id", "channel", "appeal_type")


def contributions(fact: dict | None) -> dict[tuple, dict[str, int]]:
    """What one case's fact adds to the rollups: {(district_id, day, *DIMENSIONS): {measure: amount}}."""
    out: dict[tuple, dict[str, int]] = {}
    if fact is None:
        return out
    dims = tuple(fact[d] for d in DIMENSIONS)
    for measure in MEASURES:
        if measure.holds(fact):
            key = (fact["district_id"], fact[measure.day], *dims)
            row = out.setdefault(key, {})
            row[measure.name] = row.get(measure.name, 0) + measure.amount(fact)
    return out

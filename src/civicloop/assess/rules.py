"""The scoring rules: small pure functions from a value (or a count of items) to points, with the terms that make
them up. No database, no settings: the evaluation (evaluation.py) and the tests call the same functions.

Every result is full marks plus or minus named terms (`Scored.terms`), and the terms always add up to the points —
the provenance of a score is that sum, so "why 21.50 and not 25?" reads as "full marks 25, below target −3.50".
Points are Decimals rounded half up to two places; a rate is in per cent (95.00, not 0.95).

- `linear`: the value placed between a floor (0 points) and the target (full marks) on a straight line; past the
  target up to `cap` (default: full marks), never below 0. Works for both directions: for "lower is better" the
  floor is the high, bad value.
- `threshold`: full marks when the target is met, else in proportion (value ÷ target; for "lower is better",
  target ÷ value).
- `deduction`: full marks less `per_item` for each item (a finding, a late case), at most `cap` (default: full marks).
- `bonus`: `per_item` for each item up to `cap`, on top of full marks (full marks 0: it is not in the total's base).

A value of None (no cases in the period, nothing entered) scores by `no_data`: full marks for the objective
rules (nothing went wrong; decision in docs/decisions.md), and the caller says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .constants import Direction

CENT = Decimal("0.01")
ZERO = Decimal("0")

# the terms of a score (their labels: evaluation.TERM_LABELS)
FULL = "full"  # full marks
SHORTFALL = "shortfall"  # below target
EXCESS = "excess"  # above target (linear, up to the cap)
DEDUCTION = "deduction"  # per item, capped
BONUS = "bonus"  # per item, capped
NO_DATA = "no_data"  # no value: full marks


def points(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Scored:
    points: Decimal
    terms: tuple[tuple[str, Decimal], ...]  # (term, signed points); their sum is `points`

    def as_json(self) -> list:
        return [[name, str(amount)] for name, amount in self.terms]


def _against_full(full: Decimal, got: Decimal) -> Scored:
    got = points(got)
    if got == full:
        return Scored(got, ((FULL, full),))
    return Scored(got, ((FULL, full), (EXCESS if got > full else SHORTFALL, got - full)))


def linear(value: Decimal | None, *, weight: Decimal, target: Decimal, floor: Decimal,
           cap: Decimal | None = None) -> Scored:
    """weight × (value − floor) ÷ (target − floor), between 0 and `cap` (default `weight`). The direction is in
    the order of floor and target (floor < target: higher is better)."""
    weight = points(weight)
    if value is None:
        return Scored(weight, ((FULL, weight),))
    if target == floor:
        raise ValueError("target equals floor")
    cap = weight if cap is None else points(cap)
    raw = weight * (Decimal(value) - floor) / (target - floor)
    return _against_full(weight, min(max(raw, ZERO), cap))


def threshold(value: Decimal | None, *, weight: Decimal, target: Decimal, direction: str) -> Scored:
    """Full marks when the target is met; otherwise weight × value ÷ target (higher is better) or
    weight × target ÷ value (lower is better)."""
    weight = points(weight)
    if value is None:
        return Scored(weight, ((FULL, weight),))
    value = Decimal(value)
    if direction == Direction.HIGHER:
        met = value >= target
        raw = weight * value / target if target > 0 else weight
    else:
        met = value <= target
        raw = weight * target / value if value > 0 else weight
    return _against_full(weight, weight if met else min(max(raw, ZERO), weight))


def deduction(count: int | Decimal | None, *, weight: Decimal, per_item: Decimal, cap: Decimal | None = None) -> Scored:
    """Full marks less per_item × count, the deduction at most `cap` (default `weight`)."""
    weight = points(weight)
    count = Decimal(count or 0)
    cap = weight if cap is None else points(cap)
    taken = points(min(per_item * count, cap))
    if taken <= 0:
        return Scored(weight, ((FULL, weight),))
    return Scored(weight - taken, ((FULL, weight), (DEDUCTION, -taken)))


def bonus(count: int | Decimal | None, *, per_item: Decimal, cap: Decimal) -> Scored:
    """per_item × count, at most `cap`; its full marks are 0 (a bonus is on top of the total's base)."""
    got = points(min(per_item * Decimal(count or 0), cap))
    return Scored(got, ((BONUS, got),) if got else ((FULL, ZERO),))

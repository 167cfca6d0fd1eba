"""Each scoring rule on hand-computed examples; the terms always add up to the points."""

from decimal import Decimal as D

import pytest

from civicloop.assess import rules
from civicloop.assess.constants import Direction


def check(scored, points, terms):
    assert scored.points == D(points)
    assert [(name, str(amount)) for name, amount in scored.terms] == terms
    assert sum(amount for _n, amount in scored.terms) == scored.points


def test_linear_higher_is_better():
    # 25 × (90 − 70) ÷ (95 − 70) = 20
    check(rules.linear(D("90"), weight=D(25), target=D(95), floor=D(70)), "20.00",
          [("full", "25.00"), ("shortfall", "-5.00")])
    # below the floor: 0, never negative
    check(rules.linear(D("60"), weight=D(25), target=D(95), floor=D(70)), "0.00",
          [("full", "25.00"), ("shortfall", "-25.00")])
    # past the target: full marks (cap = weight by default) …
    check(rules.linear(D("99"), weight=D(25), target=D(95), floor=D(70)), "25.00", [("full", "25.00")])
    # … or up to the cap: 25 × 29 ÷ 25 = 29, capped at 27
    check(rules.linear(D("99"), weight=D(25), target=D(95), floor=D(70), cap=D(27)), "27.00",
          [("full", "25.00"), ("excess", "2.00")])


def test_linear_lower_is_better_and_rounding():
    # 10 × (6 − 15) ÷ (3 − 15) = 7.5
    check(rules.linear(D("6"), weight=D(10), target=D(3), floor=D(15)), "7.50",
          [("full", "10.00"), ("shortfall", "-2.50")])
    # 10 × 1 ÷ 3 = 3.333… → 3.33 (half up)
    check(rules.linear(D("1"), weight=D(10), target=D(3), floor=D(0)), "3.33",
          [("full", "10.00"), ("shortfall", "-6.67")])
    # 10 × 0.5 ÷ 3 = 1.6666… → 1.67
    assert rules.linear(D("0.5"), weight=D(10), target=D(3), floor=D(0)).points == D("1.67")


def test_linear_without_a_value_is_full_marks():
    check(rules.linear(None, weight=D(25), target=D(95), floor=D(70)), "25.00", [("full", "25.00")])


def test_linear_refuses_target_equal_to_floor():
    with pytest.raises(ValueError):
        rules.linear(D(1), weight=D(5), target=D(3), floor=D(3))


def test_threshold():
    check(rules.threshold(D(95), weight=D(10), target=D(95), direction=Direction.HIGHER), "10.00", [("full", "10.00")])
    # 10 × 76 ÷ 95 = 8
    check(rules.threshold(D(76), weight=D(10), target=D(95), direction=Direction.HIGHER), "8.00",
          [("full", "10.00"), ("shortfall", "-2.00")])
    # lower is better: 10 × 5 ÷ 8 = 6.25
    check(rules.threshold(D(8), weight=D(10), target=D(5), direction=Direction.LOWER), "6.25",
          [("full", "10.00"), ("shortfall", "-3.75")])
    check(rules.threshold(D(4), weight=D(10), target=D(5), direction=Direction.LOWER), "10.00", [("full", "10.00")])


def test_deduction():
    # 7 items × 0.5 = 3.5
    check(rules.deduction(7, weight=D(10), per_item=D("0.5")), "6.50", [("full", "10.00"), ("deduction", "-3.50")])
    # 30 × 0.5 = 15, at most the full marks
    check(rules.deduction(30, weight=D(10), per_item=D("0.5")), "0.00", [("full", "10.00"), ("deduction", "-10.00")])
    # at most the cap
    check(rules.deduction(30, weight=D(10), per_item=D("0.5"), cap=D(5)), "5.00",
          [("full", "10.00"), ("deduction", "-5.00")])
    check(rules.deduction(0, weight=D(10), per_item=D("0.5")), "10.00", [("full", "10.00")])
    check(rules.deduction(None, weight=D(10), per_item=D("0.5")), "10.00", [("full", "10.00")])


def test_bonus():
    check(rules.bonus(2, per_item=D(2), cap=D(6)), "4.00", [("bonus", "4.00")])
    check(rules.bonus(5, per_item=D(2), cap=D(6)), "6.00", [("bonus", "6.00")])
    check(rules.bonus(0, per_item=D(2), cap=D(6)), "0.00", [("full", "0")])

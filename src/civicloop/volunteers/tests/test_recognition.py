"""Recognition lists by rule, on hand-made totals: minimum hours, top N, ties at the cut-off all listed."""

from decimal import Decimal as D

from civicloop.volunteers.recognition import recognised


def keys(rows):
    return [(r.rank, r.key) for r in rows]


def test_top_n_by_hours_above_the_minimum():
    totals = [("a", D("10")), ("b", D("50")), ("c", D("30")), ("d", D("5")), ("e", D("40"))]
    assert keys(recognised(totals, top_n=3, min_hours=D("8"))) == [(1, "b"), (2, "e"), (3, "c")]


def test_the_minimum_cuts_even_inside_the_top_n():
    totals = [("a", D("19.99")), ("b", D("20.00")), ("c", D("50"))]
    assert keys(recognised(totals, top_n=10, min_hours=D("20"))) == [(1, "c"), (2, "b")]


def test_a_tie_at_the_last_place_lists_every_tied_member():
    totals = [("a", D("30")), ("b", D("20")), ("c", D("20")), ("d", D("10"))]
    assert keys(recognised(totals, top_n=2, min_hours=D("0"))) == [(1, "a"), (2, "b"), (2, "c")]
    # a tie above the cut-off pushes the next one out: ranks 1, 1, 3
    totals = [("a", D("30")), ("b", D("30")), ("c", D("20"))]
    assert keys(recognised(totals, top_n=2, min_hours=D("0"))) == [(1, "a"), (1, "b")]


def test_nothing_listed_without_hours():
    assert recognised([], top_n=5, min_hours=D("0")) == []
    assert recognised([("a", None)], top_n=5, min_hours=D("0")) == []

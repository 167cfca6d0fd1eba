"""The demo's shortcuts give what the slower calls they replace give (no database)."""

import datetime as dt
import json
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from civicloop.cases import demo as cases_demo
from civicloop.core.bulk import _json, sqlite_datetime


def test_weighted_draws_are_choices_draws():
    values = list("abcdefg")
    for cum in ([1, 2, 3, 4, 5, 6, 7], [0.5, 0.5, 3.25, 9, 9, 10, 40], [3, 3, 3, 3, 3, 3, 3]):
        a, b = random.Random(7), random.Random(7)
        ours = [cases_demo._weighted(a, values, cum) for _ in range(2000)]
        theirs = [b.choices(values, cum_weights=cum)[0] for _ in range(2000)]
        assert ours == theirs
        assert a.random() == b.random()  # the same draws consumed
    assert len({cases_demo._pick(random.Random(s), [("x", 1), ("y", 5)]) for s in range(50)}) == 2


def test_sqlite_datetime_is_djangos_text():
    shanghai = ZoneInfo("Asia/Shanghai")
    for value in (dt.datetime(2025, 3, 4, 1, 2, 3, tzinfo=shanghai), dt.datetime(2025, 3, 4, 1, 2, 3, 450, tzinfo=shanghai),
                  dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.UTC), dt.datetime(1990, 7, 1, 12, tzinfo=shanghai)):
        assert sqlite_datetime(value) == str(value.astimezone(dt.UTC).replace(tzinfo=None))
    assert sqlite_datetime(None) is None


def test_json_text_is_json_dumps():
    for value in ({}, {"state": "已受理", "ids": [1, 2], "x": None, "d": str(Decimal("1.50"))}, [1.5, True]):
        assert _json(value) == json.dumps(value)
        assert cases_demo._dumps(value) == json.dumps(value)

import datetime as dt
from types import SimpleNamespace

import pytest

from civicloop.plans.testing import make_plan, make_task


@pytest.fixture
def plan_world(world):
    """A plan of the district with tasks: A (street A, parent of A1 weight 3 and A2 weight 1), B (street B, co-unit
    housing), H (housing) — due mid-2026."""
    plan = make_plan(world)
    a = make_task(world, plan, title="街道甲整治", owner=world.street_a_office)
    a1 = make_task(world, plan, title="甲一", owner=world.street_a_office, parent=a, weight=3)
    a2 = make_task(world, plan, title="甲二", owner=world.committee_a1, parent=a, weight=1)
    b = make_task(world, plan, title="街道乙整治", owner=world.street_b_office, co_units=[world.housing])
    h = make_task(world, plan, title="房管专项", owner=world.housing, due=dt.date(2026, 3, 31))
    return SimpleNamespace(plan=plan, a=a, a1=a1, a2=a2, b=b, h=h)

"""The case row is a projection of its events: generate many cases through the services and replay them all."""

import random

from civicloop.cases.events import snapshot
from civicloop.cases.models import Case
from civicloop.cases.replay import replay, replay_case
from civicloop.core.errors import CivicError

from .driver import PLACES, legitimate_moves, perform, register


def test_replay_equals_row_for_generated_cases(world, cats):
    rng = random.Random(20260214)
    pick = rng.choice
    for _ in range(60):
        case = register(world, world.district_admin, pick(PLACES), pick)
        for _step in range(rng.randint(0, 14)):
            case.refresh_from_db()
            moves = legitimate_moves(world, case)
            if not moves:
                break
            persona, action = pick(moves)
            others = list(Case.objects.exclude(pk=case.pk).values_list("pk", flat=True)[:5])
            try:
                perform(world, getattr(world, persona), action, case, pick, others=others)
            except CivicError:
                pass  # a refusal changes nothing — the replay check below still has to hold
    cases = list(Case.objects.all())
    assert len(cases) >= 40
    states = {c.state for c in cases}
    assert len(states) >= 6, states  # the walk really went places
    for case in cases:
        assert replay_case(case) == snapshot(case), case.tracking_code


def test_replay_accepts_plain_dicts():
    events = [{"seq": 2, "after": {"state": "triaged", "version": 2}}, {"seq": 1, "after": {"state": "registered",
                                                                                            "urgency": "normal", "version": 1}}]
    assert replay(events) == {"state": "triaged", "urgency": "normal", "version": 2}

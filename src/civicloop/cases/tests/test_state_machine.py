"""Random actors × random actions on the services, with the loop's invariants checked after every step.

Runs max_examples × stateful_step_count ≥ 2,000 steps. Each example runs inside a savepoint that is rolled back.
"""

from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from civicloop.cases.constants import Action, CaseState
from civicloop.cases.events import snapshot
from civicloop.cases.models import Case, CaseEvent, Reply
from civicloop.cases.permissions import is_visible
from civicloop.cases.replay import replay_case
from civicloop.core.errors import CivicError, ErrorCode

from .driver import PERSONAS, PLACES, legitimate_moves, perform, register

DEADLINE_ACTIONS = {Action.REGISTER, Action.DISPATCH, Action.APPROVE_EXTENSION, Action.DECIDE}
ACTIONS = [a for a in Action if a not in (Action.REGISTER, Action.MERGED_REPLY, Action.RECOUNT, Action.SENSOR_NOTE)]
# RECOUNT and SENSOR_NOTE: the system's (test_recount.py, signs/tests/test_alarms.py)
SIDE_ACTIONS = {Action.WITHDRAW, Action.MERGE, Action.ESCALATE, Action.SUPERVISE, Action.RETURN, Action.REOPEN}
MAX_EXAMPLES, STEPS = 50, 60
MIN_TOTAL_STEPS = 2000


def was_assigned(actor, case) -> bool:
    unit_id = getattr(actor, "unit_id", None)
    return unit_id is not None and any(
        e.after.get("lead_unit_id") == unit_id or unit_id in e.after.get("co_unit_ids", [])
        for e in CaseEvent.objects.filter(case=case))


def make_machine(world, counter):
    class CaseLoop(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.sid = transaction.savepoint()
            self.case_ids: list[int] = []
            self.checked_events = 0
            counter["examples"] += 1

        def teardown(self):
            transaction.savepoint_rollback(self.sid)

        def _case(self, data) -> Case:
            return Case.objects.get(pk=data.draw(st.sampled_from(self.case_ids)))

        @rule(persona=st.sampled_from(PERSONAS), place=st.sampled_from(PLACES), data=st.data())
        def register_case(self, persona, place, data):
            counter["steps"] += 1
            actor = getattr(world, persona)
            try:
                case = register(world, actor, place, lambda seq: data.draw(st.sampled_from(list(seq))))
            except CivicError as exc:
                assert exc.code in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN)
                return
            if case.pk not in self.case_ids:
                self.case_ids.append(case.pk)

        @precondition(lambda self: self.case_ids)
        @rule(persona=st.sampled_from(PERSONAS), action=st.sampled_from(ACTIONS), data=st.data())
        def random_action(self, persona, action, data):
            self._act(getattr(world, persona), action, self._case(data), data)

        @precondition(lambda self: self.case_ids)
        @rule(data=st.data())
        def legitimate_action(self, data):
            case = self._case(data)
            # forward moves weigh more, so random runs reach reply/rate/close and not only withdraw/merge
            moves = [m for m in legitimate_moves(world, case) for _ in range(1 if m[1] in SIDE_ACTIONS else 4)]
            if moves:
                persona, action = data.draw(st.sampled_from(moves))
                self._act(getattr(world, persona), action, case, data)

        def _act(self, actor, action, case, data):
            counter["steps"] += 1
            counter[f"action:{action}"] += 1
            visible = is_visible(actor, case)
            before = {c.pk: c.version for c in Case.objects.all()}
            others = [pk for pk in self.case_ids if pk != case.pk]
            try:
                perform(world, actor, action, case, lambda seq: data.draw(st.sampled_from(list(seq))), others=others)
            except CivicError as exc:
                if not visible:
                    # out of scope answers "not found"; only meeting creation (before any case is read) may say
                    # FORBIDDEN, which reveals nothing about the case
                    allowed = {ErrorCode.NOT_FOUND} | ({ErrorCode.FORBIDDEN} if action == Action.DECIDE else set())
                    if was_assigned(actor, case):  # lost sight by a change it had not seen: "reload"
                        allowed.add(ErrorCode.CONFLICT)
                    assert exc.code in allowed, (actor, action, exc.code)
                # a refusal changes nothing at all
                assert {c.pk: c.version for c in Case.objects.all()} == before
                return
            assert visible, f"{actor} changed a case outside their scope"

        @invariant()
        def loop_invariants(self):
            for case in Case.objects.filter(pk__in=self.case_ids):
                # the row is the replay of its events
                assert replay_case(case) == snapshot(case), case.tracking_code
                # no closed case without a recorded reply (or "unreachable")
                if case.state == CaseState.CLOSED:
                    assert case.replied_at is not None and Reply.objects.filter(case=case).exists()
            # deadlines move only by dispatch, extension or consultation decision
            for event in CaseEvent.objects.filter(pk__gt=self.checked_events, case_id__in=self.case_ids).order_by("pk"):
                if "deadline" in event.after:
                    assert event.action in DEADLINE_ACTIONS, event.action
                self.checked_events = event.pk

    return CaseLoop


@pytest.mark.django_db
def test_case_loop_state_machine(world, cats):
    counter = Counter()
    machine = make_machine(world, counter)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=MAX_EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],  # shrinking runs only after a failure
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    ))
    assert counter["steps"] >= MIN_TOTAL_STEPS, counter
    # the walk reached the end of the loop, not only the side exits
    assert counter[f"action:{Action.CLOSE}"] and counter[f"action:{Action.RATE}"], counter

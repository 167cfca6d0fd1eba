"""Two people act on one case at the same moment: exactly one wins, the other gets CONFLICT. PostgreSQL only."""

import threading

import pytest
from django.db import connection

from civicloop.cases import services as s
from civicloop.cases.error_codes import CaseErrorCode
from civicloop.cases.models import Case
from civicloop.core.errors import CivicError, ErrorCode

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            fn()
            outcomes[i] = "ok"
        except CivicError as exc:
            outcomes[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.mark.parametrize("rounds", [5])
def test_accept_and_return_race(world, flow, rounds):
    from civicloop.orgs.models import UserRole

    # a second handler of the same unit, acting at the same time
    other = type(world.dept_handler).objects.create_user(username="dept_handler_2", password="x-pass-123",
                                                         unit=world.housing, district=world.district)
    UserRole.objects.create(user=other, role="handler")
    for _ in range(rounds):
        case = flow.dispatched()
        v = case.version
        outcomes = _race([
            lambda case=case, v=v: s.case_accept(actor=type(other).objects.get(pk=world.dept_handler.pk),
                                                 case_id=case.pk, expected_version=v),
            lambda case=case, v=v: s.case_return(actor=type(other).objects.get(pk=other.pk), case_id=case.pk,
                                                 reason="非本部门职责", expected_version=v),
        ])
        assert sorted(map(str, outcomes)) == sorted(["ok", ErrorCode.CONFLICT.value]), outcomes
        case.refresh_from_db()
        assert case.version == v + 1 and case.events.count() == v + 1


def test_two_accepts_without_expected_version_never_double_apply(world, flow):
    case = flow.dispatched()
    outcomes = _race([
        lambda: s.case_accept(actor=type(world.dept_handler).objects.get(pk=world.dept_handler.pk), case_id=case.pk),
        lambda: s.case_accept(actor=type(world.dept_handler).objects.get(pk=world.dept_handler.pk), case_id=case.pk),
    ])
    assert sorted(map(str, outcomes)) == sorted(["ok", CaseErrorCode.TRANSITION_NOT_ALLOWED.value]), outcomes
    assert Case.objects.get(pk=case.pk).events.filter(action="accept").count() == 1


def test_concurrent_registrations_take_distinct_consecutive_codes(world, flow):
    """Eight registrations at once, the year's counter not yet created: eight codes 1…8, no gap, no repeat."""
    outcomes = _race([lambda: flow.register(actor=type(world.street_dispatcher).objects.get(pk=world.street_dispatcher.pk))
                      for _ in range(8)])
    assert outcomes == ["ok"] * 8
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in Case.objects.values_list("tracking_code", flat=True))
    assert numbers == list(range(1, 9))


def test_concurrent_repeats_of_one_external_id_make_one_case(world, flow):
    found = []

    def register():
        actor = type(world.street_dispatcher).objects.get(pk=world.street_dispatcher.pk)
        found.append(flow.register(actor=actor, external_id="12345-RACE").pk)

    outcomes = _race([register for _ in range(4)])
    assert outcomes == ["ok"] * 4
    assert Case.objects.filter(external_id="12345-RACE").count() == 1 and len(set(found)) == 1
    assert flow.register().tracking_code.endswith("-0000002")  # the repeats took no numbers


def test_concurrent_batches_with_overlapping_external_ids_stay_gapless(world, flow):
    """Four senders at once, each a batch of 10 of which 5 external ids are shared by all: 5 shared + 4 × 5 own
    = 25 cases, numbered 1…25 — the lost races on the shared ids pass their numbers on or give them back."""
    results = []

    def send(k):
        def run():
            actor = type(world.street_dispatcher).objects.get(pk=world.street_dispatcher.pk)
            items = [{"channel": "hotline_12345", "description": f"批量 {k}-{n}", "external_id": f"shared-{n}"}
                     for n in range(5)]
            items += [{"channel": "hotline_12345", "description": f"批量 {k}-{n}", "external_id": f"own-{k}-{n}"}
                      for n in range(5)]
            results.append(s.case_register_batch(actor=actor, items=items))
        return run

    assert _race([send(k) for k in range(4)]) == ["ok"] * 4
    assert all(r.error is None for batch in results for r in batch)
    assert Case.objects.count() == 25
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in Case.objects.values_list("tracking_code", flat=True))
    assert numbers == list(range(1, 26))
    shared = {r.case.pk for batch in results for r in batch[:5]}
    assert len(shared) == 5

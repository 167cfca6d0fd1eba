"""`case_register(number_first=True, also=…)` — the portal's way (many reports at once): the caller's own rows in
the registration's transaction, the number taken apart first on PostgreSQL, given back when the write fails.
Outside a test transaction, so PostgreSQL takes the numbered-first path (SQLite: the one transaction)."""

import pytest

from civicloop.cases.constants import Channel
from civicloop.cases.models import Case, CaseCounter, CaseEvent
from civicloop.cases.services import SYSTEM, case_register

pytestmark = pytest.mark.django_db(transaction=True)


def _register(world, also=None):
    return case_register(actor=SYSTEM, channel=Channel.PORTAL, district_id=world.district.pk,
                         place_id=world.comm_a1.pk, description="路灯不亮", also=also, number_first=True)


def test_the_callers_rows_are_in_the_registrations_transaction_and_a_failure_gives_the_number_back(world):
    seen = []
    first = _register(world, also=lambda case: seen.append(Case.objects.filter(pk=case.pk).exists()))
    assert seen == [True] and CaseEvent.objects.filter(case=first).count() == 1

    def fails(case):
        raise RuntimeError("the caller's row could not be written")

    with pytest.raises(RuntimeError):
        _register(world, also=fails)
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1  # nothing of the failed one stays
    assert CaseCounter.objects.get().last == 1  # its number given back
    second = _register(world)
    assert int(second.tracking_code[-7:]) == int(first.tracking_code[-7:]) + 1  # no gap

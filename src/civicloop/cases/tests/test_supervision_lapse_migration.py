"""Migration 0014 closes the notices left unanswered on cases that had already ended (销号), at the case's last
step; answered ones and those of cases still in the loop stay as they were."""

import pytest

from civicloop.cases import services as s
from civicloop.cases.models import Case
from civicloop.cases.tests.migrating import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = [("cases", "0013_case_created_at_default")], [("cases", "0014_supervision_lapsed")]


def test_notices_of_ended_cases_are_closed_with_them(world, flow):
    ended, running = flow.dispatched(), flow.dispatched()
    s.case_withdraw(actor=world.street_dispatcher, case_id=ended.pk, reason="诉求人来电撤回")
    ended.refresh_from_db()
    try:
        old = migrate_to(BEFORE).get_model("cases", "Supervision")
        base = {"district_id": ended.district_id, "kind": "manual", "opened_at": ended.created_at, "notice": "督办"}
        old.objects.create(**base, case_id=ended.pk, overdue_episode="unanswered")
        old.objects.create(**base, case_id=ended.pk, overdue_episode="answered", reply="已办",
                           replied_at=ended.created_at)
        old.objects.create(**base, case_id=running.pk, overdue_episode="running")
        new = migrate_to(AFTER).get_model("cases", "Supervision")
        assert dict(new.objects.values_list("overdue_episode", "lapsed_at")) == {
            "unanswered": Case.objects.get(pk=ended.pk).updated_at, "answered": None, "running": None}
    finally:
        migrate_to_latest()

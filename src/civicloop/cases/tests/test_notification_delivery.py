"""Notifications cannot break a committed write (decision 37): they are delivered by a task enqueued after the
commit, and a failure there — delivering or enqueueing — is logged, never raised to the caller."""

import pytest

from civicloop.cases import services as s
from civicloop.cases.models import Case, CaseEvent, Notification
from civicloop.cases.services import notifications

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: the on-commit hooks run


def _dispatch(world, cats):
    case = s.case_register(actor=world.street_dispatcher, channel="hotline_12345", description="路灯损坏",
                           place_id=world.comm_a1.pk)
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
    return s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.housing.pk)


def test_the_dispatch_notifies_through_the_task(world, cats):
    case = _dispatch(world, cats)
    assert Notification.objects.filter(case=case, user=world.dept_handler, kind="dispatch").count() == 1


def test_a_failing_delivery_leaves_the_write_committed(world, cats, monkeypatch, caplog):
    def broken(event_id):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(notifications, "notify_event", broken)
    monkeypatch.setattr("civicloop.cases.tasks.notify_event", broken)
    case = _dispatch(world, cats)  # returns normally
    assert Case.objects.get(pk=case.pk).state == "dispatched"
    assert CaseEvent.objects.filter(case=case, action="dispatch").exists()
    assert not Notification.objects.filter(case=case).exists()
    assert "not delivered" in caplog.text


def test_a_failing_enqueue_leaves_the_write_committed(world, cats, monkeypatch, caplog):
    from civicloop.cases import tasks

    class Unreachable:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue unreachable")

    monkeypatch.setattr(tasks, "deliver_notifications", Unreachable())
    case = _dispatch(world, cats)
    assert Case.objects.get(pk=case.pk).state == "dispatched"
    assert CaseEvent.objects.filter(case=case, action="dispatch").exists()
    assert "not enqueued" in caplog.text


def test_with_the_database_backend_the_worker_delivers(world, cats, settings):
    from django.core.management import call_command

    from civicloop.settings import TASKS

    settings.TASKS = TASKS
    case = _dispatch(world, cats)
    assert not Notification.objects.filter(case=case).exists()  # queued, not yet delivered
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert Notification.objects.filter(case=case, user=world.dept_handler, kind="dispatch").count() == 1

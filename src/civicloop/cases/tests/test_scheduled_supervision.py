"""Red cases get supervised on their own: `civicloop scheduler` enqueues the periodic task, the worker runs it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civicloop.cases.constants import SupervisionKind
from civicloop.cases.models import Notification, Supervision
from civicloop.web.management.commands.scheduler import enqueue_due, periodic_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_task_backend(settings):
    """These tests run the real queue: the scheduler enqueues into the database, the worker runs what it finds
    (the supervision, then the notifications it enqueued)."""
    from civicloop.settings import TASKS

    settings.TASKS = TASKS


def test_scheduler_enqueues_and_worker_supervises_the_red_case(world, flow):
    red = flow.dispatched()
    green = flow.dispatched()
    red.__class__.objects.filter(pk=red.pk).update(deadline=timezone.now() - dt.timedelta(hours=2),
                                                  yellow_at=timezone.now() - dt.timedelta(days=3))
    call_command("scheduler", "--once")
    assert DBTaskResult.objects.filter(task_path="civicloop.cases.tasks.supervise_overdue").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay")
    auto = Supervision.objects.filter(kind=SupervisionKind.AUTO)
    assert list(auto.values_list("case_id", flat=True)) == [red.pk]  # the green case is left alone
    # the lead unit's handler hears of it
    assert Notification.objects.filter(case=red, user=world.dept_handler, kind="supervise").exists()
    # the next run finds the episode supervised already: still one
    call_command("scheduler", "--once")
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert auto.count() == 1 and not Supervision.objects.filter(case=green).exists()


def test_enqueue_due_respects_each_interval():
    class Task:
        def __init__(self):
            self.n = 0

        def enqueue(self):
            self.n += 1

    a, b = Task(), Task()
    tasks = [("a", a, 600), ("b", b, 60)]
    last = {}
    assert enqueue_due(tasks, last, 1000.0) == ["a", "b"]
    assert enqueue_due(tasks, last, 1059.0) == []
    assert enqueue_due(tasks, last, 1060.0) == ["b"]
    assert enqueue_due(tasks, last, 1600.0) == ["a", "b"]
    assert (a.n, b.n) == (2, 3)
    # (issue 21 adds core's WAL checkpoint, declared first: core comes first in INSTALLED_APPS)
    assert [path for path, _task, _every in periodic_tasks()] == [
        "civicloop.core.tasks.wal_checkpoint", "civicloop.core.tasks.rate_counts_purge",
        "civicloop.files.tasks.orphans_purge", "civicloop.cases.tasks.supervise_overdue",
        "civicloop.dashboard.tasks.refresh_rollups", "civicloop.signs.tasks.evaluate_all",
        "civicloop.signs.tasks.partitions_ahead", "civicloop.routing.tasks.refit_all", "civicloop.hall.tasks.close_due"]

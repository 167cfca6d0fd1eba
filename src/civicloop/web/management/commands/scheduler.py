"""`civicloop scheduler [--once]`: enqueue the periodic tasks the apps declare (`periodic_tasks` on their AppConfig).

The django-tasks API has no scheduler of its own, so this small loop enqueues each task when its interval has
passed; the `db_worker` (or any other backend's worker) runs it. Every periodic task is idempotent (e.g.
`cases.tasks.supervise_overdue`: one supervision per case per overdue episode), so a task enqueued twice — two
schedulers, a restart — does no harm. `--once` enqueues each task once and exits (for cron).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from civicloop.core import registry

from ..stop import StopFlag


def periodic_tasks() -> list[tuple[str, object, int]]:
    """(path, task, seconds) of every app's periodic task (`civicloop.core.registry.PeriodicTask`)."""
    return registry.periodic_tasks()


def enqueue_due(tasks, last: dict[str, float], now: float) -> list[str]:
    """Enqueue every task whose interval has passed since it was last enqueued; returns their paths."""
    done = []
    for path, task, every in tasks:
        if now - last.get(path, float("-inf")) >= every:
            task.enqueue()
            last[path] = now
            done.append(path)
    return done


class Command(BaseCommand):
    help = "Enqueue the periodic background tasks (overdue supervision …) at their intervals."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue each periodic task once and exit")

    def handle(self, *args, once: bool, **options):
        tasks = periodic_tasks()
        last: dict[str, float] = {}
        if once:
            for path in enqueue_due(tasks, last, time.monotonic()):
                self.stdout.write(f"enqueued {path}")
            return
        stop = StopFlag()
        announced: set[str] = set()  # each task's first enqueue is written; the routine ones from verbosity 2
        while not stop.stopping:
            for path in enqueue_due(tasks, last, time.monotonic()):
                if path not in announced or options["verbosity"] >= 2:
                    self.stdout.write(f"enqueued {path}", ending="\n")
                    self.stdout.flush()
                    announced.add(path)
            stop.wait(5)

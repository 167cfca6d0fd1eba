"""`civicloop scheduler [--once]`: enqueue the periodic tasks the apps declare (`periodic_tasks` on their AppConfig).

The django-tasks API has no scheduler of its own, so this small loop enqueues each task when its interval has
passed; the `db_worker` (or any other backend's worker) runs it. Every periodic task is idempotent (e.g.
`cases.tasks.supervise_overdue`: one supervision per case per overdue episode), so a task enqueued twice — two
schedulers, a restart — does no harm. `--once` enqueues each task once and exits (for cron).

Several schedulers (issue 20: one per app server, so losing a machine loses no schedule): each interval of each
task is a slot (wall-clock time // interval), and a scheduler enqueues a task only when it is the first to claim
that slot in the default cache (`cache.add`, atomic in Redis, which `civicloop cluster` uses and every app server
shares). So two schedulers never both enqueue the same run. With the per-process cache of a single machine the
claim always succeeds: run one scheduler there (`civicloop serve` does).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.management.base import BaseCommand

from civicloop.core import registry

from ..stop import StopFlag


def periodic_tasks() -> list[tuple[str, object, int]]:
    """(path, task, seconds) of every app's periodic task (`civicloop.core.registry.PeriodicTask`)."""
    return registry.periodic_tasks()


def slot_claimed(path: str, every: int, wall: float) -> bool:
    """True for the one scheduler that claims this interval of this task first (the others get False)."""
    slot = int(wall // every)
    return cache.add(f"scheduler:{path}:{slot}", 1, timeout=every * 2)


def enqueue_due(tasks, last: dict[str, float], now: float, wall: float | None = None) -> list[str]:
    """Enqueue every task whose interval has passed since it was last enqueued and whose slot this scheduler
    claims; returns their paths."""
    wall = now if wall is None else wall
    done = []
    for path, task, every in tasks:
        if now - last.get(path, float("-inf")) >= every:
            last[path] = now
            if slot_claimed(path, every, wall):
                task.enqueue()
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
            for path in enqueue_due(tasks, last, time.monotonic(), time.time()):
                self.stdout.write(f"enqueued {path}")
            return
        stop = StopFlag()
        announced: set[str] = set()  # each task's first enqueue is written; the routine ones from verbosity 2
        while not stop.stopping:
            for path in enqueue_due(tasks, last, time.monotonic(), time.time()):
                if path not in announced or options["verbosity"] >= 2:
                    self.stdout.write(f"enqueued {path}", ending="\n")
                    self.stdout.flush()
                    announced.add(path)
            stop.wait(5)

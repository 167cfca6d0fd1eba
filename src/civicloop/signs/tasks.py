"""Background jobs: idempotent wrappers around services.alarms (the evaluation writes only what changed)."""

from __future__ import annotations

from django_tasks import task

from .models import Device


@task()
def evaluate_devices(device_ids: list[int]) -> int:
    """Evaluate the rules over devices that just got readings (enqueued by ingestion after its commit)."""
    from .services.alarms import evaluate_devices as run

    return run(device_ids)


SWEEP_BATCH = 2000


def evaluate_all_now(*, now=None) -> int:
    """Every active device, in batches: how silence is noticed — a device that stopped reporting sends nothing
    that would enqueue its evaluation."""
    from .services.alarms import evaluate_devices as run

    ids = list(Device.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    return sum(run(ids[i:i + SWEEP_BATCH], now=now) for i in range(0, len(ids), SWEEP_BATCH))


@task()
def evaluate_all() -> int:
    return evaluate_all_now()


@task()
def partitions_ahead() -> int:
    """This month's readings partition and the next ones, made before a reading needs them (PostgreSQL; nothing on
    SQLite): ingestion would create a missing one itself, but then it holds a lock on the readings while it does."""
    from .partitions import partitions_ahead as run

    return len(run())

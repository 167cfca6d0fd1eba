"""The RQ queue of `civicloop cluster` (issue 20): every job may be run again when its worker dies mid-task.

RQ finds a job whose worker stopped heart-beating (kill -9, a lost machine) in its started registry and, if the job
has retries left, puts it back on the queue; without retries it only marks it failed. django-tasks-rq creates its
jobs without a `Retry`, so this queue gives each one `RETRIES` — safe because every task of ours is idempotent (the
django-tasks API gives at-least-once at best with any backend; the database backend re-runs nothing by itself).
"""

from __future__ import annotations

from django_rq.queues import DjangoRQ
from rq import Worker as RQWorker
from rq.job import Retry

RETRIES = 3
RETRY_INTERVALS = [5, 30, 120]  # seconds before each new attempt


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None:
            kwargs["retry"] = Retry(max=RETRIES, interval=RETRY_INTERVALS)
        return super().create_job(*args, **kwargs)



class Worker(RQWorker):
    """`civicloop rqworker --worker-class civicloop.core.rq.Worker`: RQ's worker, checking sooner for jobs whose
    worker died. RQ's defaults (heart-beat every 30 s, registries cleaned every 10 minutes) would leave a job of a
    killed worker waiting up to ~11 minutes; here its heart-beat lapses after ~65 s and the next clean-up (every
    15 s, by any live worker) puts it back on the queue."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", 5)
        kwargs.setdefault("maintenance_interval", 15)
        super().__init__(*args, **kwargs)

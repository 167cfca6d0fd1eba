"""The task the cluster's failure test kills a worker in the middle of (issue 20, bench/cluster_failover.py).

It is an ordinary django-tasks task (the same code runs on the database backend and on RQ): it registers one case
through the intake service with an external id, which makes it idempotent — a second run, after its worker died
before or after the write, answers the case of the first. `hold_before` / `hold_after` keep it running long
enough to be killed on either side of the write.
"""

from __future__ import annotations

import time

from django_tasks import task


@task()
def probe_register(*, district_id: int, category_id: int, external_id: str, hold_before: float = 0.0,
                   hold_after: float = 0.0) -> int:
    from civicloop.cases.constants import Channel
    from civicloop.cases.permissions import SYSTEM
    from civicloop.cases.services.intake import case_register

    time.sleep(hold_before)
    case = case_register(actor=SYSTEM, channel=Channel.OPEN311, external_id=external_id, district_id=district_id,
                         category_id=category_id, description="集群故障测试", address="故障测试",
                         reporter_anonymous=True)
    time.sleep(hold_after)
    return case.pk

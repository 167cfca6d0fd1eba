"""Background jobs: idempotent wrappers around services."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from civicloop.core.errors import CivicError

from .changes import overdue_episode
from .constants import CLOCK_STATES, SupervisionKind
from .models import Case, Supervision
from .services import SYSTEM, case_supervise, notify_event
from .services.deadlines import cases_recount, recount_candidates

# Cases per recount task (and per read of candidates): each is its own short transaction, so a batch holds no
# lock for long, and the worker runs other tasks (notifications) between batches.
RECOUNT_BATCH = 500


def supervise_overdue_now(*, now=None, limit: int = 5000) -> int:
    """Open an automatic supervision for each red case not yet supervised for its current deadline."""
    now = now or timezone.now()
    done = 0
    candidates = list(Case.objects.filter(state__in=CLOCK_STATES, deadline__lt=now)
                      .order_by("deadline").values_list("pk", "deadline")[:limit])
    # the episodes already supervised, in one read (the service checks again under its lock, for concurrent runs)
    done_episodes = set(Supervision.objects.filter(case_id__in=[pk for pk, _d in candidates], kind=SupervisionKind.AUTO)
                        .values_list("case_id", "overdue_episode"))
    for case_id, deadline in candidates:
        episode = overdue_episode(deadline)
        if (case_id, episode) in done_episodes:
            continue
        try:
            case_supervise(actor=SYSTEM, case_id=case_id, kind=SupervisionKind.AUTO, overdue_episode=episode,
                           notice=_("工单已超期（期限 %(deadline)s），请尽快办理并回复督办。")
                           % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")})
            done += 1
        except CivicError:
            continue  # changed meanwhile (resolved, extended …): the next run sees the new truth
    return done


@task()
def supervise_overdue() -> int:
    return supervise_overdue_now()


@task()
def deliver_notifications(event_id: int) -> int:
    """The notifications of one case event, enqueued after its commit (`services.notifications`). Idempotent
    (one row per person, `dedupe_key`): a task run twice, or re-run after a failure, adds nothing."""
    return notify_event(event_id)


@task()
def recount_deadlines(year: int, source: str, first_id: int, last_id: int) -> int:
    """One batch of `recount_for_year`: the open cases of ids first_id..last_id whose deadline was counted over
    `year` (`services.deadlines.cases_recount`). Idempotent: a case already recounted is left as it is."""
    return cases_recount(year=year, source=source, first_id=first_id, last_id=last_id)


def recount_for_year(*, year: int, source: str = "") -> int:
    """The cases app's calendar listener (`CasesConfig.calendar_listeners`, called by workdays through the task
    queue after a year is confirmed or its arrangement loaded): one `recount_deadlines` task per
    `RECOUNT_BATCH` candidate ids. Returns the number of batches."""
    ids = list(recount_candidates(year).order_by("pk").values_list("pk", flat=True))  # ints: 100,000 are ~4 MB
    for start in range(0, len(ids), RECOUNT_BATCH):
        chunk = ids[start:start + RECOUNT_BATCH]
        recount_deadlines.enqueue(year=year, source=source, first_id=chunk[0], last_id=chunk[-1])
    return -(-len(ids) // RECOUNT_BATCH)

"""A task's and a milestone's status, derived from dates and reports — never typed, never stored.

Pure functions of the object's fields and `today` (no query): the board, the Gantt, the meeting pack and the
letters all ask these, so a task has one status wherever it is shown.

- done: `done_at` is set (a 100 % report sets it);
- late: not done and `today` is past `due`;
- not started: `today` is before `start` and nothing has been reported (percent 0);
- at risk: reported progress lags the share of the task's time already spent by more than AT_RISK_LAG_POINTS
  points, or the due date is at most AT_RISK_DAYS away and progress is below AT_RISK_DUE_PERCENT;
- on track: otherwise.
"""

from __future__ import annotations

from datetime import date

from .constants import AT_RISK_DAYS, AT_RISK_DUE_PERCENT, AT_RISK_LAG_POINTS, TaskStatus


def expected_percent(start: date | None, due: date, today: date) -> int:
    """The share of the task's time spent by `today`, in percent (0 before the start, 100 from the due date)."""
    if start is None or start >= due:
        return 100 if today >= due else 0
    if today <= start:
        return 0
    if today >= due:
        return 100
    return round(100 * (today - start).days / (due - start).days)


def status_of(*, start: date | None, due: date, done_at: date | None, percent: int, today: date) -> str:
    """The status of a task given its fields (the board passes values() rows through this)."""
    if done_at is not None:
        return TaskStatus.DONE
    if today > due:
        return TaskStatus.LATE
    if start is not None and today < start and not percent:
        return TaskStatus.NOT_STARTED
    if (due - today).days <= AT_RISK_DAYS and percent < AT_RISK_DUE_PERCENT:
        return TaskStatus.AT_RISK
    if start is not None and expected_percent(start, due, today) - percent > AT_RISK_LAG_POINTS:
        return TaskStatus.AT_RISK
    return TaskStatus.ON_TRACK


def task_status(task, today: date) -> str:
    """The status of `task` (anything with start, due, done_at and percent) on `today`."""
    return status_of(start=task.start, due=task.due, done_at=task.done_at, percent=task.percent or 0, today=today)


def milestone_status(milestone, today: date) -> str:
    """A milestone has no progress of its own: done, late past its due date, at risk within AT_RISK_DAYS of
    it, else on track."""
    if milestone.done_at is not None:
        return TaskStatus.DONE
    if today > milestone.due:
        return TaskStatus.LATE
    if (milestone.due - today).days <= AT_RISK_DAYS:
        return TaskStatus.AT_RISK
    return TaskStatus.ON_TRACK

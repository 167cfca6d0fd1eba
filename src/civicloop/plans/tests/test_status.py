"""A task's status across dates: derived from start, due, done date and percent — the one pure function."""

import datetime as dt
from types import SimpleNamespace

import pytest

from civicloop.plans.constants import TaskStatus
from civicloop.plans.status import expected_percent, milestone_status, task_status

START, DUE = dt.date(2026, 3, 1), dt.date(2026, 5, 30)  # 90 days


def t(percent=0, done_at=None, start=START, due=DUE):
    return SimpleNamespace(start=start, due=due, done_at=done_at, percent=percent)


@pytest.mark.parametrize(("today", "task", "status"), [
    (dt.date(2026, 2, 1), t(), TaskStatus.NOT_STARTED),  # before the start, nothing reported
    (dt.date(2026, 2, 1), t(percent=10), TaskStatus.ON_TRACK),  # started early
    (dt.date(2026, 3, 1), t(), TaskStatus.ON_TRACK),  # the first day: nothing expected yet
    (dt.date(2026, 4, 15), t(percent=50), TaskStatus.ON_TRACK),  # half the time, half the work
    (dt.date(2026, 4, 15), t(percent=26), TaskStatus.ON_TRACK),  # 50 expected, 24 behind: within the margin
    (dt.date(2026, 4, 15), t(percent=24), TaskStatus.AT_RISK),  # 26 points behind
    (dt.date(2026, 5, 23), t(percent=79), TaskStatus.AT_RISK),  # a week left, under 80 %
    (dt.date(2026, 5, 23), t(percent=90), TaskStatus.ON_TRACK),
    (dt.date(2026, 5, 30), t(percent=99), TaskStatus.ON_TRACK),  # the due day itself is not late
    (dt.date(2026, 5, 31), t(percent=99), TaskStatus.LATE),
    (dt.date(2026, 5, 31), t(percent=100, done_at=dt.date(2026, 5, 20)), TaskStatus.DONE),
    (dt.date(2027, 1, 1), t(done_at=dt.date(2026, 6, 3)), TaskStatus.DONE),  # done late is still done
])
def test_task_status_across_dates(today, task, status):
    assert task_status(task, today) == status


def test_a_task_without_start_is_at_risk_only_near_its_due_date():
    task = t(start=None)
    assert task_status(task, dt.date(2026, 3, 1)) == TaskStatus.ON_TRACK
    assert task_status(task, dt.date(2026, 5, 25)) == TaskStatus.AT_RISK
    assert task_status(task, dt.date(2026, 6, 1)) == TaskStatus.LATE


def test_expected_percent():
    assert expected_percent(START, DUE, dt.date(2026, 2, 1)) == 0
    assert expected_percent(START, DUE, dt.date(2026, 4, 15)) == 50
    assert expected_percent(START, DUE, dt.date(2026, 7, 1)) == 100


def test_milestone_status():
    m = SimpleNamespace(due=dt.date(2026, 4, 30), done_at=None)
    assert milestone_status(m, dt.date(2026, 4, 1)) == TaskStatus.ON_TRACK
    assert milestone_status(m, dt.date(2026, 4, 23)) == TaskStatus.AT_RISK
    assert milestone_status(m, dt.date(2026, 5, 1)) == TaskStatus.LATE
    m.done_at = dt.date(2026, 5, 2)
    assert milestone_status(m, dt.date(2026, 5, 3)) == TaskStatus.DONE

"""A year confirmed or loaded is announced, after its commit and through the task queue, to every app's
`calendar_listeners` (core.registry) — workdays names none of them."""

import logging

import pytest

from civicloop.core import registry
from civicloop.workdays.services import calendar_year_confirm, calendar_year_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    calls = []

    def listener(*, year, source):
        calls.append((year, source))

    monkeypatch.setattr(registry, "calendar_listeners", lambda: [listener])
    return calls


def test_confirming_announces_the_year_after_the_commit(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        calendar_year_confirm(actor=None, year=2027, source="已核对")
        assert heard == []  # not before the commit
    assert len(callbacks) == 1 and heard == [(2027, "已核对")]


def test_loading_announces_once(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=None, year=2027, text="2027-01-01 休 元旦\n", source="国办发明电")
    assert heard == [(2027, "国办发明电")]


def test_a_refused_confirmation_announces_nothing(heard, django_capture_on_commit_callbacks):
    from civicloop.core.errors import CivicError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CivicError):
        calendar_year_load(actor=None, year=2027, text="2028-01-01 休 元旦\n")
    assert heard == []


def test_a_failing_listener_does_not_undo_the_confirmation_nor_silence_the_others(monkeypatch, caplog,
                                                                                 django_capture_on_commit_callbacks):
    calls = []

    def broken(*, year, source):
        raise RuntimeError("listener broke")

    monkeypatch.setattr(registry, "calendar_listeners",
                        lambda: [broken, lambda *, year, source: calls.append(year)])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        row = calendar_year_confirm(actor=None, year=2027)
    assert row.pk is not None and calls == [2027]
    assert "listener broke" in caplog.text


def test_the_cases_app_is_a_listener_through_the_registry():
    paths = [f"{f.__module__}.{f.__name__}" for f in registry.calendar_listeners()]
    assert "civicloop.cases.tasks.recount_for_year" in paths

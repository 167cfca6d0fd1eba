import datetime as dt

import pytest


@pytest.fixture
def world(db):
    from civicloop.testing import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _zh_hans():
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Notifications are delivered by a task enqueued after commit (decision 36); tests read them right after the
    # call, so tasks run at once, as they are enqueued. Tests of the worker itself set the database backend back.
    settings.TASKS = IMMEDIATE_TASKS


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # build_world() creates a dozen accounts per test; the production hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = FAST_HASHERS


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests (real row locks, threads) are deselected when the database is SQLite. The tests on the
    shared demo (`xuhui_demo`) run last, after every other test (see `_xuhui_demo_generated`)."""
    from django.conf import settings

    items.sort(key=lambda item: "xuhui_demo" in getattr(item, "fixturenames", ()))  # stable: the order otherwise kept
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# ----- one generated Xuhui for the tests that only read the demo (and write inside their own savepoint)

XUHUI_DEMO = {"preset": "xuhui", "scale": 0.005, "seed": 1}  # 900 households, 75 enterprises, 2,500 cases
XUHUI_DEMO_END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)  # the cases demo's last moment (`cases_end`)


@pytest.fixture(scope="session")
def _xuhui_demo_generated(django_db_setup, django_db_blocker):
    """`generate(**XUHUI_DEMO)` once for the whole run, in a transaction held open until the run ends and then
    rolled back. Each test using `xuhui_demo` runs inside it (its own `db` transaction is a savepoint, rolled back
    after the test), so a test may write on the demo — a service call, even a reset — without the next one seeing it.
    `pytest_collection_modifyitems` runs these tests last: no other test ever sees the demo."""
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import translation

    from civicloop.cases import demo as cases_demo
    from civicloop.demo.generator import generate

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        ended = cases_demo.cases_end
        try:
            cases_demo.cases_end = lambda: XUHUI_DEMO_END
            with override_settings(TASKS=IMMEDIATE_TASKS, PASSWORD_HASHERS=FAST_HASHERS), \
                    translation.override("zh-hans"):
                stats = generate(**XUHUI_DEMO)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
        finally:
            cases_demo.cases_end = ended
    yield stats
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def xuhui_demo(_xuhui_demo_generated, db, monkeypatch):
    """The generated Xuhui demo (`XUHUI_DEMO`; its `GenerationStats`), shared by the tests that ask for it; what a
    test writes is rolled back after it. The cases demo's end is pinned as it was generated."""
    from civicloop.cases import demo as cases_demo

    monkeypatch.setattr(cases_demo, "cases_end", lambda: XUHUI_DEMO_END)
    return _xuhui_demo_generated

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


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # build_world() creates a dozen accounts per test; the production hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests (real row locks, threads) are deselected when the database is SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

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

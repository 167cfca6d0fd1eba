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

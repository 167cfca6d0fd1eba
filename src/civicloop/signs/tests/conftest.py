import pytest


@pytest.fixture
def signs(world):
    from civicloop.signs.testing import make_signs

    return make_signs(world)

import pytest

# A point in Xuhui (inside the district's outline, places/data) and one far outside it.
XUHUI = ("31.179973", "121.437520")
PUDONG = ("31.221500", "121.544000")


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def o311(world, cats):
    """The world with coordinates on street A's first compound (at `XUHUI`), keys for both districts, and a
    client helper."""
    from types import SimpleNamespace

    from civicloop.apikeys.services import api_key_create
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place

    compound_a1 = Place.objects.get(level=PlaceLevel.COMPOUND, community=world.comm_a1)
    Place.objects.filter(pk=compound_a1.pk).update(lat=XUHUI[0], lng=XUHUI[1])
    row, key = api_key_create(actor=world.district_admin, name="城市App", scopes=["open311"], rate_limit=1000)
    other_row, other_key = api_key_create(actor=world.stranger, name="他区App", scopes=["open311"], rate_limit=1000)
    return SimpleNamespace(compound_a1=compound_a1, row=row, key=key, other_key=other_key, other_row=other_row)

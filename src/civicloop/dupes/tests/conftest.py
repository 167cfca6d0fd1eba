import pytest


@pytest.fixture(autouse=True)
def _fresh_index():
    """The index lives in the process: each test starts from nothing (ids are reused after a rollback)."""
    from civicloop.dupes.index import INDEX

    INDEX.reset()
    yield
    INDEX.reset()


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def site(world):
    """Community A1's compound with its 1号楼 (the world's) and a 12号楼; community A2's compound with a 12号楼."""
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place
    from civicloop.places.services import place_create

    comp_a1 = Place.objects.get(parent=world.comm_a1, level=PlaceLevel.COMPOUND)
    comp_a2 = Place.objects.get(parent=world.comm_a2, level=PlaceLevel.COMPOUND)
    b12 = place_create(code=f"{comp_a1.code}-B12", name="12号楼", level=PlaceLevel.BUILDING, parent=comp_a1)
    other12 = place_create(code=f"{comp_a2.code}-B12", name="12号楼", level=PlaceLevel.BUILDING, parent=comp_a2)
    b1 = Place.objects.get(parent=comp_a1, level=PlaceLevel.BUILDING, name="1号楼")
    return type("Site", (), {"comp_a1": comp_a1, "b12": b12, "b1": b1, "other12": other12})


@pytest.fixture
def reg(world):
    from civicloop.cases import services as s
    from civicloop.cases.constants import Channel

    def register(description, place, *, actor=None, channel=Channel.HOTLINE_12345, **kw):
        return s.case_register(actor=actor or world.street_dispatcher, channel=channel, place_id=place.pk,
                               description=description, reporter_name="李四", reporter_phone="13912345678", **kw)

    return register

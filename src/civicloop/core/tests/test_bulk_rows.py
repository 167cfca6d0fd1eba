"""`core.bulk.NewRows` + `Table`: rows written raw read back as the ORM would have written them."""

import datetime as dt
from decimal import Decimal

import pytest

from civicloop.core.bulk import NewRows, Table
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Place
from civicloop.testing import build_world

pytestmark = pytest.mark.django_db


def test_new_rows_take_the_next_ids_and_the_defaults():
    build_world()
    building = Place.objects.filter(level=PlaceLevel.BUILDING).first()
    last = Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = NewRows()
    rows = [ids.row(Household, code=f"T-{n}", district_id=building.district_id, street_id=building.street_id,
                    community_id=building.community_id, building_id=building.pk, address="某路1号",
                    lat=Decimal("31.123456")) for n in range(3)]
    assert [r["id"] for r in rows] == [last + 1, last + 2, last + 3]
    assert rows[0]["members"] == 1 and rows[0]["room"] == "" and rows[0]["lng"] is None  # the fields' defaults
    table = Table(Household, pk=True)
    table.write([table.values(r) for r in rows])
    ids.reset_sequences()
    h = Household.objects.get(pk=last + 2)
    assert (h.code, h.members, h.lat, h.building_id) == ("T-1", 1, Decimal("31.123456"), building.pk)
    assert Household.objects.create(code="T-next", district_id=building.district_id, street_id=building.street_id,
                                    community_id=building.community_id, building_id=building.pk).pk > last + 3


def test_a_callable_default_is_called_for_each_row():
    from civicloop.cases.models import Case

    ids = NewRows()
    a, b = ids.row(Case), ids.row(Case)
    assert isinstance(a["created_at"], dt.datetime) and a["created_at"] is not b["created_at"]
    assert ids.row(Case, created_at=None)["created_at"] is None  # a value given wins

"""core.sql.InIds: `column IN (ids)` as one array parameter on PostgreSQL, the IN list elsewhere."""

import pytest

from civicloop.core.sql import InIds
from civicloop.places.models import Household, Place


@pytest.mark.django_db
def test_in_ids_filters_like_in(world):
    ids = list(Household.objects.values_list("pk", flat=True))
    assert sorted(Household.objects.filter(InIds("pk", ids[:2])).values_list("pk", flat=True)) == sorted(ids[:2])
    assert not Household.objects.filter(InIds("pk", [])).exists()  # nothing, not an error
    assert Household.objects.filter(InIds("pk", [*ids, 10**15])).count() == len(ids)  # unknown ids ignored
    # across a join: the households whose building's parent is one of these places
    compounds = list(Place.objects.filter(level="compound").values_list("pk", flat=True))
    assert Household.objects.filter(InIds("building__parent_id", compounds)).count() == \
        Household.objects.filter(building__parent_id__in=compounds).count()

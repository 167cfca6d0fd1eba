"""The household head in clear: the same logged reveal as a case's reporter (`core.services.personal_data_reveal`)."""

import pytest

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import UnmaskLog
from civicloop.places import services
from civicloop.places.models import Household


def test_household_head_reveal(world):
    hh = Household.objects.get(community=world.comm_a1)
    for actor, code in ((world.street_dispatcher, ErrorCode.FORBIDDEN), (world.stranger, ErrorCode.NOT_FOUND)):
        with pytest.raises(CivicError) as exc:
            services.household_head_reveal(actor=actor, code=hh.code)
        assert exc.value.code == code
    assert not UnmaskLog.objects.exists()
    head = services.household_head_reveal(actor=world.committee_worker, code=hh.code, reason_code="verify")
    assert head == {"name": hh.head_name, "phone": hh.head_phone, "id_number": hh.head_id_number}
    log = UnmaskLog.objects.get()
    assert (log.user, log.object_type, log.object_id, log.district_id, log.fields) == (
        world.committee_worker, "places.household", hh.code, world.district.pk, "head_name,head_phone,head_id_number")

def test_a_second_place_with_the_same_code_is_refused_as_a_duplicate(db):
    from civicloop.core.errors import CivicError, ErrorCode
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.services import place_create

    place_create(code="310105000000", name="长宁区", level=PlaceLevel.DISTRICT, abbr="CN")
    with pytest.raises(CivicError) as exc:
        place_create(code="310105000000", name="又一个长宁区", level=PlaceLevel.DISTRICT, abbr="CN2")
    assert exc.value.code == ErrorCode.DUPLICATE and "310105000000" in str(exc.value.message)

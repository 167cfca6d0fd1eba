import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from civicloop.orgs.constants import Role
from civicloop.places.models import Household
from civicloop.places.services import place_create
from civicloop.testing import make_user


@pytest.fixture
def hall(world):
    """Community A1's hall: its building 1 with six households (phones ending 0001…0006, the first 1234 from the
    world), a second building with two, committee B1's grid worker, and the elevator topic of building 1."""
    from civicloop.hall.services import rules_ensure_defaults, topic_create

    rules_ensure_defaults()
    b1 = world.comm_a1_building = _building(world.comm_a1, "B01")
    compound = b1.parent
    b2 = place_create(code=f"{compound.code}-B02", name="2号楼", level="building", parent=compound)
    homes = list(Household.objects.filter(building=b1))
    for n in range(2, 7):
        homes.append(_home(world, b1, f"0{n}01", f"1380000000{n}"))
    other = [_home(world, b2, "0101", "13900000001"), _home(world, b2, "0201", "13900000002")]
    outside = Household.objects.get(building=_building(world.comm_a2, "B01"))
    far = Household.objects.get(building=_building(world.comm_b1, "B01"))
    committee_b1_worker = make_user("committee_b1_worker", world.committee_b1, Role.GRID_WORKER, Role.HANDLER)
    topic = topic_create(actor=world.committee_worker, place_id=b1.pk, title="1号楼加装电梯", body="方案已公示")
    return SimpleNamespace(building=b1, building2=b2, compound=compound, homes=homes, other=other, outside=outside,
                           far=far, topic=topic, committee_b1_worker=committee_b1_worker)


def _building(community, suffix):
    from civicloop.places.models import Place

    return Place.objects.get(code=f"{community.code}-C001-{suffix}")


def _home(world, building, room, phone):
    return Household.objects.create(code=f"{building.code}-{room}", district=world.district, street=world.street_a,
                                    community=world.comm_a1, building=building, room=room,
                                    address=f"{building.name}{room}室", head_name="李四", head_phone=phone)


@pytest.fixture
def open_vote(world, hall):
    from civicloop.hall.services import vote_open

    return vote_open(actor=world.committee_worker, topic_id=hall.topic.pk, place_id=hall.building.pk,
                     question="是否同意1号楼加装电梯", rule_code="major", proposal="加装电梯一部",
                     closes_at=timezone.now() + dt.timedelta(days=7))


def after(vote, days=8):
    return timezone.now() + dt.timedelta(days=days)

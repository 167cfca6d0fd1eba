"""The demo's cluster: the grid worker's "12号楼电梯又坏了，老人下不了楼" finds the two open reports of that elevator
(hotline, sensor) and neither the same building's corridor nor another compound's elevator."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from civicloop.cases.models import Case
from civicloop.dupes import selectors
from civicloop.dupes.demo import generate_clusters


def test_the_demo_cluster_is_found_before_saving(world, site):
    counts = {}
    ctx = SimpleNamespace(district=world.district, extra={"cases_end": timezone.now()}, log=lambda m: None,
                          stats=SimpleNamespace(add=lambda t, n: counts.__setitem__(t, counts.get(t, 0) + n)))
    generate_clusters(ctx)
    generate_clusters(ctx)  # again: the hotline and sensor reports are not registered twice (external ids)
    hotline, sensor, corridor, elsewhere = (Case.objects.filter(description__contains=w).order_by("pk").first()
                                            for w in ("等配件", "困人报警", "纸板箱", "只能爬楼"))
    assert Case.objects.filter(description__contains="等配件").count() == 1
    assert sensor.channel == "sensor" and sensor.created_at < timezone.now() - dt.timedelta(days=3)
    found = selectors.duplicates_of_draft(world.committee_worker, description="12号楼电梯又坏了，老人下不了楼",
                                          place_code=world.comm_a1.code)
    assert {s.case.pk for s in found} == {hotline.pk, sensor.pk}
    assert all("同一楼栋" in s.reason for s in found)


def test_a_small_demo_without_a_12号楼_gets_one_and_the_story_holds(world):
    """`make demo`'s scale has a building or two per compound: the step builds the grid worker's 12号楼."""
    from civicloop.dupes.demo import GRID_LOGIN
    from civicloop.places.models import Place

    world.committee_worker.username = GRID_LOGIN
    world.committee_worker.save(update_fields=["username"])
    assert not Place.objects.filter(community_id=world.comm_a1.pk, name="12号楼").exists()
    counts = {}
    ctx = SimpleNamespace(district=world.district, extra={"cases_end": timezone.now()}, log=lambda m: None,
                          stats=SimpleNamespace(add=lambda t, n: counts.__setitem__(t, counts.get(t, 0) + n)))
    generate_clusters(ctx)
    b12 = Place.objects.get(community_id=world.comm_a1.pk, name="12号楼")
    assert counts["places.place"] == 1 and b12.parent.level == "compound"
    hotline, sensor = (Case.objects.get(description__contains=w) for w in ("等配件", "困人报警"))
    assert hotline.place_id == sensor.place_id == b12.pk and "12号楼" in hotline.description
    found = selectors.duplicates_of_draft(world.committee_worker, description="12号楼电梯又坏了，老人下不了楼",
                                          place_code=world.comm_a1.code)
    assert {s.case.pk for s in found} == {hotline.pk, sensor.pk}

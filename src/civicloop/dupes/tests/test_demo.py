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

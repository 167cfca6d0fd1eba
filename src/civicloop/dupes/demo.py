"""The dupes app's demo step: open clusters of one problem reported at one place through several channels, days
apart, and the tempting cases beside them — so that a grid worker (tpl_c01_grid) registering
"12号楼电梯又坏了，老人下不了楼" sees the two open reports of that elevator before saving, and not the same
building's blocked corridor nor another compound's broken elevator.

Through the cases services (`case_register`, the SYSTEM actor, the demo's clock): the rows are what intake writes.
Idempotent by external id (a repeat returns the case registered before)."""

from __future__ import annotations

import datetime as dt

from civicloop.cases.constants import Channel
from civicloop.cases.demo import case_clock, cases_end
from civicloop.cases.permissions import SYSTEM

GRID_LOGIN = "tpl_c01_grid"
# (days before the end, hours, channel, building: "same" / "other compound", text with {c} compound, {n} number)
CLUSTER = (
    (6, 9, Channel.HOTLINE_12345, "same", "{c}{n}号楼电梯坏了三天了，我们老人住在9楼，上下楼太难了，物业说在等配件。", True),
    (4, 15, Channel.SENSOR, "same", "{c}{n}号楼1号电梯故障报警：困人报警触发，电梯运行中断。", True),
    (5, 10, Channel.HOTLINE_12345, "same", "{c}{n}号楼楼道里堆满了杂物和纸板箱，消防通道都堵住了，担心着火。", False),
    (3, 11, Channel.HOTLINE_12345, "other", "{c}{n}号楼电梯坏了，一直不修，住高层的老人只能爬楼。", False),
)


def _places(ctx):
    """The grid worker's community, its 12号楼 (built in its first compound when a small demo has none: the story is
    told with that number) and a building of another compound of the district."""
    from django.contrib.auth import get_user_model

    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place

    user = get_user_model().objects.filter(username=GRID_LOGIN).select_related("unit").first()
    community_id = getattr(getattr(user, "unit", None), "territory_id", None)
    buildings = Place.objects.filter(district=ctx.district, level=PlaceLevel.BUILDING).select_related("parent")
    mine = list(buildings.filter(community_id=community_id).order_by("code")) if community_id else []
    if not mine:
        mine = list(buildings.order_by("code")[:50])
    if not mine:
        return None
    here = next((b for b in mine if b.name.startswith("12号")), None)
    if here is None and community_id:  # a small demo's compound has fewer buildings: its 12号楼 is built here
        from civicloop.places.services import place_create

        compound = mine[0].parent
        taken = set(Place.objects.filter(parent=compound).values_list("code", flat=True))
        code = next(f"{compound.code}-B{k}" for k in range(12, 10_000) if f"{compound.code}-B{k}" not in taken)
        here = place_create(code=code, name="12号楼", level=PlaceLevel.BUILDING, parent=compound)
        ctx.stats.add("places.place", 1)
    here = here or mine[0]
    other = buildings.exclude(parent_id=here.parent_id).exclude(community_id=here.community_id).order_by("code").first()
    return here, other or here


def generate_clusters(ctx) -> None:
    from civicloop.cases.services import case_register

    places = _places(ctx)
    if places is None:
        return
    here, other = places
    end = ctx.extra.get("cases_end") or cases_end()
    written = 0
    for i, (days, hour, channel, where, text, _duplicate) in enumerate(CLUSTER):
        building = here if where == "same" else other
        number = "".join(ch for ch in building.name if ch.isdigit()) or "1"
        at = end - dt.timedelta(days=days) + dt.timedelta(hours=hour - 12)
        with case_clock(at):
            case_register(actor=SYSTEM, district_id=ctx.district.pk, channel=channel,
                          external_id=f"DUPES-DEMO-{i + 1}" if channel in (Channel.HOTLINE_12345, Channel.SENSOR) else "",
                          place_id=building.pk, description=text.format(c=building.parent.name, n=number))
        written += 1
    ctx.stats.add("cases.case", written)
    ctx.stats.add("cases.case_event", written)  # each registered once: its register event
    ctx.log(f"  dupes: an open cluster at {here.parent.name}{here.name} ({written} cases)")

"""Steps: the territorial tree (real streets and committees, generated compounds and buildings) and households."""

from __future__ import annotations

from datetime import date, timedelta

from civicloop.core.bulk import NewRows, Table, indexes_deferred
from civicloop.core.validators import make_id_number
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Place, Tag
from civicloop.places.outlines import district_outline, outline_rings, rings_contain
from civicloop.places.services import place_create, place_fields_under, tags_ensure_defaults

from .context import GenerationContext, apportion, coord
from .fixtures import (
    COMPOUND_SUFFIXES,
    FULL_COMPOUNDS,
    FULL_HOUSEHOLDS,
    HOUSEHOLD_TAG_SHARES,
    HOUSEHOLDS_PER_BUILDING,
    STREET_ROADS,
    load_divisions,
    load_street_centres,
)

XUHUI_CENTRE = (31.179973, 121.43752)  # the district's label point in the ECharts outline
BATCH = 5000


def _place(parent: Place, *, code: str, name: str, level: str, lat: float, lng: float, address: str = "") -> Place:
    fields = place_fields_under(parent, code=code, level=level)
    return Place(code=code, name=name, level=level, address=address, lat=coord(lat), lng=coord(lng), **fields)


def _near(rng, centre: tuple[float, float], spread: float) -> tuple[float, float]:
    return centre[0] + rng.uniform(-spread, spread), centre[1] + rng.uniform(-spread, spread)


def _inside(rings, centre: tuple[float, float], point: tuple[float, float]) -> tuple[float, float]:
    """`point` (drawn around `centre`, which lies inside the district outline) kept inside it without another draw:
    as drawn, else mirrored about the centre, else pulled halfway towards it until inside. Without an outline, as
    drawn."""
    if not rings:
        return point
    (clat, clng), (lat, lng) = centre, point
    for candidate in ((lat, lng), (2 * clat - lat, 2 * clng - lng)):
        if rings_contain(rings, *candidate):
            return candidate
    while not rings_contain(rings, lat, lng) and abs(lat - clat) + abs(lng - clng) > 1e-6:
        lat, lng = (lat + clat) / 2, (lng + clng) / 2
    return lat, lng


def generate_territory(ctx: GenerationContext) -> None:
    rng = ctx.rng_for("territory")
    fake = ctx.faker_for("territory")
    facts = load_divisions()
    tags_ensure_defaults()
    ctx.tags = {t.code: t for t in Tag.objects.all()}

    d = facts["district"]
    district = place_create(
        code=d["code"], name=d["name"], level=PlaceLevel.DISTRICT, abbr=d["abbr"],
        lat=coord(XUHUI_CENTRE[0]), lng=coord(XUHUI_CENTRE[1]),
    )
    ctx.district = district
    ctx.centre[district.pk] = XUHUI_CENTRE
    outline = district_outline(district)
    rings = outline_rings(outline) if outline else []

    centres = load_street_centres()
    streets = []
    for s in facts["streets"]:
        _near(rng, XUHUI_CENTRE, 0.03)  # the draw the random centre once took: the values after it stay the same
        lat, lng = centres[s["code"]]
        streets.append(_place(district, code=s["code"], name=s["name"], level=PlaceLevel.STREET, lat=lat, lng=lng))
    Place.objects.bulk_create(streets)
    ctx.streets = streets
    committees = []
    for street, s in zip(streets, facts["streets"], strict=True):
        ctx.centre[street.pk] = (float(street.lat), float(street.lng))
        rows = [
            _place(street, code=c["code"], name=c["name"], level=PlaceLevel.COMMUNITY, lat=lat, lng=lng)
            for c in s["committees"]
            for lat, lng in [_inside(rings, ctx.centre[street.pk], _near(rng, ctx.centre[street.pk], 0.008))]
        ]
        committees.extend(rows)
    Place.objects.bulk_create(committees)
    ctx.committees = committees
    for c in committees:
        ctx.committees_by_street.setdefault(c.street_id, []).append(c)
        ctx.centre[c.pk] = (float(c.lat), float(c.lng))
    ctx.stats.add("places.street", len(streets))
    ctx.stats.add("places.community", len(committees))

    # Sizes: committees differ (log-normal weights); households and compounds follow the weights.
    weights = [rng.lognormvariate(0, 0.35) for _ in committees]
    households = apportion(ctx.scaled(FULL_HOUSEHOLDS), weights)
    extra_compounds = apportion(max(0, ctx.scaled(FULL_COMPOUNDS) - len(committees)), weights)
    total_w = sum(weights)
    for c, w in zip(committees, weights, strict=True):
        ctx.street_weight[c.street_id] = ctx.street_weight.get(c.street_id, 0.0) + w / total_w

    compounds, plan = [], []  # plan: (compound, households in it)
    for c, n_house, n_extra in zip(committees, households, extra_compounds, strict=True):
        roads = STREET_ROADS[_street_name(ctx, c)]
        stem = c.name.removesuffix("居委会").removesuffix("村委会")
        splits = apportion(n_house, [rng.lognormvariate(0, 0.5) for _ in range(1 + n_extra)])
        seen = set()
        for i, n in enumerate(splits, start=1):
            name = _compound_name(rng, fake, stem, seen)
            road = rng.choice(roads)
            lat, lng = _inside(rings, ctx.centre[c.pk], _near(rng, ctx.centre[c.pk], 0.003))
            comp = _place(c, code=f"{c.code}-C{i:03d}", name=name, level=PlaceLevel.COMPOUND, lat=lat, lng=lng,
                          address=f"{road}{rng.randint(1, 1200)}弄")
            compounds.append(comp)
            plan.append((comp, n))
    Place.objects.bulk_create(compounds, batch_size=BATCH)
    ctx.stats.add("places.compound", len(compounds))

    buildings, house_plan = [], []
    for comp, n in plan:
        n_buildings = max(1, round(n / HOUSEHOLDS_PER_BUILDING * rng.uniform(0.8, 1.2)))
        for j, k in enumerate(apportion(n, [1.0] * n_buildings), start=1):
            b = _place(comp, code=f"{comp.code}-B{j:02d}", name=f"{j}号楼", level=PlaceLevel.BUILDING,
                       lat=float(comp.lat) + rng.uniform(-4e-4, 4e-4), lng=float(comp.lng) + rng.uniform(-4e-4, 4e-4),
                       address=f"{comp.address}{j}号")
            buildings.append(b)
            house_plan.append((b, k))
    Place.objects.bulk_create(buildings, batch_size=BATCH)
    ctx.stats.add("places.building", len(buildings))
    ctx.extra["house_plan"] = house_plan


def _street_name(ctx: GenerationContext, community: Place) -> str:
    return next(s.name for s in ctx.streets if s.pk == community.street_id)


def _compound_name(rng, fake, stem: str, seen: set) -> str:
    for _ in range(20):
        base = stem if rng.random() < 0.4 else fake.street_name().removesuffix("路").removesuffix("街")[:3]
        name = base + rng.choice(COMPOUND_SUFFIXES)
        if name not in seen:
            seen.add(name)
            return name
    name = f"{stem}{len(seen) + 1}村"
    seen.add(name)
    return name


def generate_households(ctx: GenerationContext) -> None:
    rng = ctx.rng_for("households")
    fake = ctx.faker_for("households")
    through = Household.tags.through
    tag_ids = {code: ctx.tags[code].pk for code in HOUSEHOLD_TAG_SHARES}
    # rows by attname with their ids, written raw (core.bulk): bulk_create's per-value field adaptation was most of
    # this step; the empty tables' secondary indexes are built once at the end
    ids = NewRows()
    households, household_t = Table(Household, pk=True), Table(through, pk=True)
    batch: list[list] = []
    tag_rows: list[list] = []
    n_rows = n_tags = 0

    def flush() -> None:
        nonlocal n_rows, n_tags
        n_rows += households.write(batch)
        n_tags += household_t.write(tag_rows)
        batch.clear()
        tag_rows.clear()

    today = date(2026, 1, 1)
    with indexes_deferred([Household, through]):
        for b, n in ctx.extra.pop("house_plan"):
            per_floor = rng.choice((2, 2, 4, 4, 6))
            for k in range(n):
                floor, door = divmod(k, per_floor)
                room = f"{floor + 1:02d}{door + 1:02d}"
                tags = [code for code, share in HOUSEHOLD_TAG_SHARES.items() if rng.random() < share]
                alone = "elderly_alone" in tags
                born = today - timedelta(days=rng.randint(70 * 365, 95 * 365) if alone else rng.randint(25 * 365, 85 * 365))
                id_number = make_id_number(f"310104{born:%Y%m%d}{rng.randint(0, 999):03d}")
                row = ids.row(
                    Household, code=f"{b.code}-{room}", district_id=ctx.district.pk, street_id=b.street_id,
                    community_id=b.community_id, building_id=b.pk, room=room, address=f"{b.address}{int(room)}室",
                    head_name=fake.name(), head_phone=_mobile(rng), head_id_number=id_number,
                    members=1 if alone else rng.choices((1, 2, 3, 4, 5), (12, 30, 32, 18, 8))[0],
                    lat=b.lat, lng=b.lng,
                )
                batch.append(households.values(row))
                tag_rows += [household_t.values(ids.row(through, household_id=row["id"], tag_id=tag_ids[c]))
                             for c in tags]
                if len(batch) >= BATCH:
                    flush()
        flush()
    ids.reset_sequences()
    ctx.stats.add("places.household", n_rows)
    ctx.stats.add("places.household_tags", n_tags)
    ctx.log(f"  households: {n_rows} ({n_tags} tags)")


def _mobile(rng) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"

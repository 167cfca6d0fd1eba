"""Step: functional zones, park buildings (always 154) and enterprises with valid 统一社会信用代码."""

from __future__ import annotations

from civicloop.core.validators import CREDIT_CODE_CHARSET, make_credit_code
from civicloop.places.constants import EnterpriseSize
from civicloop.places.models import Enterprise, ParkBuilding, Zone

from .context import GenerationContext, coord
from .fixtures import ENTERPRISE_TAG_SHARES, FULL_ENTERPRISES, INDUSTRIES, STREET_ROADS, ZONES

BATCH = 5000
PARK_SHARE = 0.45  # share of enterprises registered in a park building
BUILDING_SUFFIXES = ["大厦", "中心", "广场", "科技园", "创意园", "商务楼", "国际大厦", "智造园"]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 organisation code check digit
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def organisation_code(rng) -> str:
    """A 9-character organisation code (GB 11714): 8 characters and their check character."""
    body = "".join(rng.choice(_ORG_CHARS) for _ in range(8))
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng) -> str:
    """统一社会信用代码: 9 (market regulator) 1 (enterprise), 310104 (Xuhui), org code, GB 32100 check char."""
    kind = rng.choices(("91", "92", "52", "12"), (90, 6, 3, 1))[0]  # enterprise, sole trader, NGO, institution
    code = make_credit_code(f"{kind}310104{organisation_code(rng)}")
    assert all(c in CREDIT_CODE_CHARSET for c in code)
    return code


def generate_economy(ctx: GenerationContext) -> None:
    rng = ctx.rng_for("economy")
    fake = ctx.faker_for("economy")
    street_by_name = {s.name: s for s in ctx.streets}

    zones = [Zone(code=f"XH-Z{i:02d}", name=name, district=ctx.district) for i, (name, _s, _n) in enumerate(ZONES, start=1)]
    Zone.objects.bulk_create(zones)
    ctx.stats.add("places.zone", len(zones))

    buildings = []
    for zone, (_name, street_names, n) in zip(zones, ZONES, strict=True):
        for j in range(1, n + 1):
            street = street_by_name[street_names[(j - 1) % len(street_names)]]
            road = rng.choice(STREET_ROADS[street.name])
            lat, lng = ctx.centre[street.pk]
            buildings.append(ParkBuilding(
                code=f"{zone.code}-B{j:03d}", name=f"{fake.company_prefix()}{rng.choice(BUILDING_SUFFIXES)}",
                zone=zone, street=street, district=ctx.district, address=f"{road}{rng.randint(1, 2000)}号",
                lat=coord(lat + rng.uniform(-0.004, 0.004)), lng=coord(lng + rng.uniform(-0.004, 0.004)),
            ))
    ParkBuilding.objects.bulk_create(buildings)
    ctx.stats.add("places.park_building", len(buildings))
    ctx.extra["park_buildings"] = buildings

    streets = list(ctx.street_weight)
    street_w = [ctx.street_weight[s] for s in streets]
    street_obj = {s.pk: s for s in ctx.streets}
    industries, industry_w = zip(*INDUSTRIES, strict=True)
    tag_ids = {code: ctx.tags[code].pk for code in ENTERPRISE_TAG_SHARES}
    through = Enterprise.tags.through
    seen: set[str] = set()
    batch, batch_tags = [], []
    n_rows = n_tags = 0

    def flush() -> None:
        nonlocal n_rows, n_tags
        Enterprise.objects.bulk_create(batch, batch_size=BATCH)
        rows = [through(enterprise_id=e.pk, tag_id=t) for e, ids in zip(batch, batch_tags, strict=True) for t in ids]
        through.objects.bulk_create(rows, batch_size=BATCH)
        n_rows, n_tags = n_rows + len(batch), n_tags + len(rows)
        batch.clear()
        batch_tags.clear()

    for _ in range(ctx.scaled(FULL_ENTERPRISES)):
        code = credit_code(rng)
        while code in seen:
            code = credit_code(rng)
        seen.add(code)
        park = rng.choice(buildings) if rng.random() < PARK_SHARE else None
        street = park.street if park else street_obj[rng.choices(streets, street_w)[0]]
        community = None if park else rng.choice(ctx.committees_by_street[street.pk])
        address = park.address if park else f"{rng.choice(STREET_ROADS[street.name])}{rng.randint(1, 2000)}号"
        if park:
            address += f"{rng.randint(1, 30)}{rng.randint(1, 20):02d}室"
        lat, lng = ctx.centre[(community or street).pk]
        name = fake.company()
        tags = [c for c, share in ENTERPRISE_TAG_SHARES.items() if rng.random() < share]
        batch.append(Enterprise(
            credit_code=code, name=("上海" + name) if rng.random() < 0.6 else name, street=street,
            community=community, park_building=park, district=ctx.district,
            industry=rng.choices(industries, industry_w)[0],
            size=rng.choices(EnterpriseSize.values, (2, 8, 35, 55))[0],
            address=address, contact_name=fake.name(), contact_phone=f"021-{rng.randint(5000_0000, 6999_9999)}",
            lat=coord(lat + rng.uniform(-0.002, 0.002)), lng=coord(lng + rng.uniform(-0.002, 0.002)),
        ))
        batch_tags.append([tag_ids[c] for c in tags])
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    ctx.stats.add("places.enterprise", n_rows)
    ctx.stats.add("places.enterprise_tags", n_tags)
    ctx.log(f"  enterprises: {n_rows} ({n_tags} tags), park buildings: {len(buildings)}")

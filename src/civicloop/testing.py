"""A small named world for tests: one district, two streets, personas for every role.

    world = build_world()
    world.street_dispatcher, world.dept_handler, world.outsider, ...

Personas (see docs/architecture.md):
- district_admin   research office, roles district_admin + dispatcher — sees the whole district
- leader           district office, role leader — sees the whole district, reads only
- street_dispatcher street office of street A (天平路街道-like), dispatcher — sees street A
- committee_worker committee A1, grid_worker + handler — sees community A1
- dept_handler     housing department, handler — district places, only cases dispatched to the department; of
                   households and enterprises only those of its cases (its duty covers no key group)
- civil_handler    (added by `with_civil_affairs(world)`) civil-affairs department (区民政局), handler — its duty
                   covers the key groups 低保 / hardship / disabled / elderly alone: those households across the
                   district, with those tags only
- outsider         street office of street B, dispatcher — must never see street A's objects
- stranger         staff of another district
"""

from __future__ import annotations

from types import SimpleNamespace

from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.models import Unit, User, UserRole
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Tag
from civicloop.places.services import place_create, tags_ensure_defaults

PASSWORD = "test-pass-123"


def make_user(username: str, unit: Unit | None, *roles: str, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, unit=unit, district=unit.district if unit else None,
        display_name=username, is_superuser=superuser, is_staff=superuser,
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    return user


def _tree(district_code: str, abbr: str, name: str):
    d = place_create(code=district_code, name=name, level=PlaceLevel.DISTRICT, abbr=abbr)
    streets = {}
    for s_idx, s_name in ((1, f"{name}甲街道"), (2, f"{name}乙街道")):
        s = place_create(code=f"{district_code[:6]}{s_idx:03d}000", name=s_name, level=PlaceLevel.STREET, parent=d)
        comms = []
        for c_idx in (1, 2):
            c = place_create(code=f"{s.code[:9]}{c_idx:03d}", name=f"{s_name}{c_idx}居委", level=PlaceLevel.COMMUNITY, parent=s)
            comp = place_create(code=f"{c.code}-C001", name=f"{c.name}小区", level=PlaceLevel.COMPOUND, parent=c)
            b = place_create(code=f"{comp.code}-B01", name="1号楼", level=PlaceLevel.BUILDING, parent=comp)
            Household.objects.create(
                code=f"{b.code}-0101", district=d, street=s, community=c, building=b, room="101",
                address=f"{c.name}1号楼101室", head_name="张三", head_phone="13812341234",
            )
            comms.append(c)
        streets[s_idx] = (s, comms)
    return d, streets


def build_world() -> SimpleNamespace:
    tags_ensure_defaults()
    d, streets = _tree("310104000000", "XH", "测试区")
    (street_a, (comm_a1, comm_a2)), (street_b, (comm_b1, _comm_b2)) = streets[1], streets[2]
    unit = lambda code, name, kind, territory=None, parent=None: Unit.objects.create(  # noqa: E731
        code=code, name=name, kind=kind, district=d, territory=territory, parent=parent
    )
    district_office = unit("U-DO", "区委区政府办公室", UnitKind.DISTRICT_OFFICE, d)
    research = unit("U-RO", "区调研办", UnitKind.RESEARCH_OFFICE, d)
    housing = unit("U-HOUSING", "区房管局", UnitKind.DEPARTMENT)
    city_mgmt = unit("U-CITY", "区城管执法局", UnitKind.DEPARTMENT)
    street_a_office = unit("U-SA", f"{street_a.name}办事处", UnitKind.STREET_OFFICE, street_a)
    street_b_office = unit("U-SB", f"{street_b.name}办事处", UnitKind.STREET_OFFICE, street_b)
    committee_a1 = unit("U-CA1", comm_a1.name, UnitKind.COMMITTEE, comm_a1, street_a_office)
    committee_b1 = unit("U-CB1", comm_b1.name, UnitKind.COMMITTEE, comm_b1, street_b_office)
    consultation = unit("U-CONS", "“2+1”会商平台", UnitKind.CONSULTATION_BODY, d)

    other_d, _other_streets = _tree("310105000000", "CN", "他区")
    other_unit = Unit.objects.create(code="U-OTHER", name="他区办", kind=UnitKind.DISTRICT_OFFICE, district=other_d, territory=other_d)

    return SimpleNamespace(
        district=d, street_a=street_a, street_b=street_b, comm_a1=comm_a1, comm_a2=comm_a2, comm_b1=comm_b1,
        other_district=other_d,
        district_office=district_office, research=research, housing=housing, city_mgmt=city_mgmt,
        street_a_office=street_a_office, street_b_office=street_b_office,
        committee_a1=committee_a1, committee_b1=committee_b1, consultation=consultation,
        district_admin=make_user("district_admin", research, Role.DISTRICT_ADMIN, Role.DISPATCHER),
        leader=make_user("leader", district_office, Role.LEADER),
        street_dispatcher=make_user("street_dispatcher", street_a_office, Role.DISPATCHER, Role.HANDLER),
        committee_worker=make_user("committee_worker", committee_a1, Role.GRID_WORKER, Role.HANDLER),
        dept_handler=make_user("dept_handler", housing, Role.HANDLER),
        city_handler=make_user("city_handler", city_mgmt, Role.HANDLER),
        consultation_staff=make_user("consultation_staff", consultation, Role.DISPATCHER),
        outsider=make_user("outsider", street_b_office, Role.DISPATCHER, Role.HANDLER),
        stranger=make_user("stranger", other_unit, Role.DISTRICT_ADMIN, Role.DISPATCHER, Role.LEADER),
        nobody=make_user("nobody", None),
    )


def with_civil_affairs(world: SimpleNamespace) -> SimpleNamespace:
    """Add the civil-affairs department (区民政局, duty tags 低保 / hardship / disabled / elderly alone) and its handler
    `civil_handler` to `world` (kept out of `build_world`, whose departments other tests count)."""
    world.civil_affairs = Unit.objects.create(code="U-CIVIL", name="区民政局", kind=UnitKind.DEPARTMENT,
                                              district=world.district)
    world.civil_affairs.duty_tags.set(Tag.objects.filter(code__in=("dibao", "hardship", "disabled", "elderly_alone")))
    world.civil_handler = make_user("civil_handler", world.civil_affairs, Role.HANDLER)
    return world


def parameterless_urls(patterns=None, prefix: str = ""):
    """Every URL of the project without parameters (pages, API list endpoints, the API docs), for the tests that
    walk all of them (CSP, nothing from outside, English pages)."""
    from django.urls import URLResolver, get_resolver

    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from parameterless_urls(p.url_patterns, prefix + str(p.pattern))
        elif "<" not in str(p.pattern) and not str(p.pattern).startswith("^"):
            yield "/" + prefix + str(p.pattern)

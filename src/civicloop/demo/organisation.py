"""Steps: units (district offices, departments, street offices, committees, party organisations, the "2+1"
consultation platform), staff with the demo logins, and people records without login."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from civicloop.core.validators import make_id_number
from civicloop.orgs.constants import PersonKind, Role, UnitKind
from civicloop.orgs.models import Person, Unit, User, UserRole

from .context import GenerationContext
from .fixtures import DEPARTMENTS, DUTY_TAGS, FULL_PEOPLE, STREET_INITIALS

PARTY_ORGS_EXTRA = ["区委办公室", "区发展改革委", "区财政局", "区科委", "区商务委", "区文化旅游局", "区司法局", "区国资委"]
PEOPLE_SHARES = {  # of FULL_PEOPLE at scale 1
    PersonKind.PARTY_REP: 40, PersonKind.NPC_DEPUTY: 40, PersonKind.CPPCC_MEMBER: 40, PersonKind.YOUTH_MEMBER: 20,
    PersonKind.LAWYER: 40, PersonKind.VOLUNTEER: 250, PersonKind.PARTY_MEMBER: 150, PersonKind.CADRE: 20,
}
assert sum(PEOPLE_SHARES.values()) == FULL_PEOPLE


def _street_office_name(name: str) -> str:
    return f"{name}人民政府" if name.endswith("镇") else f"{name}办事处"


def generate_units_and_staff(ctx: GenerationContext) -> None:
    d = ctx.district
    units: list[Unit] = []

    def unit(code: str, name: str, kind: str, territory=None, parent=None, duties: str = "") -> Unit:
        u = Unit(code=code, name=name, kind=kind, territory=territory, parent=parent, district=d, duties=duties)
        units.append(u)
        return u

    office = unit("XH-DO", "徐汇区委区政府办公室", UnitKind.DISTRICT_OFFICE, d)
    research = unit("XH-RO", "区调研办", UnitKind.RESEARCH_OFFICE, d, duties="民情调研、跨部门派单、考核评价")
    consult = unit("XH-CONS", "“2+1”会商平台", UnitKind.CONSULTATION_BODY, d, duties="疑难案件会商")
    departments = [(unit(f"XH-D-{ini.upper()}", name, UnitKind.DEPARTMENT, duties=duties), ini) for name, ini, duties in DEPARTMENTS]
    party_orgs = [unit(f"XH-PO-{i:02d}", f"{name}机关党委", UnitKind.PARTY_ORG)
                  for i, name in enumerate([n for n, _i, _d in DEPARTMENTS] + PARTY_ORGS_EXTRA, start=1)]
    Unit.objects.bulk_create(units)
    duty_links = [Unit.duty_tags.through(unit_id=u.pk, tag_id=ctx.tags[code].pk)
                  for u, ini in departments for code in DUTY_TAGS.get(ini, ())]
    Unit.duty_tags.through.objects.bulk_create(duty_links)
    ctx.stats.add("orgs.unit_duty_tags", len(duty_links))
    street_offices = [unit(f"XH-S-{s.code}", _street_office_name(s.name), UnitKind.STREET_OFFICE, s) for s in ctx.streets]
    Unit.objects.bulk_create(street_offices)
    office_of = {s.pk: u for s, u in zip(ctx.streets, street_offices, strict=True)}
    committee_units = [unit(f"XH-C-{c.code}", c.name, UnitKind.COMMITTEE, c, office_of[c.street_id]) for c in ctx.committees]
    Unit.objects.bulk_create(committee_units)
    ctx.units = {u.code: u for u in units}
    ctx.extra["party_orgs"] = party_orgs
    ctx.stats.add("orgs.unit", len(units))

    rng = ctx.rng_for("staff")
    fake = ctx.faker_for("staff")
    staff: list[tuple[str, Unit, tuple[str, ...]]] = [
        ("xh_admin", research, (Role.DISTRICT_ADMIN, Role.DISPATCHER)),
        ("xh_leader", office, (Role.LEADER,)),
        ("xh_consult", consult, (Role.DISPATCHER,)),
    ]
    staff += [(f"xh_visit{i:02d}", research, (Role.VISIT_MEMBER,)) for i in range(1, 5)]
    staff += [(f"xh_inspect{i:02d}", research, (Role.INSPECTOR,)) for i in range(1, 3)]
    staff += [(f"{ini}_handler", u, (Role.HANDLER,)) for u, ini in departments]
    for s in ctx.streets:
        staff.append((f"{STREET_INITIALS[s.name]}_dispatcher", office_of[s.pk], (Role.DISPATCHER, Role.HANDLER)))
    committee_unit_of = {u.territory_id: u for u in committee_units}
    for s in ctx.streets:
        ini = STREET_INITIALS[s.name]
        for n, c in enumerate(ctx.committees_by_street[s.pk], start=1):
            staff.append((f"{ini}_c{n:02d}_grid", committee_unit_of[c.pk], (Role.GRID_WORKER, Role.HANDLER)))

    User.objects.update_or_create(
        username="admin",
        defaults={"password": ctx.password_hash, "is_superuser": True, "is_staff": True, "display_name": _("平台管理员"),
                  "unit": None, "district": None},
    )
    users = [staff_row(ctx, rng, fake, login=login, unit=u) for login, u, _roles in staff]
    User.objects.bulk_create(users)
    roles = [UserRole(user=user, role=r) for user, (_l, _u, rs) in zip(users, staff, strict=True) for r in rs]
    UserRole.objects.bulk_create(roles)
    ctx.stats.add("orgs.user", len(users) + 1)
    ctx.stats.add("orgs.user_role", len(roles))
    ctx.extra["all_logins"] = ["admin"] + [lg for lg, *_ in staff]


def staff_row(ctx: GenerationContext, rng, fake, *, login: str, unit: Unit) -> User:
    """A demo login (unsaved) with the demo password's hash, a made-up name and mobile number. Other steps adding
    logins (the visit teams' recorders) use it, and add their roles and `ctx.extra["all_logins"]` themselves."""
    return User(username=login, password=ctx.password_hash, unit=unit, district=ctx.district, display_name=fake.name(),
                phone=f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}")


# The logins shown after generation (and in README.md); every street and committee has its own as well.
KEY_LOGINS = ["admin", "xh_admin", "xh_leader", "xh_consult", "xh_visit01", "xh_inspect01", "fg_handler",
              "cgzf_handler", "mz_handler", "tpl_dispatcher", "tpl_c01_grid", "xjh_dispatcher", "xjh_c01_grid"]


def key_logins() -> list[tuple[str, str]]:
    """(login, who) for the key demo logins that exist, described from their unit and roles."""
    users = {u.username: u for u in User.objects.filter(username__in=KEY_LOGINS).select_related("unit").prefetch_related("role_rows")}
    rows = []
    for login in KEY_LOGINS:
        if (user := users.get(login)) is None:
            continue
        if user.is_superuser:
            rows.append((login, str(_("平台管理员（超级用户，/admin/）"))))
            continue
        roles = " + ".join(str(r.get_role_display()) for r in sorted(user.role_rows.all(), key=lambda r: r.role))
        rows.append((login, f"{user.unit.name if user.unit else ''} · {roles}"))
    return rows


def generate_people(ctx: GenerationContext) -> None:
    rng = ctx.rng_for("people")
    fake = ctx.faker_for("people")
    party_orgs = ctx.extra["party_orgs"]
    people, n = [], 0
    for kind, full in PEOPLE_SHARES.items():
        for _i in range(ctx.scaled(full, minimum=2)):
            n += 1
            people.append(person_row(ctx, rng, fake, n=n, kind=kind, party_orgs=party_orgs))
    Person.objects.bulk_create(people, batch_size=2000)
    ctx.stats.add("orgs.person", len(people))


def person_row(ctx: GenerationContext, rng, fake, *, n: int, kind: str, party_orgs) -> Person:
    """A person record `XH-P<n>` of `kind` (unsaved): cadres and party members belong to one of `party_orgs`,
    the others live in a committee; lawyers name their firm. Other steps adding people (the visit teams) use it."""
    born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 50 * 365))
    community = rng.choice(ctx.committees) if kind != PersonKind.CADRE else None
    note = f"{fake.last_name()}{rng.choice(('律师事务所', '律师事务所', '法律服务所'))}" if kind == PersonKind.LAWYER else ""
    return Person(
        code=f"XH-P{n:06d}", name=fake.name(), kind=kind, district=ctx.district,
        phone=f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}",
        id_number=make_id_number(f"310104{born:%Y%m%d}{rng.randint(0, 999):03d}"),
        unit=rng.choice(party_orgs) if kind in (PersonKind.CADRE, PersonKind.PARTY_MEMBER) else None,
        community=community, note=note,
    )

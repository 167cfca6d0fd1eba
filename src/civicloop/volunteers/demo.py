"""Demo step: the district's volunteers and reporting party members (双报到) with a year of hours, after the demo's
people records (orgs.Person of kind 志愿者 / 报到党员, each living in or reporting to a community; a party member's
unit is their agency's party organisation):

- every such person is registered to their community;
- each community with members had `NEEDS_PER_MONTH` service needs a month over the last twelve months (an elderly
  visit in the morning, a patrol in the evening — some overnight — garbage-sorting guidance at the collection
  hour …), filled from its members, each checked in and out with the shift's hours in the ledger (the pure
  `hours.shift_hours`: the same arithmetic as the services). This history is bulk-written: the services' rules
  (slots, one sign-up each, check-out after check-in) hold for it by construction;
- each of those communities has one open need next week;
- then, through the services, as a committee would: the grid worker of 天平路's first committee (`tpl_c01_grid`)
  posts a need that started two hours ago, a volunteer of the community signs up on their own page, checks in and
  out, and the community's hours grow by the shift (the issue's "done when", logged);
- two recognition rules (最美志愿者: the top 10 by hours with at least 20; 优秀报到党员: party members, top 10, at
  least 10), kept by `xh_admin`.

Deterministic: one seeded generator; times from the cases' end (`cases_end`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from civicloop.core.bulk import NewRows, Table, indexes_deferred
from civicloop.orgs.constants import PersonKind
from civicloop.orgs.models import Person, User
from civicloop.workdays.calendar import SHANGHAI

from .constants import MemberKind, NeedCategory, NeedState, SignUpState
from .hours import shift_hours, total
from .models import HoursEntry, Member, MemberYearHours, RecognitionRule, ServiceNeed, SignUp
from .services import (
    member_register,
    need_post,
    rule_save,
    signup_check_in,
    signup_check_out,
    signup_create,
    totals_rebuild,
)

NEEDS_PER_MONTH = 2
PER_COMMUNITY_AT_SCALE_1, PER_COMMUNITY_MIN = 60, 4  # volunteers and party members a community's roster adds
# (category, title, start hour, minutes) — a patrol from 22:00 runs past midnight
SHIFTS = [
    (NeedCategory.ELDERLY_VISIT, "独居老人上门探访", 9, 120),
    (NeedCategory.PATROL, "平安巡逻", 19, 120),
    (NeedCategory.GARBAGE_SORTING, "垃圾分类定时定点引导", 7, 90),
    (NeedCategory.CIVILISATION, "文明交通劝导", 16, 90),
    (NeedCategory.PATROL, "夜间平安巡逻", 22, 240),
    (NeedCategory.ELDERLY_VISIT, "高龄老人助餐送餐", 11, 60),
    (NeedCategory.OTHER, "楼道堆物清理", 14, 120),
    (NeedCategory.OTHER, "防范电信诈骗宣传", 10, 90),
    (NeedCategory.CIVILISATION, "共享单车规范停放整理", 8, 60),
    (NeedCategory.OTHER, "社区助老理发", 9, 150),
]
KIND = {PersonKind.VOLUNTEER: MemberKind.VOLUNTEER, PersonKind.PARTY_MEMBER: MemberKind.PARTY_MEMBER}
DONE_WHEN_KEEPER = "tpl_c01_grid"


def generate_volunteers(ctx) -> None:
    """The demo step (`VolunteersConfig.demo_steps`)."""
    from civicloop.cases.demo import cases_end

    end = (ctx.extra.get("cases_end") or cases_end()).astimezone(SHANGHAI)
    rng = ctx.rng_for("volunteers")
    d = ctx.district
    communities = {c.pk: c for c in ctx.committees}
    _more_people(ctx, rng, communities)
    people = list(Person.objects.filter(district=d, kind__in=list(KIND), community__isnull=False).order_by("code"))
    ids = NewRows()
    members = [ids.row(Member, district_id=d.pk, street_id=communities[p.community_id].street_id,
                       community_id=p.community_id, person_id=p.pk, kind=KIND[p.kind],
                       unit_id=p.unit_id if p.kind == PersonKind.PARTY_MEMBER else None,
                       registered_at=end - dt.timedelta(days=365 + rng.randint(0, 700)))
               for p in people if p.community_id in communities]
    by_community: dict[int, list[dict]] = {}
    for m in members:
        by_community.setdefault(m["community_id"], []).append(m)
    needs, picks = [], []
    first_day = end.date() - dt.timedelta(days=365)
    for n, community_id in enumerate(sorted(by_community, key=lambda pk: communities[pk].code)):
        pool = by_community[community_id]
        community = communities[community_id]
        for month in range(12):
            for k in range(NEEDS_PER_MONTH):
                category, title, hour, minutes = SHIFTS[(month * NEEDS_PER_MONTH + k + n) % len(SHIFTS)]
                day = first_day + dt.timedelta(days=month * 30 + rng.randint(1, 28))
                start = dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)
                slots = rng.randint(2, 6)
                chosen = rng.sample(pool, min(len(pool), rng.randint(1, slots)))
                needs.append(ids.row(ServiceNeed, district_id=d.pk, street_id=community.street_id,
                                     community_id=community.pk, title=title, category=category, starts_at=start,
                                     ends_at=start + dt.timedelta(minutes=minutes), slots=slots, taken=len(chosen),
                                     state=NeedState.CLOSED, created_at=start - dt.timedelta(days=7)))
                picks.append(chosen)
        # the open need: any shift, on a day of the next two weeks (a board of ~300 communities is not one list of
        # the same shift on the same morning)
        category, title, hour, minutes = rng.choice(SHIFTS)
        start = dt.datetime.combine(end.date() + dt.timedelta(days=rng.randint(1, 14)), dt.time(hour),
                                    tzinfo=SHANGHAI)
        needs.append(ids.row(ServiceNeed, district_id=d.pk, street_id=community.street_id, community_id=community.pk,
                             title=title, category=category, starts_at=start,
                             ends_at=start + dt.timedelta(minutes=minutes), slots=rng.randint(3, 8), created_at=end))
        picks.append([])
    signups, entries = [], []
    for need, chosen in zip(needs, picks, strict=True):
        for m in chosen:
            check_in = need["starts_at"] + dt.timedelta(minutes=rng.randint(-10, 10))
            check_out = need["ends_at"] + dt.timedelta(minutes=rng.randint(-15, 20))
            signup = ids.row(SignUp, district_id=d.pk, street_id=need["street_id"],
                             community_id=need["community_id"], need_id=need["id"], member_id=m["id"],
                             state=SignUpState.CHECKED_OUT, signed_up_at=need["created_at"], check_in_at=check_in,
                             check_out_at=check_out, hours=shift_hours(check_in, check_out))
            signups.append(signup)
            entries.append(ids.row(HoursEntry, district_id=d.pk, street_id=signup["street_id"],
                                   community_id=signup["community_id"], member_id=m["id"], unit_id=m["unit_id"],
                                   signup_id=signup["id"], kind="service",
                                   day=check_in.astimezone(SHANGHAI).date(), hours=signup["hours"],
                                   created_at=check_out))
    # rows by attname with their ids, written raw (core.bulk): bulk_create's per-value field adaptation was most of
    # this step; the secondary indexes of the empty tables are built once afterwards
    with indexes_deferred([Member, ServiceNeed, SignUp, HoursEntry]):
        for model, rows in ((Member, members), (ServiceNeed, needs), (SignUp, signups), (HoursEntry, entries)):
            table = Table(model, pk=True)
            table.write([table.values(r) for r in rows])
    ids.reset_sequences()
    totals_rebuild(district_id=d.pk)  # the year totals the board reads, from the ledger just written
    _rules(d)
    done_when = _done_when(ctx, end)
    ctx.stats.add("volunteers.member", Member.objects.filter(district=d).count())
    ctx.stats.add("volunteers.need", ServiceNeed.objects.filter(district=d).count())
    ctx.stats.add("volunteers.signup", SignUp.objects.filter(district=d).count())
    ctx.stats.add("volunteers.hours_entry", HoursEntry.objects.filter(district=d).count())
    ctx.stats.add("volunteers.member_year_hours", MemberYearHours.objects.filter(district=d).count())
    ctx.log(f"  volunteers: {len(members)} members, {len(needs)} needs, {len(signups)} shifts{done_when}")


def _more_people(ctx, rng, communities: dict) -> None:
    """The demo's people step makes a few hundred volunteers and party members for the whole district (at scale 1);
    a community's roster has a few dozen: `PER_COMMUNITY_AT_SCALE_1` × scale more per community (at least
    `PER_COMMUNITY_MIN`), made like the others (`demo.organisation.person_row`), numbered after the last one."""
    from civicloop.demo.organisation import person_row

    fake = ctx.faker_for("volunteers")
    party_orgs = sorted(ctx.extra.get("party_orgs") or [], key=lambda u: u.code)
    last = Person.objects.filter(district=ctx.district, code__startswith="XH-P").order_by("-code") \
        .values_list("code", flat=True).first()
    n = int(last.removeprefix("XH-P")) if last else 0
    each = max(PER_COMMUNITY_MIN, round(PER_COMMUNITY_AT_SCALE_1 * ctx.scale))
    people = []
    for community in sorted(communities.values(), key=lambda c: c.code):
        for i in range(each):
            kind = PersonKind.PARTY_MEMBER if party_orgs and i % 3 == 2 else PersonKind.VOLUNTEER
            n += 1
            person = person_row(ctx, rng, fake, n=n, kind=kind, party_orgs=party_orgs)
            person.community = community
            people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    ctx.stats.add("orgs.person", len(people))


def _rules(d) -> None:
    admin = User.objects.filter(district=d, username="xh_admin").first()
    if admin is None:
        return
    rule_save(actor=admin, name="最美志愿者", top_n=10, min_hours=Decimal("20"))
    rule_save(actor=admin, name="优秀报到党员", kind=MemberKind.PARTY_MEMBER, top_n=10, min_hours=Decimal("10"))


def community_hours(community_id: int) -> Decimal:
    """The community's hours in the ledger, to the hundredth (SQLite sums decimals as floats)."""
    return total([HoursEntry.objects.filter(community_id=community_id).aggregate(h=Sum("hours"))["h"] or Decimal("0")])


def _done_when(ctx, end: dt.datetime) -> str:
    """A volunteer signs up for a need, checks in and out on their own page; the community's hours grow."""
    keeper = User.objects.select_related("unit").filter(district=ctx.district, username=DONE_WHEN_KEEPER).first()
    if keeper is None or keeper.unit is None or keeper.unit.territory_id is None:
        return ""
    community_id = keeper.unit.territory_id
    member = Member.objects.filter(community_id=community_id, kind=MemberKind.VOLUNTEER, active=True).first()
    if member is None:
        member = member_register(actor=keeper, community_id=community_id, kind=MemberKind.VOLUNTEER, name="王志愿",
                                 phone="13916000001", now=end - dt.timedelta(days=30))
    start = end - dt.timedelta(hours=2)
    need = need_post(actor=keeper, community_id=community_id, title="楼道堆物清理志愿服务",
                     category=NeedCategory.CIVILISATION, starts_at=start, ends_at=start + dt.timedelta(hours=3),
                     slots=4, location="居委会门口", now=start - dt.timedelta(days=2))
    before = community_hours(community_id)
    signup = signup_create(need_id=need.pk, member_id=member.pk, by_member=True, now=start - dt.timedelta(days=1))
    signup_check_in(signup_id=signup.pk, member_id=member.pk, now=start)
    signup = signup_check_out(signup_id=signup.pk, member_id=member.pk, now=end)
    after = community_hours(community_id)
    ctx.extra["volunteers_done_when"] = {"need": need.pk, "member": member.pk, "before": before, "after": after}
    return f"; {DONE_WHEN_KEEPER}'s community: {before} → {after} hours ({signup.hours} by {member.person.code})"


def delete_volunteers(district) -> None:
    """The reset step (`VolunteersConfig.demo_reset_steps`): every volunteers row of `district`, before the demo's
    people records and units are deleted."""
    MemberYearHours.objects.filter(district=district).delete()
    HoursEntry.objects.filter(district=district).delete()
    SignUp.objects.filter(district=district).delete()
    ServiceNeed.objects.filter(district=district).delete()
    Member.objects.filter(district=district).delete()
    RecognitionRule.objects.filter(district=district).delete()

"""Reads of the volunteers app. Every function takes the viewer (`permissions.visible_q`: a committee its community,
a street its street, the district's staff the district); a row out of sight is not found, like a missing one.
Names and phones of members are masked here for whoever does not keep the member's community
(`permissions.sees_personal_data`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.core.masking import mask_name, mask_phone
from civicloop.core.selectors import first_or_not_found
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place
from civicloop.workdays.calendar import SHANGHAI

from .constants import (
    ACTIVE_SIGNUP_STATES,
    BOARD_NEEDS,
    BOARD_TOP,
    MEMBER_NEEDS,
    MemberKind,
    NeedState,
    SignUpState,
)
from .hours import total
from .models import HoursEntry, Member, MemberYearHours, RecognitionRule, ServiceNeed, SignUp
from .permissions import may_keep, visible_q
from .recognition import recognised

ZERO = Decimal("0.00")


def this_year() -> int:
    return timezone.now().astimezone(SHANGHAI).year


def in_year(year: int) -> dict:
    """A ledger filter for a calendar year, as a range over `day` (an index can serve it; `day__year` is a function
    of every row — on SQLite a Python call per row)."""
    return {"day__gte": dt.date(year, 1, 1), "day__lt": dt.date(year + 1, 1, 1)}


def shown(actor, member: Member) -> Member:
    """The member with `shown_name` and `shown_phone`: in full for the keepers of their community, masked else."""
    full = may_keep(actor, member.district_id, member.community_id)
    person = member.person
    member.shown_name = person.name if full else mask_name(person.name)
    member.shown_phone = person.phone if full else mask_phone(person.phone)
    return member


# ----- members

def members_for(actor, *, community_id: int | None = None, kind: str | None = None, active_only: bool = True):
    qs = Member.objects.filter(visible_q(actor)).select_related("person", "unit", "community")
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("community_id", "pk")


def member_rows_for(actor, *, community_id: int | None = None, kind: str | None = None, year: int | None = None,
                    limit: int = 500) -> list[Member]:
    """Members with their hours of `year` (`year_hours`), masked as the viewer may see them: two statements."""
    year = year or this_year()
    rows = list(members_for(actor, community_id=community_id, kind=kind)[:limit])
    hours = dict(MemberYearHours.objects.filter(member_id__in=[m.pk for m in rows], year=year).order_by()
                 .values_list("member_id", "hours"))
    for m in rows:
        m.year_hours = total([hours.get(m.pk)])
        shown(actor, m)
    return rows


def member_get_for(actor, member_id: int) -> Member:
    return shown(actor, first_or_not_found(members_for(actor, active_only=False), pk=member_id))


def member_hours(member: Member, *, year: int | None = None) -> dict:
    """A member's ledger (the member already read as someone allowed to: a selector above, or their own proof):
    totals per year (`MemberYearHours`), this year's rows, their sign-ups still open."""
    year = year or this_year()
    by_year = [(y, total([h])) for y, h in MemberYearHours.objects.filter(member=member).order_by("-year")
               .values_list("year", "hours")]
    entries = list(HoursEntry.objects.filter(member=member, **in_year(year)).select_related("signup__need")
                   .order_by("-day", "-pk")[:200])
    signups = list(SignUp.objects.filter(member=member, state__in=(SignUpState.SIGNED_UP, SignUpState.CHECKED_IN))
                   .select_related("need").order_by("need__starts_at"))
    return {"member": member, "year": year, "by_year": by_year, "entries": entries, "signups": signups,
            "year_hours": dict(by_year).get(year, ZERO), "all_hours": total(h for _y, h in by_year)}


def open_needs_for_member(member: Member, *, now: dt.datetime | None = None) -> list[ServiceNeed]:
    """Open needs of the member's community that they have not signed up for (the self-service page)."""
    now = now or timezone.now()
    mine = SignUp.objects.filter(member=member, state__in=ACTIVE_SIGNUP_STATES).values("need_id")
    return list(ServiceNeed.objects.filter(open_q(now), community_id=member.community_id)
                .exclude(pk__in=mine).order_by("starts_at")[:MEMBER_NEEDS])


# ----- needs

def needs_for(actor, *, community_id: int | None = None, open_only: bool = False, now: dt.datetime | None = None,
              place: Place | None = None):
    """Needs in the viewer's sight, soonest first; of one community, or below a place (`board_place_for`'s)."""
    qs = ServiceNeed.objects.filter(visible_q(actor)).select_related("community")
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    if place is not None:
        qs = qs.filter(below_q(place))
    if open_only:
        qs = qs.filter(open_q(now or timezone.now()))
    return qs.order_by("starts_at", "pk")


def need_get_for(actor, need_id: int) -> ServiceNeed:
    return first_or_not_found(needs_for(actor), pk=need_id)


def need_roster_for(actor, need_id: int) -> tuple[ServiceNeed, list[SignUp]]:
    """A need and its sign-ups (the check-in page), members masked as the viewer may see them."""
    need = need_get_for(actor, need_id)
    signups = list(SignUp.objects.filter(need=need).exclude(state=SignUpState.CANCELLED)
                   .select_related("member__person", "member__unit").order_by("pk"))
    for s in signups:
        shown(actor, s.member)
    return need, signups


# ----- the board

@dataclass
class BoardRow:
    place: Place
    volunteers: int = 0
    party_members: int = 0
    hours: Decimal = ZERO
    open_needs: int = 0


@dataclass
class Board:
    place: Place
    year: int
    rows: list[BoardRow]
    needs: list[ServiceNeed]
    top: list[Member] = field(default_factory=list)
    units: list[tuple[str, Decimal, int]] = field(default_factory=list)

    @property
    def volunteers(self) -> int:
        return sum(r.volunteers for r in self.rows)

    @property
    def party_members(self) -> int:
        return sum(r.party_members for r in self.rows)

    @property
    def hours(self) -> Decimal:
        return total(r.hours for r in self.rows)

    @property
    def open_needs(self) -> int:
        return sum(r.open_needs for r in self.rows)


PLACE_FIELD = {PlaceLevel.DISTRICT: "district", PlaceLevel.STREET: "street", PlaceLevel.COMMUNITY: "community"}


def below_q(place: Place) -> Q:
    """Rows (members, needs, ledger, totals: each carries its district, street and community) below a board's place."""
    return Q(**{f"{PLACE_FIELD[place.level]}_id": place.pk})


def open_q(now: dt.datetime) -> Q:
    """Needs still taking sign-ups: open and not yet ended (the board's count, its list and the needs page's)."""
    return Q(state=NeedState.OPEN, ends_at__gt=now)


def board_place_for(actor, place_id: int | None) -> Place:
    """The place a board is for: one in the viewer's sight (a district, street or community), default their root."""
    scope = scope_for(actor)
    if not scope.has_territory:
        raise not_found()
    pk = place_id if place_id is not None else scope.root_id
    place = Place.objects.defer("boundary").filter(pk=pk, level__in=(
        PlaceLevel.DISTRICT, PlaceLevel.STREET, PlaceLevel.COMMUNITY)).first() if pk is not None else None
    if place is None or not scope.covers_place(place):
        raise not_found()
    return place


def board_for(actor, *, place_id: int | None = None, year: int | None = None, now: dt.datetime | None = None) -> Board:
    """The volunteer board of a district, street or community: per part below it (streets of a district,
    communities of a street) the members by kind, the year's hours and the open needs; the open needs themselves;
    the year's top members; hours per unit. The year's totals per member (`MemberYearHours`), never the ledger:
    six statements, whatever the size, over one row per member rather than one per shift."""
    place = board_place_for(actor, place_id)
    year = year or this_year()
    now = now or timezone.now()
    where = below_q(place)
    if place.level == PlaceLevel.DISTRICT:
        part = "street"
        parts = Place.objects.defer("boundary").filter(parent_id=place.pk, level=PlaceLevel.STREET)
    elif place.level == PlaceLevel.STREET:
        part = "community"
        parts = Place.objects.defer("boundary").filter(parent_id=place.pk, level=PlaceLevel.COMMUNITY)
    else:
        part = "community"
        parts = Place.objects.defer("boundary").filter(pk=place.pk)
    rows = {p.pk: BoardRow(p) for p in parts.order_by("code")}
    key = f"{part}_id"
    for k, kind, n in Member.objects.filter(where, active=True).order_by().values_list(key, "kind").annotate(
            n=Count("pk")).values_list(key, "kind", "n"):
        if k in rows:
            if kind == MemberKind.PARTY_MEMBER:
                rows[k].party_members += n
            else:
                rows[k].volunteers += n
    # the year's totals (one row per member, `MemberYearHours`), not the ledger: per part, the top members, the units
    totals = MemberYearHours.objects.filter(where, year=year).order_by()
    for k, h in totals.values_list(key).annotate(h=Sum("hours")).values_list(key, "h"):
        if k in rows:
            rows[k].hours += Decimal(h)
    for r in rows.values():
        r.hours = total([r.hours])
    open_here = where & open_q(now)
    for k, n in ServiceNeed.objects.filter(open_here).order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"):
        if k in rows:
            rows[k].open_needs = n
    needs = list(ServiceNeed.objects.filter(open_here).select_related("community").defer("community__boundary")
                 .order_by("starts_at", "pk")[:BOARD_NEEDS])
    top = []
    for t in totals.select_related("member__person", "member__unit", "member__community").defer(
            "member__community__boundary").order_by("-hours", "member_id")[:BOARD_TOP]:
        m = shown(actor, t.member)
        m.year_hours = total([t.hours])
        top.append(m)
    units = [(name or "", total([h]), n) for name, h, n in totals.filter(unit__isnull=False)
             .values("unit_id", "unit__name").annotate(h=Sum("hours"), n=Count("pk")).order_by("-h", "unit_id")
             .values_list("unit__name", "h", "n")[:BOARD_TOP]]
    return Board(place=place, year=year, rows=list(rows.values()), needs=needs, top=top, units=units)


def unit_hours_for(actor, *, year: int | None = None) -> list[dict]:
    """Hours per unit in the viewer's sight for the year (the party members' agencies), from the members' year
    totals: one statement."""
    year = year or this_year()
    return [{"unit_id": u, "unit_name": name, "hours": total([h]), "members": n}
            for u, name, h, n in MemberYearHours.objects.filter(visible_q(actor), year=year, unit__isnull=False)
            .values("unit_id", "unit__name").annotate(h=Sum("hours"), n=Count("member_id", distinct=True))
            .order_by("-h", "unit_id").values_list("unit_id", "unit__name", "h", "n")]


# ----- recognition

def rules_for(actor):
    scope = scope_for(actor)
    if not scope.has_territory:
        return RecognitionRule.objects.none()
    return scope.filter_district(RecognitionRule.objects.filter(active=True)).order_by("pk")


def recognition_for(actor, rule_id: int, *, year: int | None = None) -> tuple[RecognitionRule, list]:
    """A rule's list for a year, over the members in the viewer's sight (a committee sees its own part of it):
    [(Listed, member)]. Two statements."""
    rule = first_or_not_found(rules_for(actor), pk=rule_id)
    year = year or this_year()
    qs = MemberYearHours.objects.filter(visible_q(actor), year=year)
    if rule.street_id is not None:
        qs = qs.filter(street_id=rule.street_id)
    if rule.kind:
        qs = qs.filter(member__kind=rule.kind)
    totals = list(qs.order_by().values_list("member_id", "hours"))
    listed = recognised(totals, top_n=rule.top_n, min_hours=rule.min_hours)
    members = {m.pk: m for m in Member.objects.filter(pk__in=[r.key for r in listed])
               .select_related("person", "unit", "community").defer("community__boundary")}
    return rule, [(r, shown(actor, members[r.key])) for r in listed]

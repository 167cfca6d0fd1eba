"""Volunteers bench (issue 18), in-process against the database in DATABASE_URL (migrated; SQLite or PostgreSQL):

1. a bench district (its own codes) with one street of BENCH_VOL_COMMUNITIES (25) communities, each with
   BENCH_VOL_MEMBERS (100) members (a third reporting party members of 20 agencies), 24 needs a month over a year
   and a ledger row per shift — BENCH_VOL_SHIFTS (40) shifts per member in the year, bulk-written (the prefill is
   not what is measured; the members' year totals are then computed from it, `services.totals_rebuild`), and 10 open
   needs per community;
2. the volunteer board of the street (`selectors.board_for` for a street office's dispatcher, and the page rendered
   around it by `views.board`) → p50 / p95 of BENCH_VOL_READS (30) reads (goal ≤ 100 ms).
Prints one JSON line: a list of {name, seconds, rows, note}.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from decimal import Decimal

from kit import Laps, bench_district, bench_unit, bench_user, django_setup, emit, p50_p95

django_setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402,F401
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from civicloop.orgs.constants import PersonKind, Role, UnitKind  # noqa: E402
from civicloop.orgs.models import Person, Unit, User  # noqa: E402
from civicloop.places.constants import PlaceLevel  # noqa: E402
from civicloop.places.models import Place  # noqa: E402
from civicloop.volunteers import views  # noqa: E402
from civicloop.volunteers.constants import MemberKind, NeedCategory, NeedState, SignUpState  # noqa: E402
from civicloop.volunteers.models import HoursEntry, Member, ServiceNeed, SignUp  # noqa: E402
from civicloop.volunteers.selectors import board_for  # noqa: E402
from civicloop.volunteers.services import totals_rebuild  # noqa: E402
from civicloop.workdays.calendar import SHANGHAI  # noqa: E402

COMMUNITIES = int(os.environ.get("BENCH_VOL_COMMUNITIES", "25"))
MEMBERS = int(os.environ.get("BENCH_VOL_MEMBERS", "100"))
SHIFTS = int(os.environ.get("BENCH_VOL_SHIFTS", "40"))
READS = int(os.environ.get("BENCH_VOL_READS", "30"))
DISTRICT = "319995000000"


def world():
    district, _made = bench_district(DISTRICT, "志愿基准区", "ZQ", street="志愿基准街道",
                                     communities=[f"基准{i + 1}居委" for i in range(COMMUNITIES)])
    street = Place.objects.get(code="319995001000")
    office = bench_unit("ZQ-SO", name="志愿基准街道办事处", kind=UnitKind.STREET_OFFICE, district=district,
                        territory=street)
    return district, street, bench_user("zq_dispatcher", unit=office, role=Role.DISPATCHER, password="x",
                                        district=district)


def prefill(district, street) -> int:
    if Member.objects.filter(district=district).exists():
        return HoursEntry.objects.filter(district=district).count()
    agencies = Unit.objects.bulk_create([Unit(code=f"ZQ-A{k:02d}", name=f"基准机关{k}党委", kind=UnitKind.PARTY_ORG,
                                              district=district) for k in range(20)])
    communities = list(Place.objects.filter(parent=street, level=PlaceLevel.COMMUNITY).order_by("code"))
    now = timezone.now()
    people = []
    for c in communities:
        for k in range(MEMBERS):
            party = k % 3 == 0
            people.append(Person(district=district, code=f"ZQ{c.code[-3:]}{k:05d}", name=f"志愿{k}",
                                 kind=PersonKind.PARTY_MEMBER if party else PersonKind.VOLUNTEER,
                                 phone=f"139{k:08d}", community=c, unit=agencies[k % 20] if party else None))
    Person.objects.bulk_create(people, batch_size=5000)
    members = Member.objects.bulk_create([
        Member(district=district, street=street, community_id=p.community_id, person=p,
               kind=MemberKind.PARTY_MEMBER if p.kind == PersonKind.PARTY_MEMBER else MemberKind.VOLUNTEER,
               unit_id=p.unit_id, registered_at=now - dt.timedelta(days=400)) for p in people], batch_size=5000)
    by_c = {}
    for m in members:
        by_c.setdefault(m.community_id, []).append(m)
    start = now.astimezone(SHANGHAI) - dt.timedelta(days=365)
    rows = 0
    for c in communities:
        needs = []
        for n in range(24 * 12):
            s = start + dt.timedelta(days=n * 365 / 288, hours=9)
            needs.append(ServiceNeed(district=district, street=street, community=c, title="探访", slots=60,
                                     category=NeedCategory.ELDERLY_VISIT, starts_at=s, ends_at=s + dt.timedelta(hours=2),
                                     state=NeedState.CLOSED, created_at=s))
        for n in range(10):
            s = now + dt.timedelta(days=n + 1)
            needs.append(ServiceNeed(district=district, street=street, community=c, title="巡逻", slots=5,
                                     category=NeedCategory.PATROL, starts_at=s, ends_at=s + dt.timedelta(hours=2),
                                     created_at=now))
        needs = ServiceNeed.objects.bulk_create(needs, batch_size=5000)
        signups = []
        for i, m in enumerate(by_c[c.pk]):
            for k in range(SHIFTS):
                need = needs[(i + k * 5) % 288]
                signups.append(SignUp(district=district, street=street, community=c, need=need, member=m,
                                      state=SignUpState.CHECKED_OUT, signed_up_at=need.created_at,
                                      check_in_at=need.starts_at, check_out_at=need.ends_at, hours=Decimal("2.00")))
        signups = SignUp.objects.bulk_create(signups, batch_size=5000)
        HoursEntry.objects.bulk_create([
            HoursEntry(district=district, street=street, community=c, member=s.member, unit_id=s.member.unit_id,
                       signup=s, kind="service", day=s.check_in_at.astimezone(SHANGHAI).date(), hours=s.hours,
                       created_at=s.check_out_at) for s in signups], batch_size=5000)
        rows += len(signups)
    totals_rebuild(district_id=district.pk)  # the members' year totals the board reads, as the demo's bulk step does
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for t in ("volunteers_hoursentry", "volunteers_member", "volunteers_memberyearhours", "volunteers_serviceneed", "volunteers_signup"):
                cursor.execute(f"ANALYZE {t}")
    return rows


def main() -> None:
    district, street, user = world()
    t = time.perf_counter()
    rows = prefill(district, street)
    fill = time.perf_counter() - t
    results = []
    year = timezone.now().astimezone(SHANGHAI).year
    laps = Laps()
    for _ in range(READS):
        user = User.objects.get(pk=user.pk)  # a fresh request's user (scope computed again)
        with laps:
            board = board_for(user, place_id=street.pk, year=year)
    p50, p95 = p50_p95(laps.wall)
    results.append({"name": "volunteer board of a street (selector)", "seconds": p95, "rows": rows,
                    "note": f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {READS} reads; "
                            f"{COMMUNITIES} communities, {COMMUNITIES * MEMBERS:,} members, {rows:,} ledger rows, "
                            f"{board.hours} h this year; prefill {fill:.0f} s (goal ≤ 100 ms)"})
    rf = RequestFactory()
    laps = Laps()
    for _ in range(READS):
        request = rf.get(f"/volunteers/?place={street.pk}")
        request.user = User.objects.get(pk=user.pk)
        request.session = {}
        with laps:
            response = views.board(request)
        assert response.status_code == 200, response.status_code
    p50, p95 = p50_p95(laps.wall)
    results.append({"name": "volunteer board of a street (page)", "seconds": p95, "rows": rows,
                    "note": f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {READS} renders (goal ≤ 100 ms)"})
    emit(results)


if __name__ == "__main__":
    sys.exit(main())

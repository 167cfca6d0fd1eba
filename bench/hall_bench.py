"""Deliberation-hall bench (issue 18), in-process against the database in DATABASE_URL (migrated), SQLite or
PostgreSQL:

1. a bench district of its own (codes 319996…: nothing of the demo is needed) with one community, one compound of
   100 buildings and BENCH_HALL_HOUSEHOLDS (5,000) households, its committee and grid worker;
2. a vote of the compound's households under the "major" rule, and a ballot from every household but a few —
   prefilled by bulk insert (the ballots are not what is measured; one ballot through the service is);
3. closing it: `services.vote_close` — the vote locked, the households of the area counted, the ballots tallied,
   the result written with its audit row → seconds (goal ≤ 1 s), the median of BENCH_HALL_CLOSES (5) votes.
Prints one JSON line: a list of {name, seconds, rows, note}.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from kit import bench_district, bench_user, django_setup, emit

django_setup()

from django.utils import timezone  # noqa: E402

from civicloop.hall.models import Topic, VoteBallot  # noqa: E402
from civicloop.hall.services import ballot_cast, rules_ensure_defaults, topic_create, vote_close, vote_open  # noqa: E402
from civicloop.orgs.constants import Role, UnitKind  # noqa: E402
from civicloop.orgs.models import Unit, User  # noqa: E402
from civicloop.places.models import Household, Place  # noqa: E402

HOUSEHOLDS = int(os.environ.get("BENCH_HALL_HOUSEHOLDS", "5000"))
CLOSES = int(os.environ.get("BENCH_HALL_CLOSES", "5"))
BUILDINGS = 100
DISTRICT = "319996000000"


def world():
    district, made = bench_district(DISTRICT, "议事基准区", "YQ", street="议事基准街道", communities=["议事基准居委"],
                                    compound="议事基准小区", buildings=BUILDINGS)
    comp = Place.objects.get(code="319996001001-C001")
    if made:
        unit = Unit.objects.create(code="U-YQ-C", name="议事基准居委", kind=UnitKind.COMMITTEE, district=district,
                                   territory_id=comp.community_id)
        bench_user("bench_hall_grid", unit=unit, role=Role.GRID_WORKER, district=district)
    if Household.objects.filter(district=district).count() < HOUSEHOLDS:
        buildings = list(Place.objects.filter(parent=comp).order_by("code"))
        Household.objects.filter(district=district).delete()
        Household.objects.bulk_create([
            Household(code=f"YQ-{k:06d}", district=district, street_id=comp.street_id, community_id=comp.community_id,
                      building=buildings[k % BUILDINGS], room=f"{k // BUILDINGS + 1:03d}", address=f"基准{k}",
                      head_phone=f"139{k:08d}") for k in range(HOUSEHOLDS)], batch_size=2000)
    return district, comp, User.objects.get(username="bench_hall_grid")


def one_vote(district, comp, worker, n: int):
    rules_ensure_defaults()
    topic = Topic.objects.filter(district=district).first() or topic_create(
        actor=worker, place_id=comp.pk, title="基准议题")
    now = timezone.now()
    vote = vote_open(actor=worker, topic_id=topic.pk, place_id=comp.pk, question=f"基准表决 {n}", rule_code="major",
                     closes_at=now + dt.timedelta(days=1), at=now)
    homes = list(Household.objects.filter(district=district).order_by("code").values_list("pk", flat=True))
    cast = now + dt.timedelta(minutes=1)
    VoteBallot.objects.bulk_create([
        VoteBallot(district=district, vote=vote, household_id=h, choice="no" if k % 5 == 0 else "yes",
                   verification="phone", cast_at=cast) for k, h in enumerate(homes[:-10])], batch_size=2000)
    last = Household.objects.get(pk=homes[-1])
    t = time.perf_counter()
    ballot_cast(actor=worker, vote_id=vote.pk, household_code=last.code, choice="yes", at=cast)
    ballot_s = time.perf_counter() - t
    t = time.perf_counter()
    closed = vote_close(actor=worker, vote_id=vote.pk, at=now + dt.timedelta(days=2))
    return time.perf_counter() - t, ballot_s, closed


def main() -> None:
    district, comp, worker = world()
    closes, ballots, last = [], [], None
    for n in range(CLOSES):
        seconds, ballot_s, last = one_vote(district, comp, worker, n)
        closes.append(seconds)
        ballots.append(ballot_s)
    note = (f"{HOUSEHOLDS:,} households, {last.yes + last.no + last.abstain:,} ballots; passed={last.passed}; "
            f"median of {CLOSES}, max {max(closes):.3f} s; one ballot through the service {statistics.median(ballots) * 1000:.0f} ms")
    emit([{"name": f"hall: close and tally a vote of {HOUSEHOLDS:,} households", "seconds":
           round(statistics.median(closes), 4), "rows": HOUSEHOLDS, "note": note}])


if __name__ == "__main__":
    main()

"""The visits bench's campaign: reuse the demo's (the running campaign with the most subjects), or build one over
every household and enterprise of the demo district by bulk inserts (Subject and Visit rows written directly:
this is a bench fixture, not the service path).

Usage: DATABASE_URL=… python bench/visits_setup.py build [--visited 0.6] [--seed 1]
           → one JSON line: campaign, subjects, visited, teams, the measured team, its recorder
       DATABASE_URL=… python bench/visits_setup.py field-list CAMPAIGN TEAM USERNAME [--requests 50]
           → one JSON line: p50/p95 in ms of reading the team's subjects in walk order through the coverage
             selector (the stand-in while GET /api/visits/teams/{id}/field-list is not on the branch)

Built: one team per committee (its households and enterprises), one per street for the enterprises without a
committee, each with a recorder account (password: the demo's); ~`--visited` of the subjects visited once on a
day between the campaign's start and yesterday. The tables are vacuumed and analysed after the inserts, as
autovacuum would have done on a database in use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

from kit import p50_p95

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicloop.settings")

BATCH = 5000


def _district():
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place

    district = Place.objects.filter(level=PlaceLevel.DISTRICT, code__startswith="310104").first()
    if district is None:
        raise SystemExit("no demo district: run `civicloop demo --preset xuhui` first")
    return district


def _reuse(district):
    from django.db.models import Count

    from civicloop.visits.constants import CampaignState
    from civicloop.visits.models import Campaign

    return (Campaign.objects.filter(district=district, state=CampaignState.RUNNING)
            .annotate(n=Count("subjects")).filter(n__gt=0).order_by("-n").first())


def build(visited_share: float, seed: int) -> dict:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.db.models import Count

    from civicloop.orgs.constants import Role, UnitKind
    from civicloop.orgs.models import Unit, User, UserRole
    from civicloop.places.models import Enterprise, Household, Place, Tag
    from civicloop.visits.constants import (
        CampaignState,
        MemberRole,
        SubjectKind,
        VisitMethod,
        VisitSatisfaction,
    )
    from civicloop.visits.models import Campaign, Subject, Team, TeamMember, Visit
    from civicloop.visits.subjects import (
        enterprise_group,
        enterprise_walk_key,
        household_group,
        household_walk_key,
    )

    district = _district()
    campaign = _reuse(district)
    built = campaign is None
    if built:
        rng = random.Random(seed)
        today = dt.date.today()
        start = today - dt.timedelta(days=120)
        key_tags = set(Tag.objects.filter(key_group=True).values_list("pk", flat=True))
        hh_tags: dict[int, set] = {}
        for hid, tid in Household.tags.through.objects.filter(tag_id__in=key_tags).values_list("household_id", "tag_id"):
            hh_tags.setdefault(hid, set()).add(tid)
        ent_tags: dict[int, set] = {}
        for eid, tid in Enterprise.tags.through.objects.filter(tag_id__in=key_tags).values_list("enterprise_id", "tag_id"):
            ent_tags.setdefault(eid, set()).add(tid)
        password = make_password(settings.CIVICLOOP["DEMO_PASSWORD"])
        with transaction.atomic():
            campaign = Campaign.objects.create(district=district, name="基准测试走访活动", start=start,
                                               end=today + dt.timedelta(days=240), state=CampaignState.RUNNING)
            # one team per committee, one per street (enterprises without a committee)
            areas = list(Place.objects.filter(district=district, level__in=["street", "community"])
                         .order_by("code").values_list("pk", "code", "name"))
            units = Unit.objects.bulk_create([
                Unit(code=f"BENCH-PO-{code}", name=f"基准机关党组织{code}", kind=UnitKind.PARTY_ORG, district=district)
                for _pk, code, _name in areas])
            teams = Team.objects.bulk_create([
                Team(district=district, campaign=campaign, name=f"{name}走访组", unit=unit)
                for (_pk, _code, name), unit in zip(areas, units, strict=True)])
            team_of = {pk: team for (pk, _c, _n), team in zip(areas, teams, strict=True)}
            users = User.objects.bulk_create([
                User(username=f"bench_rec_{team.pk}", password=password, unit=team.unit, district=district,
                     display_name=f"记录员{team.pk}") for team in teams])
            UserRole.objects.bulk_create([UserRole(user=u, role=Role.VISIT_MEMBER) for u in users])
            TeamMember.objects.bulk_create([TeamMember(team=t, role=MemberRole.STAFF, user=u, recorder=True)
                                            for t, u in zip(teams, users, strict=True)])
            recorder_of = {t.pk: u.pk for t, u in zip(teams, users, strict=True)}
            rows = []
            for h in Household.objects.filter(district=district).values(
                    "pk", "street_id", "community_id", "room", "building__path").iterator(chunk_size=BATCH):
                key = household_walk_key(SimpleNamespace(building=SimpleNamespace(path=h["building__path"]), room=h["room"]))
                rows.append(Subject(campaign=campaign, district=district, kind=SubjectKind.HOUSEHOLD,
                                    household_id=h["pk"], group=household_group(key_tags, hh_tags.get(h["pk"], ())),
                                    street_id=h["street_id"], community_id=h["community_id"], walk_key=key,
                                    team=team_of[h["community_id"]]))
            for e in Enterprise.objects.filter(district=district).values(
                    "pk", "name", "street_id", "community_id", "park_building_id").iterator(chunk_size=BATCH):
                key = enterprise_walk_key(SimpleNamespace(street_id=e["street_id"], community_id=e["community_id"],
                                                          park_building_id=e["park_building_id"], name=e["name"]))
                rows.append(Subject(campaign=campaign, district=district, kind=SubjectKind.ENTERPRISE,
                                    enterprise_id=e["pk"], group=enterprise_group(key_tags, ent_tags.get(e["pk"], ())),
                                    street_id=e["street_id"], community_id=e["community_id"],
                                    park_building_id=e["park_building_id"], walk_key=key,
                                    team=team_of[e["community_id"] or e["street_id"]]))
            days = (today - start).days
            for s in rows:
                if rng.random() < visited_share:
                    s.first_visited_on = start + dt.timedelta(days=rng.randrange(days))
                    s.visits_count = 1
            Subject.objects.bulk_create(rows, batch_size=BATCH)
            methods, moods = list(VisitMethod.values), list(VisitSatisfaction.values)
            now = dt.datetime.now(dt.UTC)
            visits = [Visit(client_id=uuid.UUID(int=rng.getrandbits(128)), campaign=campaign, subject_id=s.pk,
                            team_id=s.team_id, district=district, street_id=s.street_id, community_id=s.community_id,
                            household_id=s.household_id, enterprise_id=s.enterprise_id, visited_on=s.first_visited_on,
                            method=rng.choice(methods), summary="入户走访，了解情况。", satisfaction=rng.choice(moods),
                            recorded_by_id=recorder_of[s.team_id], recorded_at=now)
                      for s in rows if s.first_visited_on]
            Visit.objects.bulk_create(visits, batch_size=BATCH)
        with connection.cursor() as cursor:
            for table in ("visits_subject", "visits_visit", "visits_team", "visits_teammember"):
                cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")
    # the measured team: the largest of the campaign's teams, and its recorder
    team = (Team.objects.filter(campaign=campaign).annotate(n=Count("subjects")).order_by("-n", "pk").first())
    recorder = TeamMember.objects.filter(team=team, recorder=True, user__isnull=False).select_related("user").first()
    return {
        "campaign": campaign.pk, "built": built,
        "subjects": Subject.objects.filter(campaign=campaign).count(),
        "visited": Subject.objects.filter(campaign=campaign, first_visited_on__isnull=False).count(),
        "teams": Team.objects.filter(campaign=campaign).count(),
        "team": team.pk, "team_subjects": team.n,
        "recorder": recorder.user.username if recorder else None,
        "member": recorder.pk if recorder else None,
        # what the sync step records: subjects of the team not visited yet (a phone's queued outbox)
        "queued": list(Subject.objects.filter(team=team, first_visited_on__isnull=True).order_by("walk_key")
                       .values_list("pk", flat=True)[:200]),
    }


def field_list(campaign_id: int, team_id: int, username: str, requests: int) -> dict:
    from civicloop.orgs.models import User
    from civicloop.visits import selectors
    from civicloop.visits.coverage import Area
    from civicloop.visits.models import Campaign

    actor = User.objects.get(username=username)
    campaign = Campaign.objects.get(pk=campaign_id)
    times = []
    for _ in range(requests + 1):
        t = time.perf_counter()
        rows = list(selectors.coverage_subjects_for(actor, campaign, Area(team_id=team_id))
                    .select_related("household", "enterprise").order_by("walk_key"))
        times.append((time.perf_counter() - t) * 1000)
    p50, p95 = p50_p95(times[1:])  # the first warms the caches
    return {"p50": p50, "p95": p95, "rows": len(rows)}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--visited", type=float, default=0.6)
    b.add_argument("--seed", type=int, default=1)
    f = sub.add_parser("field-list")
    f.add_argument("campaign", type=int)
    f.add_argument("team", type=int)
    f.add_argument("username")
    f.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    if args.cmd == "build":
        out = build(args.visited, args.seed)
    else:
        out = field_list(args.campaign, args.team, args.username, args.requests)
    print(json.dumps(out))


if __name__ == "__main__":
    main()

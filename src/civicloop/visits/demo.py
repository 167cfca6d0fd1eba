"""Demo step: this year's "满意在徐汇" 大走访 of the demo district, about 60 % through.

What it makes (after the demo's own steps and the cases' two years):
- the campaign (running, 1 March → 31 December; default targets, the five themes) and three research topics;
- pairings: every committee and park building with one of the 20 agency party organisations — contiguous runs in
  street order, so an agency works one or two neighbouring streets — except every `UNPAIRED_COMMUNITY_EVERY`th
  committee and `UNPAIRED_BUILDING_EVERY`th building by code (12 and 4), left for the pairings page to show;
- teams "1+3+1" for every party organisation (`TEAMS_PER_ORG_AT_SCALE_1` × scale each, at least one): a lead cadre
  of the agency, a party-congress deputy, a people's-congress deputy, a CPPCC (or youth-federation) member and a
  lawyer from the people records (added where the demo's own are too few), and a staff account that records;
  `xh_visit01`–`04` record for the first team of XH-PO-01…04 (XH-PO-01's first team walks 天平路街道);
- subjects: every household and enterprise (group and walk order from `subjects.subject_fields`), assigned the
  way the assignment service does — a paired committee's or building's subjects to its agency's teams (split in
  walk order), the unpaired ones to the least-loaded team already working in that street;
- visits (`demo_records.py`): `VISITED` of each group so far (key groups ahead), dated from 1 March to yesterday on the working-day
  calendar, some repeated; problems in about one visit in ten, each a case (channel = visit) taken through the
  loop by `cases.demo.generate_visit_cases`; repeat visits ask about the cases raised before (`FollowUp`).

Randomness from `ctx.rng_for("visits")` / `ctx.faker_for("visits")`; rows in bulk, batches of `BATCH`. This module
makes the organisation side (campaign … assignment); `demo_records.py` the visits and what they raised.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from django.db.models import Count
from django.utils import timezone

from civicloop.cases.demo import cases_end
from civicloop.core.bulk import NewRows
from civicloop.demo.context import apportion
from civicloop.demo.organisation import person_row, staff_row
from civicloop.orgs.constants import PersonKind, Role
from civicloop.orgs.models import Person, User, UserRole
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Enterprise, Household, Place, Tag
from civicloop.workdays.calendar import SHANGHAI, WorkCalendar

from .constants import CampaignState, MemberRole, PairingTarget, SubjectGroup, SubjectKind
from .demo_records import VisitRecords
from .models import Campaign, FollowUp, Pairing, Subject, Team, TeamMember, Topic, Visit, VisitProblem
from .subjects import subject_fields

BATCH = 5000
CAMPAIGN_NAME = "{year}年“满意在徐汇”大走访"
TEAMS_PER_ORG_AT_SCALE_1 = 10
UNPAIRED_COMMUNITY_EVERY = 26  # 12 of the 312 committees
UNPAIRED_BUILDING_EVERY = 38  # 4 of the 154 park buildings
# (title, leader login, description, the subjects' group it concerns (None: every enterprise), share of their visits)
TOPICS = [
    ("老旧小区综合治理与加装电梯", "xh_leader", "摸清老旧小区的急难愁盼，推进加装电梯和旧住房修缮。",
     SubjectGroup.HOUSEHOLD_OTHER, 0.2),
    ("独居老人等重点人群关爱服务", "xh_leader", "逐户走访独居老人、残疾人和困难家庭，补齐助餐、助医短板。",
     SubjectGroup.HOUSEHOLD_KEY, 0.4),
    ("优化营商环境，助企纾困", "xh_leader02", "走访园区楼宇企业，听取用工、通勤、审批方面的诉求。", None, 0.5),
]
SEATS = ((PersonKind.CADRE, MemberRole.LEAD_CADRE), (PersonKind.PARTY_REP, MemberRole.PARTY_REP),
         (PersonKind.NPC_DEPUTY, MemberRole.NPC_DEPUTY), (None, None), (PersonKind.LAWYER, MemberRole.LAWYER))
YOUTH_SHARE = 0.3  # of the third representative seat (else a CPPCC member)


class _Building(NamedTuple):
    path: str


class _Household(NamedTuple):
    """What a household's subject and visit summary need (`subjects.household_walk_key` reads `building.path` and
    `room`). Slim on purpose: 180,000 of them at scale 1 pass through; the case's details are read for the few
    with a problem."""

    pk: int
    building_id: int
    building: _Building
    room: str
    district_id: int
    street_id: int
    community_id: int
    members: int


class _Enterprise(NamedTuple):
    pk: int
    name: str
    district_id: int
    street_id: int
    community_id: int | None
    park_building_id: int | None


class SubjectRow:
    """A Subject before it is written (a slotted object, not a model instance: written with raw inserts), with the
    household or enterprise it stands for."""

    __slots__ = ("pk", "kind", "group", "household_id", "enterprise_id", "district_id", "street_id", "community_id",
                 "park_building_id", "walk_key", "team_id", "visits_count", "first_visited_on", "row")

    def __init__(self, pk: int, row, *, team_id: int, household=None, enterprise=None, park_building_id=None,
                 **fields):
        self.pk, self.row, self.team_id = pk, row, team_id
        self.household_id = household.pk if household is not None else None
        self.enterprise_id = enterprise.pk if enterprise is not None else None
        self.park_building_id = park_building_id
        for name, value in fields.items():  # kind, group, district_id, street_id, community_id, walk_key
            setattr(self, name, value)
        self.visits_count, self.first_visited_on = 0, None


def campaign_year(end: dt.datetime) -> int:
    """This year's campaign once it has run a fortnight (it starts 1 March), else last year's."""
    today = timezone.localtime(end, SHANGHAI).date()
    return today.year if today >= dt.date(today.year, 3, 15) else today.year - 1


def generate_visits(ctx) -> None:
    """The demo step (`VisitsConfig.demo_steps`)."""
    end = ctx.extra.get("cases_end") or cases_end()  # the same "now" as the cases
    rng, fake = ctx.rng_for("visits"), ctx.faker_for("visits")
    gen = _Generation(ctx, rng, fake, end)
    gen.campaign_and_topics()
    gen.pairings()
    gen.count_blocks()
    gen.teams()
    gen.assign()
    records = VisitRecords(gen)
    records.write_subjects_and_visits()
    records.write_cases_and_follow_ups()
    for table, n in sorted(gen.counts.items()):
        if table != "visited":
            ctx.stats.add(f"visits.{table}", n)
    ctx.log(f"  visits: {gen.counts['visit']:,} to {gen.counts['visited']:,} of {gen.counts['subject']:,} subjects, "
            f"{gen.counts['problem']:,} problems raised")


class _Generation:
    def __init__(self, ctx, rng, fake, end: dt.datetime):
        self.ctx, self.rng, self.fake, self.end = ctx, rng, fake, end
        self.d = ctx.district
        self.ids = NewRows(Subject, Visit)  # the subjects' and visits' ids, after the largest
        self.calendar = WorkCalendar()
        self.counts: dict[str, int] = defaultdict(int)
        self.orgs = sorted(ctx.extra["party_orgs"], key=lambda u: u.code)
        self.street_code = {s.pk: s.code for s in ctx.streets}
        self.users = {u.username: u for u in User.objects.filter(district=self.d, username__in=(
            "xh_admin", "xh_leader", "xh_visit01", "xh_visit02", "xh_visit03", "xh_visit04"))}
        self.new_users: list[tuple[User, str]] = []  # (user, role)
        self.new_people: list[Person] = []
        last = Person.objects.filter(district=self.d, code__startswith="XH-P").order_by("-code").values_list(
            "code", flat=True).first()
        self.person_n = int(last.removeprefix("XH-P")) if last else 0

    # --- campaign, topics ------------------------------------------------------------------------------------
    def _login(self, login: str, unit, role: str) -> User:
        user = staff_row(self.ctx, self.rng, self.fake, login=login, unit=unit)
        self.new_users.append((user, role))
        return user

    def campaign_and_topics(self) -> None:
        year = campaign_year(self.end)
        self.start = dt.date(year, 3, 1)
        today = timezone.localtime(self.end, SHANGHAI).date()
        self.last_day = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))  # visits up to yesterday
        self.users["xh_leader02"] = self._login("xh_leader02", self.ctx.units["XH-DO"], Role.LEADER)
        self._save_users()
        self.campaign = Campaign.objects.create(
            district=self.d, name=CAMPAIGN_NAME.format(year=year), start=self.start, end=dt.date(year, 12, 31),
            state=CampaignState.RUNNING, created_by=self.users["xh_admin"])
        Campaign.objects.filter(pk=self.campaign.pk).update(  # announced in February
            created_at=dt.datetime(year, 2, 20, 10, tzinfo=SHANGHAI))
        self.campaign.units.set(self.orgs)
        self.topic_specs = TOPICS
        self.topics = Topic.objects.bulk_create([
            Topic(district=self.d, campaign=self.campaign, title=title, leader=self.users[login], description=text)
            for title, login, text, _group, _share in TOPICS])
        self.counts.update(campaign=1, topic=len(self.topics))

    def _save_users(self) -> None:
        users = [u for u, _r in self.new_users if u.pk is None]
        User.objects.bulk_create(users)
        UserRole.objects.bulk_create([UserRole(user=u, role=r) for u, r in self.new_users if u in users])
        self.ctx.extra.setdefault("all_logins", []).extend(u.username for u in users)
        self.ctx.stats.add("orgs.user", len(users))
        self.ctx.stats.add("orgs.user_role", len(users))

    # --- pairings --------------------------------------------------------------------------------------------
    def pairings(self) -> None:
        """Committees and park buildings in street order, cut into one contiguous run per party organisation."""
        committees = sorted(self.ctx.committees, key=lambda c: c.code)
        buildings = sorted(self.ctx.extra["park_buildings"], key=lambda b: b.code)
        self.unpaired = ([("c", c.pk, c.street_id) for i, c in enumerate(committees)
                          if i % UNPAIRED_COMMUNITY_EVERY == UNPAIRED_COMMUNITY_EVERY // 2]
                         + [("b", b.pk, b.street_id) for i, b in enumerate(buildings)
                            if i % UNPAIRED_BUILDING_EVERY == UNPAIRED_BUILDING_EVERY // 2])
        left = {(k, pk) for k, pk, _s in self.unpaired}
        items = [(self.street_code[c.street_id], 0, c.code, ("c", c.pk, c.street_id)) for c in committees]
        items += [(self.street_code[b.street_id], 1, b.code, ("b", b.pk, b.street_id)) for b in buildings]
        paired = [block for *_key, block in sorted(items) if block[:2] not in left]
        self.blocks_of: dict[int, list] = {}  # party org id → its blocks ("c"|"b", id, street id), in order
        rows, at = [], 0
        for org, n in zip(self.orgs, apportion(len(paired), [1] * len(self.orgs)), strict=True):
            self.blocks_of[org.pk] = paired[at:at + n]
            at += n
            for kind, pk, _street in self.blocks_of[org.pk]:
                rows.append(Pairing(district=self.d, party_org=org, target=PairingTarget.COMMUNITY, place_id=pk)
                            if kind == "c" else
                            Pairing(district=self.d, party_org=org, target=PairingTarget.PARK_BUILDING, park_building_id=pk))
        Pairing.objects.bulk_create(rows)
        self.counts["pairing"] = len(rows)

    # --- subjects --------------------------------------------------------------------------------------------
    def count_blocks(self) -> None:
        """How many subjects each block holds: a committee's households and enterprises outside park buildings,
        a park building's enterprises."""
        self.block_size: dict[tuple, int] = defaultdict(int)
        for community_id, n in Household.objects.filter(district=self.d).values_list("community_id").annotate(
                n=Count("pk")).order_by():
            self.block_size[("c", community_id)] += n
        for building_id, community_id, n in Enterprise.objects.filter(district=self.d).values_list(
                "park_building_id", "community_id").annotate(n=Count("pk")).order_by():
            self.block_size[("b", building_id) if building_id else ("c", community_id)] += n

    def subjects(self):
        """Every household, then every enterprise, as a subject with its team (`assign`), streamed: not written
        yet, its visits not yet planned."""
        key_tags = dict(Tag.objects.filter(key_group=True).values_list("pk", "code"))
        key_ids = set(key_tags)
        self.key_codes: dict[int, list[str]] = defaultdict(list)  # household id → its key-group tag codes
        hh_keys: dict[int, set] = defaultdict(set)
        for hid, tid in Household.tags.through.objects.filter(household__district=self.d, tag_id__in=key_ids) \
                .order_by("household_id", "tag_id").values_list("household_id", "tag_id"):
            hh_keys[hid].add(tid)
            self.key_codes[hid].append(key_tags[tid])
        ent_keys: dict[int, set] = defaultdict(set)
        for eid, tid in Enterprise.tags.through.objects.filter(enterprise__district=self.d, tag_id__in=key_ids) \
                .values_list("enterprise_id", "tag_id"):
            ent_keys[eid].add(tid)
        paths = {pk: _Building(path) for pk, path in Place.objects.filter(
            district=self.d, level=PlaceLevel.BUILDING).values_list("pk", "path")}
        for r in Household.objects.filter(district=self.d).order_by("code").values_list(
                "pk", "building_id", "room", "district_id", "street_id", "community_id", "members").iterator(
                chunk_size=BATCH):
            h = _Household(r[0], r[1], paths[r[1]], *r[2:])
            fields = subject_fields(h, kind=SubjectKind.HOUSEHOLD, key_tag_ids=key_ids, tag_ids=hh_keys.get(h.pk, ()))
            yield SubjectRow(self.ids.next_id(Subject), h, team_id=self.team_of_block[("c", h.community_id)], **fields)
        for r in Enterprise.objects.filter(district=self.d).order_by("credit_code").values_list(
                "pk", "name", "district_id", "street_id", "community_id", "park_building_id").iterator(chunk_size=BATCH):
            e = _Enterprise(*r)
            fields = subject_fields(e, kind=SubjectKind.ENTERPRISE, key_tag_ids=key_ids, tag_ids=ent_keys.get(e.pk, ()))
            block = ("b", e.park_building_id) if e.park_building_id else ("c", e.community_id)
            yield SubjectRow(self.ids.next_id(Subject), e, team_id=self.team_of_block[block], **fields)

    # --- teams -----------------------------------------------------------------------------------------------
    def teams(self) -> None:
        """Teams per party organisation, each "1+3+1" from the people records and a recording staff account."""
        per_org = max(1, round(TEAMS_PER_ORG_AT_SCALE_1 * self.ctx.scale))
        pool: dict[str, list[Person]] = defaultdict(list)
        for p in Person.objects.filter(district=self.d, kind__in=[k for k, _r in SEATS if k] + [PersonKind.CPPCC_MEMBER,
                                                                                               PersonKind.YOUTH_MEMBER]
                                       ).order_by("code"):
            pool[(p.kind, p.unit_id) if p.kind == PersonKind.CADRE else p.kind].append(p)
        self.teams_of: dict[int, list[Team]] = {}
        seats: list[tuple[Team, list]] = []
        for i, org in enumerate(self.orgs, start=1):
            n = max(1, min(per_org, len(self.blocks_of[org.pk])))
            short = org.name.removesuffix("机关党委")
            self.teams_of[org.pk] = []
            for k in range(1, n + 1):
                team = Team(district=self.d, campaign=self.campaign, name=f"{short}第{k}走访组", unit=org)
                self.teams_of[org.pk].append(team)
                login = f"xh_visit{i:02d}" if k == 1 and i <= 4 else f"po{i:02d}_visit{k:02d}"
                recorder = self.users.get(login) or self._login(login, org, Role.VISIT_MEMBER)
                people = []
                for kind, role in SEATS:
                    if kind is None:  # the third representative seat
                        kind = PersonKind.YOUTH_MEMBER if self.rng.random() < YOUTH_SHARE else PersonKind.CPPCC_MEMBER
                        role = MemberRole.YOUTH_MEMBER if kind == PersonKind.YOUTH_MEMBER else MemberRole.CPPCC_MEMBER
                    key = (kind, org.pk) if kind == PersonKind.CADRE else kind
                    people.append((role, pool[key].pop(0) if pool[key] else self._person(kind, org)))
                seats.append((team, [(MemberRole.STAFF, recorder)] + people))
        self._save_users()
        Person.objects.bulk_create(self.new_people)
        self.ctx.stats.add("orgs.person", len(self.new_people))
        Team.objects.bulk_create([t for t, _m in seats])
        members = [TeamMember(team=team, role=role, recorder=role == MemberRole.STAFF,
                              user=who if role == MemberRole.STAFF else None,
                              person=who if role != MemberRole.STAFF else None)
                   for team, people in seats for role, who in people]
        TeamMember.objects.bulk_create(members)
        self.members_of: dict[int, dict[str, TeamMember]] = defaultdict(dict)  # team id → role → member
        for m in members:
            self.members_of[m.team.pk][m.role] = m
        self.counts.update(team=len(seats), team_member=len(members))

    def _person(self, kind: str, org) -> Person:
        self.person_n += 1
        person = person_row(self.ctx, self.rng, self.fake, n=self.person_n, kind=kind, party_orgs=[org])
        self.new_people.append(person)
        return person

    # --- assignment ------------------------------------------------------------------------------------------
    def assign(self) -> None:
        """A paired block's subjects to its agency's teams (the agency's blocks cut in order, by count); an
        unpaired block to the least-loaded team already working in its street (else in the district)."""
        self.team_of_block: dict[tuple, int] = {}
        load: dict[int, int] = {}
        in_street: dict[int, list[Team]] = defaultdict(list)
        for org in self.orgs:
            teams, blocks = self.teams_of[org.pk], self.blocks_of[org.pk]
            total, k = sum(self.block_size[b[:2]] for b in blocks), len(teams)
            t = done = in_team = 0
            for j, block in enumerate(blocks):
                n = self.block_size[block[:2]]
                # the next team once this one has its share, or when the blocks left are just enough for the teams
                # left (there are never more teams than blocks: each gets at least one)
                if in_team and t < k - 1 and (done + n / 2 > total * (t + 1) / k or len(blocks) - j <= k - 1 - t):
                    t, in_team = t + 1, 0
                team = teams[t]
                done, in_team = done + n, in_team + 1
                self.team_of_block[block[:2]] = team.pk
                load[team.pk] = load.get(team.pk, 0) + n
                if team not in in_street[block[2]]:
                    in_street[block[2]].append(team)
        every = [t for org in self.orgs for t in self.teams_of[org.pk]]
        for block in sorted(self.unpaired, key=lambda b: (self.street_code[b[2]], b[0] == "b", b[1])):
            team = min(in_street.get(block[2]) or every, key=lambda t: (load.get(t.pk, 0), t.pk))
            self.team_of_block[block[:2]] = team.pk
            load[team.pk] = load.get(team.pk, 0) + self.block_size[block[:2]]


def delete_visits(district) -> None:
    """The reset step (`VisitsConfig.demo_reset_steps`): every visits row of `district`, children first (they point
    at cases, places, people and accounts with PROTECT)."""
    for model, lookup in ((FollowUp, "visit__district"), (VisitProblem, "visit__district"),
                          (Visit.members.through, "visit__district")):
        model.objects.filter(**{lookup: district}).delete()
    for model in (Visit, Subject):
        qs = model.objects.filter(district=district)
        qs._raw_delete(qs.db)  # nothing points at them any more; 195,000 subjects at scale 1
    TeamMember.objects.filter(team__district=district).delete()
    Team.objects.filter(district=district).delete()
    Topic.objects.filter(district=district).delete()
    Pairing.objects.filter(district=district).delete()
    Campaign.units.through.objects.filter(campaign__district=district).delete()
    Campaign.areas.through.objects.filter(campaign__district=district).delete()
    Campaign.objects.filter(district=district).delete()

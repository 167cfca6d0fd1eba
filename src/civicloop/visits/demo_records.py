"""The visits demo's records: who was visited when and how, what was said, the problems raised (cases through
`cases.demo.generate_visit_cases`) and what people said about them on a later visit. Driven by visits/demo.py.

Speed: subjects, visits and who was present are written with raw `executemany` in batches, with ids given here
(as the cases demo does): at scale 1 (195,000 subjects) building and adapting model instances for `bulk_create`
would be most of the step's time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from civicloop.cases.demo import VisitCase, generate_visit_cases
from civicloop.cases.models import Case
from civicloop.places.models import Enterprise, Household
from civicloop.workdays.calendar import SHANGHAI

from . import demo_phrases as say
from .constants import KEY_GROUPS, MemberRole, SubjectGroup, SubjectKind, VisitMethod, VisitSatisfaction
from .models import FollowUp, Subject, Visit, VisitProblem

BATCH = 5000
# Share of each group visited so far: against the default targets (100 / 30 / 100 / 100 %) that is ~60 % of the
# way, the silent minority ahead at 75 % — a quarter of it still to find on the coverage page.
VISITED = {SubjectGroup.HOUSEHOLD_KEY: 0.75, SubjectGroup.HOUSEHOLD_OTHER: 0.17, SubjectGroup.ENTERPRISE_KEY: 0.75,
           SubjectGroup.ENTERPRISE_OTHER: 0.6}
REPEAT = {SubjectGroup.HOUSEHOLD_KEY: 0.2, SubjectGroup.HOUSEHOLD_OTHER: 0.05, SubjectGroup.ENTERPRISE_KEY: 0.25,
          SubjectGroup.ENTERPRISE_OTHER: 0.08}
TEAM_PACE = (0.8, 1.2)  # a team's pace, relative: some are ahead, some behind
# visits per working day by month, relative (a slow start, the summer heat, the National Day week)
MONTH_WEIGHT = {3: 0.6, 4: 1.0, 5: 0.95, 6: 0.9, 7: 0.75, 8: 0.7, 9: 1.0, 10: 0.85, 11: 1.0, 12: 0.9}
PROBLEM_SHARE = 0.10  # of visits; one in seven of those raises two
COME_BACK = 0.5  # a subject that raised a problem and was visited once: visited again to ask how it went
METHODS = {SubjectKind.HOUSEHOLD: ((VisitMethod.DOOR, 80), (VisitMethod.PHONE, 16), (VisitMethod.FORUM, 4)),
           SubjectKind.ENTERPRISE: ((VisitMethod.ENTERPRISE, 88), (VisitMethod.FORUM, 8), (VisitMethod.PHONE, 4))}
SATISFACTION = ((VisitSatisfaction.SATISFIED, 80), (VisitSatisfaction.BASICALLY, 15), (VisitSatisfaction.UNSATISFIED, 2),
                (VisitSatisfaction.NO_ANSWER, 3))
SATISFACTION_WITH_PROBLEM = ((VisitSatisfaction.SATISFIED, 45), (VisitSatisfaction.BASICALLY, 35),
                             (VisitSatisfaction.UNSATISFIED, 15), (VisitSatisfaction.NO_ANSWER, 5))

SUBJECT_COLUMNS = ("id", "district_id", "campaign_id", "kind", "group", "household_id", "enterprise_id", "street_id",
                   "community_id", "park_building_id", "walk_key", "team_id", "assigned_by_hand", "first_visited_on",
                   "visits_count")
VISIT_COLUMNS = ("id", "district_id", "client_id", "campaign_id", "subject_id", "team_id", "topic_id", "household_id",
                 "enterprise_id", "street_id", "community_id", "visited_on", "method", "summary", "satisfaction",
                 "recorded_by_id", "recorded_at")
PRESENT_COLUMNS = ("visit_id", "teammember_id")
for _model, _columns in ((Subject, SUBJECT_COLUMNS), (Visit, VISIT_COLUMNS), (Visit.members.through, ("id", *PRESENT_COLUMNS))):
    assert {f.column for f in _model._meta.concrete_fields} == set(_columns), _model  # a new column: add it here


def _pick(rng, table):
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i:i + BATCH])


class VisitRow:
    """A visit before it is written."""

    __slots__ = ("pk", "client_id", "subject", "team_id", "topic_id", "visited_on", "method", "summary",
                 "satisfaction", "recorded_by", "recorded_at", "present")

    def __init__(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)


class Heard(NamedTuple):
    """A problem heard on a visit, before it is a case."""

    visit: VisitRow
    position: int
    code: str  # taxonomy leaf
    text: str
    kind: str  # SubjectKind
    obj_id: int  # the household's or enterprise's id


class VisitRecords:
    """The visits of the campaign's subjects, planned and written block by block (`gen`: the demo's
    `_Generation`, after assignment: campaign, subjects by block with their teams, team members, topics)."""

    def __init__(self, gen):
        self.gen, self.rng, self.fake = gen, gen.rng, gen.fake
        self.counts = gen.counts
        self.pace = {t.pk: self.rng.uniform(*TEAM_PACE) for ts in gen.teams_of.values() for t in ts}
        self.team_name = {t.pk: t.name for ts in gen.teams_of.values() for t in ts}
        self.problems: list[Heard] = []
        self.repeats: list[tuple[VisitRow, list[int]]] = []  # (a repeat visit, indexes in self.problems it asks about)
        ops = connection.ops
        self.day_value, self.moment_value = ops.adapt_datefield_value, ops.adapt_datetimefield_value
        self.uuid_value = (lambda u: u) if connection.features.has_native_uuid_field else (lambda u: u.hex)

    # --- when ------------------------------------------------------------------------------------------------
    def _day(self, lo: dt.date, hi: dt.date, early: bool = False) -> dt.date:
        """A day in [lo, hi], drawn with the year's shape: a slow start in March, a summer lull, few visits on
        weekends and fewer on holidays; `early` (the silent minority first) leans towards `lo`."""
        span, calendar = (hi - lo).days, self.gen.calendar
        while True:
            offset = self.rng.randint(0, span)
            day = lo + dt.timedelta(days=offset)
            weight = MONTH_WEIGHT.get(day.month, 1.0) * (1.0 if calendar.is_workday(day) else
                                                         0.05 if day.weekday() < 5 else 0.2)
            if early and span:
                weight *= 1 - 0.6 * offset / span
            if self.rng.random() < weight:
                return day

    def _plan(self, s) -> list[dt.date]:
        """The days subject `s` was visited so far (empty: not yet)."""
        start, last = self.gen.start, self.gen.last_day
        if last < start or self.rng.random() >= VISITED[s.group] * self.pace[s.team_id]:
            return []
        days = [self._day(start, last, early=s.group in KEY_GROUPS)]  # the silent minority first
        if self.rng.random() < REPEAT[s.group]:
            lo = days[0] + dt.timedelta(days=21)
            if lo <= last:
                days.append(self._day(lo, min(last, lo + dt.timedelta(days=100))))
        return days

    # --- the subjects and their visits -------------------------------------------------------------------------
    def write_subjects_and_visits(self) -> None:
        batch = []
        for subject in self.gen.subjects():
            batch.append(subject)
            if len(batch) >= BATCH:
                self._flush(batch)
                batch = []
        self._flush(batch)
        self.gen.ids.reset_sequences()  # ids were given: PostgreSQL's sequences moved past them

    def _flush(self, subjects: list) -> None:
        """Plan and fill in the visits of `subjects` (their counters follow); write subjects, visits and who was
        present."""
        visits: list[VisitRow] = []
        for s in subjects:
            days = self._plan(s)
            raised: list[int] = []  # indexes in self.problems of the cases raised at this subject so far
            for n, day in enumerate(days):
                visit = self._visit(s, day)
                if n and raised:
                    self.repeats.append((visit, list(raised)))
                raised += self._hear(s, visit)
                visits.append(visit)
            if raised and len(days) == 1:
                lo = days[0] + dt.timedelta(days=14)
                if lo <= self.gen.last_day and self.rng.random() < COME_BACK:
                    visit = self._visit(s, self._day(lo, min(self.gen.last_day, lo + dt.timedelta(days=75))))
                    self.repeats.append((visit, list(raised)))
                    self._hear(s, visit)
                    visits.append(visit)
                    days.append(visit.visited_on)
            s.visits_count, s.first_visited_on = len(days), min(days, default=None)
        day, moment, uid = self.day_value, self.moment_value, self.uuid_value
        campaign_id = self.gen.campaign.pk
        _insert(Subject, SUBJECT_COLUMNS, [
            (s.pk, s.district_id, campaign_id, s.kind, s.group, s.household_id, s.enterprise_id, s.street_id,
             s.community_id, s.park_building_id, s.walk_key, s.team_id, False, day(s.first_visited_on),
             s.visits_count) for s in subjects])
        _insert(Visit, VISIT_COLUMNS, [
            (v.pk, s.district_id, uid(v.client_id), campaign_id, s.pk, v.team_id, v.topic_id, s.household_id,
             s.enterprise_id, s.street_id, s.community_id, day(v.visited_on), v.method, v.summary, v.satisfaction,
             v.recorded_by.pk, moment(v.recorded_at)) for v in visits for s in (v.subject,)])
        _insert(Visit.members.through, PRESENT_COLUMNS, [(v.pk, m.pk) for v in visits for m in v.present])
        self.counts["subject"] += len(subjects)
        self.counts["visited"] += sum(1 for s in subjects if s.visits_count)
        self.counts["visit"] += len(visits)
        self.counts["visit_member"] += sum(len(v.present) for v in visits)

    def _visit(self, s, day: dt.date) -> VisitRow:
        """Who went and how (what they heard: `_hear`)."""
        rng, gen = self.rng, self.gen
        method = _pick(rng, METHODS[s.kind])
        seats = gen.members_of[s.team_id]
        chance = {VisitMethod.PHONE: 0.0, VisitMethod.FORUM: 1.0}.get(method, 0.5)
        lead = 0.8 if method != VisitMethod.PHONE else 0.0
        present = [seats[MemberRole.STAFF]] + [m for role, m in seats.items() if role != MemberRole.STAFF and (
            rng.random() < (lead if role == MemberRole.LEAD_CADRE else chance))]
        hour = rng.randint(9, 19) if method != VisitMethod.FORUM else rng.choice((10, 14, 15))
        at = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=SHANGHAI)
        if rng.random() < 0.08:  # recorded offline, sent the next morning
            at = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(rng.randint(7, 9), rng.randrange(60)),
                                     tzinfo=SHANGHAI)
        at = min(at + dt.timedelta(minutes=rng.randint(20, 90)), gen.end - dt.timedelta(minutes=rng.randint(5, 60)))
        topic_id = None
        for topic, (_title, _login, _text, group, share) in zip(gen.topics, gen.topic_specs, strict=True):
            if (group == s.group or (group is None and s.kind == SubjectKind.ENTERPRISE)) and rng.random() < share:
                topic_id = topic.pk
        visit = VisitRow(pk=self.gen.ids.next_id(Visit), client_id=uuid.UUID(int=rng.getrandbits(128), version=4), subject=s,
                         team_id=s.team_id, topic_id=topic_id, visited_on=day, method=method, summary="",
                         satisfaction="", recorded_by=seats[MemberRole.STAFF].user, recorded_at=at, present=present)
        return visit

    def _hear(self, s, visit: VisitRow) -> list[int]:
        """Fill in what `visit` heard (summary, satisfaction, problems); the indexes of its problems."""
        rng, row = self.rng, s.row
        n = 0 if rng.random() >= PROBLEM_SHARE else (2 if rng.random() < 1 / 7 else 1)
        if s.kind == SubjectKind.HOUSEHOLD:
            table = say.HOUSEHOLD_PROBLEMS + (say.KEY_HOUSEHOLD_PROBLEMS * 2 if s.group == SubjectGroup.HOUSEHOLD_KEY else [])
        else:
            table = say.ENTERPRISE_PROBLEMS
        heard = rng.sample(table, n)
        texts = [text for _code, text in heard]
        if s.kind == SubjectKind.HOUSEHOLD:
            visit.summary = say.household_summary(rng, self.fake, method=visit.method, members=row.members,
                                                  key_codes=self.gen.key_codes.get(row.pk, ()), problems=texts)
        else:
            visit.summary = say.enterprise_summary(rng, method=visit.method, problems=texts)
        visit.satisfaction = _pick(rng, SATISFACTION_WITH_PROBLEM if n else SATISFACTION)
        out = []
        for position, (code, text) in enumerate(heard, start=1):
            out.append(len(self.problems))
            self.problems.append(Heard(visit, position, code, text, s.kind, row.pk))
        return out

    # --- the cases they raised, and what people said about them later -------------------------------------------
    def _details(self) -> dict:
        """The households and enterprises that raised a problem, with what their case copies (place, address,
        reporter): read only for them."""
        out = {}
        for kind, model, fields in (
                (SubjectKind.HOUSEHOLD, Household, ("building_id", "street_id", "community_id", "address", "head_name",
                                                    "head_phone", "lat", "lng")),
                (SubjectKind.ENTERPRISE, Enterprise, ("street_id", "community_id", "address", "contact_name",
                                                      "contact_phone", "lat", "lng"))):
            ids = sorted({h.obj_id for h in self.problems if h.kind == kind})
            for i in range(0, len(ids), BATCH):
                out.update(((kind, o.pk), o) for o in model.objects.filter(pk__in=ids[i:i + BATCH]).only(*fields))
        return out

    def write_cases_and_follow_ups(self) -> None:
        """The problems heard become cases (through the cases demo), linked by VisitProblem; repeat visits
        record what people said about them."""
        details = self._details()
        ids = generate_visit_cases(self.gen.ctx, [VisitCase(
            at=h.visit.recorded_at, registrar=h.visit.recorded_by, description=h.text, category_code=h.code,
            external_id=f"{h.visit.client_id}:{h.position}",
            note=f"走访中提出（{h.visit.visited_on.isoformat()}，{self.team_name[h.visit.team_id]}）",
            household=details.get((SubjectKind.HOUSEHOLD, h.obj_id)) if h.kind == SubjectKind.HOUSEHOLD else None,
            enterprise=details.get((SubjectKind.ENTERPRISE, h.obj_id)) if h.kind == SubjectKind.ENTERPRISE else None,
        ) for h in self.problems])
        VisitProblem.objects.bulk_create([
            VisitProblem(visit_id=h.visit.pk, position=h.position, description=h.text, case_id=case_id)
            for h, case_id in zip(self.problems, ids, strict=True)], batch_size=BATCH)
        outcome = {}
        for i in range(0, len(ids), BATCH):
            outcome.update((pk, (resolved, satisfaction)) for pk, resolved, satisfaction in Case.objects.filter(
                pk__in=ids[i:i + BATCH]).values_list("pk", "resolved_at", "satisfaction"))
        rows = []
        for visit, raised in self.repeats:
            for i in raised:
                resolved, satisfaction = outcome[ids[i]]
                if resolved is not None and resolved < visit.recorded_at:
                    answer = VisitSatisfaction(satisfaction) if satisfaction in VisitSatisfaction.values else _pick(
                        self.rng, SATISFACTION)
                    note = f"{timezone.localtime(resolved, SHANGHAI):%m月%d日}已办结，{say.FOLLOW_UP_DONE[answer]}"
                else:
                    answer, note = VisitSatisfaction.NO_ANSWER, say.FOLLOW_UP_OPEN
                # `rated` stays False: the demo's cases are rated within two days of the reply, so none was
                # still awaiting a rating when the team came back
                rows.append(FollowUp(visit_id=visit.pk, case_id=ids[i], satisfaction=answer, note=note[:200]))
        FollowUp.objects.bulk_create(rows, batch_size=BATCH)
        self.counts.update(problem=len(ids), follow_up=len(rows))


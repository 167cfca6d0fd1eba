"""Demo step: two years of cases for the demo district, through realistic lifecycles.

Speed: cases, events and their side rows are built in memory and written raw (`core.bulk`), the demo's own cases in
slices of their time line generated in forked processes (`demo_slices`, decision 96). Correctness: every
step goes through `Sim.step`, which applies `steps.step` — the one rule `services._core.apply` uses too (transition
table, version bump, field values, the event's before/after) — and every field change is built by the
`changes` functions the services call (the Sim's decision methods: triage, dispatch, decide, return, extension,
supervise, resolve, reply, rate, close, merge, merged_reply). So `replay.replay(events)` equals the row for every
generated case (tests/test_demo_cases.py checks all of them at small scale), and the row and events equal what the
services write for the same decisions (tests/test_change_parity.py).

Volume: `CASES_AT_SCALE_1` (500,000) × scale; env `CIVICLOOP_DEMO_CASES_PER_SCALE` changes the 500,000. Time: two years ending at the day of generation, in the weekly and seasonal
rhythms of `demo_rhythm` (same seed and end → same cases); what they say: `demo_texts`. Cases registered near the end are
still open, in whatever state their lifecycle reached — some of them yellow or red.

Other demo steps register cases of their own through the same machinery: `generate_visit_cases` takes the
problems the visits demo heard (`VisitCase`: moment, recorder, household or enterprise, description) and returns
the case ids — no other module writes case rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from bisect import bisect_right
from contextlib import contextmanager
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import NamedTuple

from django.db import connection
from django.db.models.base import ModelState
from django.utils import timezone

from civicloop.core import registry
from civicloop.core.bulk import NewRows, Table, Writer, indexes_deferred, sqlite_datetime, table_of
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit, User
from civicloop.places.constants import PlaceLevel
from civicloop.workdays.calendar import SHANGHAI, WorkCalendar, deadline_for

from . import demo_rhythm, demo_texts
from . import demo_slices as slices
from .changes import (
    answer_changes,
    close_changes,
    dispatch_changes,
    extension_changes,
    merge_changes,
    overdue_episode,
    rate_changes,
    rate_follow_up,
    reopen_changes,
    reply_changes,
    resolve_changes,
    return_changes,
    return_follow_up,
    triage_changes,
    triage_follow_up,
)
from .constants import (
    FINAL_STATES,
    Action,
    CaseState,
    Channel,
    ExtensionState,
    Layer,
    MeetingState,
    ReplyChannel,
    Satisfaction,
    SupervisionKind,
    Urgency,
)
from .events import snapshot
from .models import (
    AgendaItem,
    Case,
    CaseCoUnit,
    CaseCounter,
    CaseEvent,
    Category,
    Decision,
    ExtensionRequest,
    Meeting,
    Notification,
    Rating,
    Reply,
    Supervision,
)
from .services.categories import categories_ensure_defaults
from .services.tracking import tracking_prefix
from .steps import step

CASES_AT_SCALE_1 = 500_000
DAYS = int(os.environ.get("CIVICLOOP_DEMO_DAYS", "730"))  # the span; the bench's city-year: 365
BATCH = 5000

# Believable shares (12345 dominates; MISSION §2 channels).
CHANNELS = [(Channel.HOTLINE_12345, 62), (Channel.GRID_INSPECTION, 14), (Channel.VISIT, 7), (Channel.PORTAL, 7),
            (Channel.SENSOR, 4), (Channel.CITIZEN_INSPECTION, 3), (Channel.DELIBERATION, 2),
            (Channel.LEADER_INSTRUCTION, 1)]
CATEGORY_WEIGHTS = {"01": 26, "02": 22, "03": 12, "04": 11, "05": 10, "06": 9, "07": 5, "08": 5}
# a neighbour reports what the previous case reported (same committee, same category): merged into it if still open
DUPLICATES = 0.02
# consultations by 12345 the hotline answers during the call (直接答复办结) instead of dispatching them (our guess)
DIRECT_ANSWER = 0.6
URGENCIES = [(Urgency.NORMAL, 85), (Urgency.URGENT, 12), (Urgency.CRITICAL, 3)]
# 满意 / 基本满意 / 不满意 by how the case ended (demo_texts.SATISFACTION_BY_OUTCOME)
SATISFACTION = {outcome: [(Satisfaction.SATISFIED, a), (Satisfaction.BASICALLY, b), (Satisfaction.UNSATISFIED, c)]
                for outcome, (a, b, c) in demo_texts.SATISFACTION_BY_OUTCOME.items()}
REPLY_CHANNELS = [(ReplyChannel.PHONE, 70), (ReplyChannel.SMS, 15), (ReplyChannel.VISIT, 8), (ReplyChannel.PORTAL, 5),
                  (ReplyChannel.LETTER, 2)]


def _pick(rng, table):
    """A value of `table` ([(value, weight)]) drawn by weight — `rng.choices(values, weights)`, with the cumulative
    weights computed once per table (`choices` turns weights into exactly these; the draws are the same)."""
    values, cum = _cumulative(tuple(table))
    return _weighted(rng, values, cum)


def _weighted(rng, values, cum):
    """`rng.choices(values, cum_weights=cum)[0]` without its argument checks (a million calls): the same one
    `random()` and the same bisection, so the same value (tests/test_demo_speed.py of this app holds them equal)."""
    return values[bisect_right(cum, rng.random() * (cum[-1] + 0.0), 0, len(values) - 1)]


@lru_cache(maxsize=64)
def _cumulative(table: tuple) -> tuple[list, list]:
    return [v for v, _w in table], list(accumulate(w for _v, w in table))


@lru_cache(maxsize=1)
def _case_defaults() -> dict:
    return {f.attname: f.get_default() for f in Case._meta.concrete_fields}


def _new_case(**values) -> Case:
    """`Case(**values)` (attnames only) without `Model.__init__`'s per-field walk: the fields' defaults, then
    `values`, straight into the instance's `__dict__` — what `__init__` leaves there (no signal handles Case's
    init)."""
    case = Case.__new__(Case)
    case._state = ModelState()
    case.__dict__.update(_case_defaults())
    case.__dict__.update(values)
    return case


_CALENDAR: list = []  # one WorkCalendar per generation (it caches each year's administrator-entered days)


@lru_cache(maxsize=16384)
def _deadline(day: dt.date, days: int) -> dt.datetime:
    return deadline_for(dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI), days, calendar=_CALENDAR[-1])


class Ev(NamedTuple):
    """A CaseEvent row before it is written (raw executemany: 8 events per case make the ORM the bottleneck)."""

    seq: int
    actor_id: int | None
    actor_unit_id: int | None
    at: dt.datetime
    action: str
    before: dict
    after: dict
    note: str


class VisitCase(NamedTuple):
    """A problem heard on a visit, to become a case (channel = visit). `household` or `enterprise`: a model
    instance or any row with its attributes (pk, street_id, community_id, address, lat, lng; a household's
    building_id, head_name, head_phone; an enterprise's contact_name, contact_phone). Or a problem found at a
    `place` (a Place below a street) by an inspection (channel = citizen_inspection, no reporter): the
    assessment demo's findings."""

    at: dt.datetime  # when the visit was recorded: the case is registered in the same step
    registrar: User  # the team's recorder
    description: str
    external_id: str  # "<visit client_id>:<position>", as the visit service registers it
    category_code: str = ""  # a leaf of the taxonomy; empty: drawn like the other demo cases
    note: str = ""  # the registration event's note (the visit service's: "走访中提出（<date>，<team>）")
    household: object = None
    enterprise: object = None
    place: object = None
    channel: str = Channel.VISIT


class Sim:
    """One case in memory. `step` is `steps.step`, the rule services._core.apply uses (state, version, event);
    the decision methods below (`dispatch`, `rate` …) build their changes and follow-up steps with the same
    `changes` functions as the matching service, so the generator never types a field change itself
    (tests/test_change_parity.py drives a Sim and the services with the same decisions and compares them).
    Steps after `end` are not taken: the case stays in whatever state it had reached."""

    def __init__(self, case: Case, actor, at: dt.datetime, note: str, end: dt.datetime | None = None,
                 calendar: WorkCalendar | None = None):
        self.case, self.co, self.events, self.stopped, self.replies = case, [], [], False, []
        self.appeal: demo_texts.Appeal | None = None  # what the citizen said (the result and reply answer it)
        self.duplicate = False  # a second report of the previous case's problem (`DUPLICATES`)
        self.end = end
        self.calendar = calendar or WorkCalendar()  # the generator's one (it caches days and yellow points)
        self.episodes: set[str] = set()
        case.state, case.version, case.updated_at = CaseState.REGISTERED, 1, at
        self.snap = snapshot(case, co_unit_ids=[])
        self.events.append(self._event(actor, Action.REGISTER, {}, self.snap, note, at))

    def _event(self, actor, action, before, after, note, at) -> Ev:
        return Ev(self.case.version, getattr(actor, "pk", None), getattr(actor, "unit_id", None), at, action,
                  before, after, note)

    def step(self, actor, action: str, at: dt.datetime, note: str = "", changes=None, co_unit_ids=None) -> bool:
        if self.end is not None and at > self.end:
            self.stopped = True
        if self.stopped:
            return False
        case = self.case
        st = step(self.snap, action, changes=changes, co_unit_ids=co_unit_ids)
        for name, value in st.values.items():
            setattr(case, name, value)
        case.updated_at = at
        if st.co_unit_ids is not None:
            self.co = st.co_unit_ids
        self.events.append(self._event(actor, action, st.before, st.after, note, at))
        self.snap = st.snapshot
        return True

    # --- the decisions, as the services take them (services/intake, handling, closing, oversight, consultation) --
    def triage(self, actor, at, *, category_id: int, urgency: str, layer: str) -> bool:
        if not self.step(actor, Action.TRIAGE, at, changes=triage_changes(
                category_id=category_id, urgency=urgency, layer=layer)):
            return False
        if triage_follow_up(layer) == Action.ESCALATE:
            self.step(actor, Action.ESCALATE, at, note="三跨问题，提交会商。")
        return True

    def dispatch(self, actor, at, *, lead_unit_id: int, co_unit_ids, time_limit_days: int, deadline) -> bool:
        return self.step(actor, Action.DISPATCH, at, co_unit_ids=co_unit_ids, changes=dispatch_changes(
            at=at, deadline=deadline, lead_unit_id=lead_unit_id, dispatching_unit_id=getattr(actor, "unit_id", None),
            time_limit_days=time_limit_days, calendar=self.calendar))

    def decide(self, actor, at, *, body_unit_id: int, lead_unit_id: int, co_unit_ids, time_limit_days: int, deadline,
               note: str) -> bool:
        return self.step(actor, Action.DECIDE, at, co_unit_ids=co_unit_ids, note=note, changes=dispatch_changes(
            at=at, deadline=deadline, lead_unit_id=lead_unit_id, dispatching_unit_id=body_unit_id,
            time_limit_days=time_limit_days, calendar=self.calendar))

    def return_(self, actor, at, *, reason: str) -> bool:
        """Returned (and, the second time, escalated)."""
        if not self.step(actor, Action.RETURN, at, note=reason, co_unit_ids=[],
                         changes=return_changes(return_count=self.case.return_count)):
            return False
        if return_follow_up(self.case.return_count) == Action.ESCALATE:
            self.step(actor, Action.ESCALATE, at, note="多次退单，职责不清，提交会商。")
        return True

    def approve_extension(self, actor, at, *, days: int, deadline) -> bool:
        case = self.case
        return self.step(actor, Action.APPROVE_EXTENSION, at, note=f"同意延期{days}个工作日。", changes=extension_changes(
            dispatched_at=case.dispatched_at, deadline=deadline, time_limit_days=case.time_limit_days, days=days,
            calendar=self.calendar))

    def supervise_overdue(self, at, *, notice: str) -> str | None:
        """The automatic supervision of the current overdue episode (its key), or None: already supervised, or
        not taken (after `end`)."""
        episode = overdue_episode(self.case.deadline)
        if episode in self.episodes:
            return None
        self.episodes.add(episode)
        return episode if self.step(None, Action.SUPERVISE, at, note=notice) else None

    def resolve(self, actor, at, *, result: str) -> bool:
        return self.step(actor, Action.RESOLVE, at, note=result, changes=resolve_changes(at=at))

    def reply(self, actor, action: str, at, *, content: str) -> bool:
        """`reply` or `reply_unreachable` (the content is the note)."""
        return self.step(actor, action, at, note=content, changes=reply_changes(at=at))

    def answer(self, actor, at, *, content: str) -> bool:
        """直接答复办结 (services.answering): a consultation answered on the spot."""
        return self.step(actor, Action.ANSWER, at, note=content, changes=answer_changes(at=at))

    def merged_reply(self, at, *, note: str) -> bool:
        return self.step(None, Action.MERGED_REPLY, at, note=note, changes=reply_changes(at=at))

    def rate(self, actor, at, *, value: str, note: str = "") -> bool:
        """Rated (and, for 不满意, reopened — or escalated, the third time)."""
        if not self.step(actor, Action.RATE, at, note=note, changes=rate_changes(
                value=value, unsatisfied_count=self.case.unsatisfied_count)):
            return False
        follow_up = rate_follow_up(value, self.case.unsatisfied_count)
        if follow_up == Action.ESCALATE:
            self.step(actor, Action.ESCALATE, at, note=f"第{self.case.unsatisfied_count}次不满意，提交会商。")
        elif follow_up == Action.REOPEN:
            self.step(actor, Action.REOPEN, at, note="诉求人不满意，重办。", changes=reopen_changes())
        return True

    def close(self, actor, at, *, note: str = "") -> bool:
        return self.step(actor, Action.CLOSE, at, note=note, changes=close_changes(at=at))

    def merge(self, actor, at, *, into: Case) -> bool:
        return self.step(actor, Action.MERGE, at, note=f"合并到 {into.tracking_code}。",
                         changes=merge_changes(into_case_id=into.pk))


class Generator:
    def __init__(self, ctx, end: dt.datetime, rng_name: str = "cases"):
        self.ctx, self.end = ctx, end
        self.rng = ctx.rng_for(rng_name)
        self.tz = timezone.get_current_timezone()  # what `timezone.localtime` converts to (the codes' year)
        _CALENDAR.append(WorkCalendar())
        _deadline.cache_clear()
        d = ctx.district
        self.district = d
        categories_ensure_defaults()
        leaves = list(Category.objects.filter(parent__isnull=False, active=True).select_related("parent").order_by("code"))
        self.categories = leaves
        self.category_by_code = {c.code: c for c in leaves}
        self.cat_weights = [CATEGORY_WEIGHTS.get(c.parent.code, 3) / max(1, sum(
            1 for x in leaves if x.parent_id == c.parent_id)) for c in leaves]
        units = list(Unit.objects.filter(district=d).order_by("code"))
        self.dept_by_name = {u.name: u for u in units if u.kind == UnitKind.DEPARTMENT}
        self.depts = sorted(self.dept_by_name.values(), key=lambda u: u.code)
        self.office_of_street = {u.territory_id: u for u in units if u.kind == UnitKind.STREET_OFFICE}
        self.unit_of_committee = {u.territory_id: u for u in units if u.kind == UnitKind.COMMITTEE}
        self.consult = next(u for u in units if u.kind == UnitKind.CONSULTATION_BODY)
        users = list(User.objects.filter(district=d).order_by("username"))
        self.user = {u.username: u for u in users}
        self.handler_of = {}
        for u in users:
            self.handler_of.setdefault(u.unit_id, u)
        for u in users:  # street offices: the street dispatcher (also a handler)
            if u.username.endswith("_dispatcher"):
                self.handler_of[u.unit_id] = u
        self.street_dispatcher = {s.pk: self.handler_of[self.office_of_street[s.pk].pk] for s in ctx.streets}
        self.xh_admin, self.consult_user = self.user["xh_admin"], self.user["xh_consult"]
        self.visitors = [self.user[k] for k in sorted(self.user) if k.startswith("xh_visit")]
        self.inspectors = [self.user[k] for k in sorted(self.user) if k.startswith("xh_inspect")]
        from civicloop.places.models import Place

        self.buildings = {}
        for pk, community_id in Place.objects.filter(district=d, level=PlaceLevel.BUILDING).order_by("pk").values_list(
                "pk", "community_id"):
            self.buildings.setdefault(community_id, []).append(pk)
        self.committee_weights = [len(self.buildings.get(c.pk, ())) or 1 for c in ctx.committees]
        # `choices(weights=w)` is `choices(cum_weights=accumulate(w))`: summed once here, the same draws
        self.committee_cum = list(accumulate(self.committee_weights))
        self.cat_cum = list(accumulate(self.cat_weights))
        # a second run (the visits' cases) continues the tracking numbers and joins the meetings already held
        self.counters: dict[int, int] = dict(CaseCounter.objects.filter(district=d).values_list("year", "last"))
        self.meetings: dict[dt.date, Meeting] = {m.date: m for m in Meeting.objects.filter(district=d, body=self.consult)}
        self.recent: dict[int, list] = {}  # community id → recent sims (merge targets)
        # replies, ratings, extension requests, supervisions: dicts by attname (`_side_row`); items, decisions: models
        self.side: dict[str, list] = {k: [] for k in ("reply", "rating", "ext", "sup", "item", "decision")}
        self.counted: dict[str, int] = {}  # side rows written so far, by kind
        self.totals = {"cases.case": 0, "cases.case_event": 0}  # rows written so far
        self.ids = NewRows(Case)  # the cases' ids, after the largest (a second run continues them)

    def _side_row(self, key: str, case: Case, **values) -> dict:
        """A side row of `case` as the bulk `Table` reads it (attnames; the model's defaults for the rest): the
        values `Model.__init__` would hold, without building the instance."""
        row = dict(_side_defaults(key))
        row["district_id"], row["case_id"] = self.district.pk, case.pk
        row.update(values)
        self.side[key].append(row)
        return row

    # --- what cases say and when they run late (demo_texts, demo_rhythm) -------------------------------------
    _previous: tuple | None = None  # (committee, category, place, appeal) of the last case: what a duplicate repeats

    @cached_property
    def texts(self) -> demo_texts.CaseTexts:
        return demo_texts.CaseTexts.for_district(district=self.district, streets=self.ctx.streets,
                                                 committees=self.ctx.committees, categories=self.categories,
                                                 weights=self.cat_weights)

    @cached_property
    def season_weights(self) -> list[list[float]]:
        """Per month: cumulative category weights (demo_rhythm.CATEGORY_SEASON)."""
        return demo_rhythm.category_cum_weights(self.categories, self.cat_weights)

    @cached_property
    def _street_names(self) -> dict[int, str]:
        return {s.pk: s.name for s in self.ctx.streets}

    def late_share(self, sim: Sim, category: Category) -> float:
        """The chance this case is handled past its deadline (demo_rhythm; consultations are answered fast)."""
        share = demo_rhythm.late_share(self._street_names.get(sim.case.street_id, ""), category.code)
        return share * 0.3 if sim.appeal is not None and sim.appeal.kind == demo_texts.CONSULT else share

    def _signed_at(self, sim: Sim, t: dt.datetime) -> dt.datetime:
        """When the lead unit takes up a dispatched case (signs for it or returns it): hours later, in office hours
        of a working day (demo_rhythm.OFFICE_HOURS: a case sent on Friday evening waits for Monday); a few units
        sign days late (ACCEPT_LATE), which the 及时签收率 shows."""
        rng = self.rng
        at = self._at(t, 0.3, 20)
        local = at.astimezone(SHANGHAI)
        opens, closes = demo_rhythm.OFFICE_HOURS
        if not (opens <= local.hour < closes) or not sim.calendar.is_workday(local.date()):
            day = local.date() if local.hour < opens else local.date() + dt.timedelta(days=1)
            while not sim.calendar.is_workday(day):
                day += dt.timedelta(days=1)
            at = dt.datetime.combine(day, dt.time(opens, 30), tzinfo=SHANGHAI) + dt.timedelta(hours=rng.uniform(0, 3))
        if rng.random() < demo_rhythm.ACCEPT_LATE:
            at += dt.timedelta(days=rng.randint(2, 4))
        return at

    # --- one case --------------------------------------------------------------------------------------------
    def _registrar(self, channel, community_id, street_id):
        rng = self.rng
        if channel in (Channel.GRID_INSPECTION, Channel.DELIBERATION):
            return self.handler_of[self.unit_of_committee[community_id].pk]
        if channel == Channel.VISIT:
            return rng.choice(self.visitors)
        if channel == Channel.CITIZEN_INSPECTION:
            return rng.choice(self.inspectors)
        if channel in (Channel.PORTAL, Channel.SENSOR):
            return None  # the system (SYSTEM actor → actor NULL)
        return self.xh_admin

    def _code(self, at: dt.datetime) -> str:
        year = at.astimezone(self.tz).year  # timezone.localtime(at), its current-timezone lookup done once
        self.counters[year] = self.counters.get(year, 0) + 1
        return f"{tracking_prefix(self.district)}{year}-{self.counters[year]:07d}"

    def case(self, t0: dt.datetime) -> Sim:
        rng, ctx = self.rng, self.ctx
        channel = _pick(rng, CHANNELS)
        month = t0.astimezone(SHANGHAI).month
        previous = self._previous if self._previous is not None and rng.random() < DUPLICATES else None
        if previous is not None:  # a neighbour: the same place, the same problem, in other words
            committee, category, place_id, like = previous
            buildings = self.buildings.get(committee.pk)
        else:
            committee = _weighted(rng, ctx.committees, self.committee_cum)
            category = _weighted(rng, self.categories, self.season_weights[month - 1])
            buildings = self.buildings.get(committee.pk)
            place_id, like = rng.choice(buildings) if buildings else committee.pk, None
        description, appeal = self.texts.describe(
            rng, channel=channel, category_id=category.pk, month=month, street_id=committee.street_id,
            community_id=committee.pk, building_id=place_id if buildings else None, like=like)
        self._previous = committee, category, place_id, appeal
        anonymous = channel in (Channel.SENSOR, Channel.GRID_INSPECTION) or rng.random() < 0.08
        name = "" if anonymous else f"{rng.choice('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗')}{rng.choice(('先生', '女士'))}"
        phone = "" if anonymous else f"1{rng.choice('35789')}{rng.randint(0, 999_999_999):09d}"
        lat = ctx.centre.get(committee.pk, (31.18, 121.43))
        pk = self.ids.next_id(Case)
        case = _new_case(
            id=pk, district_id=self.district.pk, tracking_code=self._code(t0), channel=channel,
            external_id=f"{channel[:3].upper()}{pk:09d}" if channel in (Channel.HOTLINE_12345, Channel.SENSOR) else "",
            category_id=None, urgency=Urgency.NORMAL, appeal_type=appeal.kind, place_id=place_id, street_id=committee.street_id,
            community_id=committee.pk, lat=round(lat[0] + rng.uniform(-0.004, 0.004), 6),
            lng=round(lat[1] + rng.uniform(-0.004, 0.004), 6),
            description=description,
            reporter_name=name, reporter_phone=phone, reporter_anonymous=anonymous, created_at=t0,
        )
        actor = self._registrar(channel, committee.pk, committee.street_id)
        return self._start(case, actor, category, t0, appeal=appeal, duplicate=previous is not None)

    def visit_case(self, problem: VisitCase) -> Sim:
        """A problem heard on a visit: registered by the team's recorder at the moment the visit was recorded, at
        the household's building or the enterprise's community (or street) — the places `services.intake` gives
        such a case — and reported by the household head or the enterprise's contact."""
        h, e, p = problem.household, problem.enterprise, problem.place
        if p is not None:  # an inspection's finding: the place it was found at, no reporter
            street_id = p.pk if p.level == PlaceLevel.STREET else p.street_id
            community_id = p.pk if p.level == PlaceLevel.COMMUNITY else p.community_id
            where = {"place_id": p.pk, "street_id": street_id, "community_id": community_id}
            reporter = ("", "")
        elif h is not None:
            where = {"place_id": h.building_id, "street_id": h.street_id, "community_id": h.community_id,
                     "household_id": h.pk, "address": h.address}
            reporter = (h.head_name, h.head_phone)
        else:
            where = {"place_id": e.community_id or e.street_id, "street_id": e.street_id,
                     "community_id": e.community_id, "enterprise_id": e.pk, "address": e.address}
            reporter = (e.contact_name, e.contact_phone)
        subject = h if h is not None else e if e is not None else None
        centre = self.ctx.centre.get(where["community_id"]) if subject is None else (subject.lat, subject.lng)
        case = _new_case(
            id=self.ids.next_id(Case), district_id=self.district.pk, tracking_code=self._code(problem.at),
            channel=problem.channel, external_id=problem.external_id, category_id=None, urgency=Urgency.NORMAL,
            lat=centre[0] if centre else None, lng=centre[1] if centre else None, description=problem.description,
            reporter_name=reporter[0], reporter_phone=reporter[1], reporter_anonymous=subject is None,
            created_at=problem.at, **where,
        )
        category = self.category_by_code.get(problem.category_code) or self.rng.choices(
            self.categories, cum_weights=self.cat_cum)[0]
        return self._start(case, problem.registrar, category, problem.at, note=problem.note)

    def _start(self, case: Case, actor, category: Category, t0: dt.datetime, note: str = "",
               appeal: demo_texts.Appeal | None = None, duplicate: bool = False) -> Sim:
        case.registered_by = actor
        sim = Sim(case, actor, t0, note, end=self.end, calendar=_CALENDAR[-1])
        sim.appeal, sim.duplicate = appeal, duplicate
        self._lifecycle(sim, category, t0)
        return sim

    def _at(self, t: dt.datetime, lo_h: float, hi_h: float) -> dt.datetime:
        return t + dt.timedelta(hours=self.rng.uniform(lo_h, hi_h))

    def _lifecycle(self, sim: Sim, category: Category, t: dt.datetime) -> None:
        rng, case = self.rng, sim.case
        dispatcher = self.street_dispatcher[case.street_id]
        router = self.xh_admin if case.channel == Channel.HOTLINE_12345 else dispatcher
        r = rng.random()
        if r < 0.015:  # withdrawn by the reporter
            sim.step(dispatcher, Action.WITHDRAW, self._at(t, 0.5, 20), note="诉求人来电撤回诉求。")
            return
        if (r < 0.035 or sim.duplicate) and self._merge(sim, dispatcher, t):
            return
        direct = (case.channel == Channel.HOTLINE_12345 and sim.appeal is not None
                  and sim.appeal.kind == demo_texts.CONSULT and rng.random() < DIRECT_ANSWER)
        t = self._at(t, 0.02, 0.2) if direct else self._at(t, 0.2, 6)
        urgency = _pick(rng, URGENCIES)
        layer = Layer.CROSS if rng.random() < 0.015 and not direct else Layer.LOCAL
        if not sim.triage(router, t, category_id=category.pk, urgency=urgency, layer=layer):
            return
        if case.state == CaseState.ESCALATED:  # a 三跨 case
            t = self._decide(sim, t)
        elif direct:  # 直接答复办结; dispatched only if the answer did not satisfy
            t = self._answer(sim, router, category, t)
            if t is not None and case.state == CaseState.REOPENED:
                t = self._dispatch(sim, router, category, self._at(t, 0.1, 4))
        else:
            t = self._dispatch(sim, router, category, self._at(t, 0.1, 4))
        rounds = 0
        while t is not None and not sim.stopped and rounds < 8:
            rounds += 1
            t = self._handle(sim, router, category, t)

    def _lead_for(self, case: Case, category: Category) -> Unit:
        r = self.rng.random()
        if r < 0.45 and category.default_lead in self.dept_by_name:
            return self.dept_by_name[category.default_lead]
        if r < 0.75 or case.community_id is None:  # an enterprise in a park building has no committee
            return self.office_of_street[case.street_id]
        return self.unit_of_committee[case.community_id]

    def _dispatch(self, sim: Sim, router, category: Category, at: dt.datetime, lead: Unit | None = None):
        case, rng = sim.case, self.rng
        lead = lead or self._lead_for(case, category)
        co = [rng.choice(self.depts).pk] if rng.random() < 0.08 else []
        days = category.time_limit(case.urgency)
        deadline = _deadline(timezone.localtime(at, SHANGHAI).date(), days)
        ok = sim.dispatch(router, at, lead_unit_id=lead.pk, co_unit_ids=co, time_limit_days=days, deadline=deadline)
        return at if ok else None

    def _decide(self, sim: Sim, t: dt.datetime):
        """Consultation: the next Thursday's meeting of the "2+1" platform decides and re-dispatches."""
        case, rng = sim.case, self.rng
        day = timezone.localtime(t, SHANGHAI).date() + dt.timedelta(days=1)
        day += dt.timedelta(days=(3 - day.weekday()) % 7)
        at = dt.datetime.combine(day, dt.time(15), tzinfo=SHANGHAI)
        if at > self.end:
            sim.stopped = True
            return None
        meeting = self.meetings.get(day)
        if meeting is None:
            meeting = self.meetings[day] = Meeting(
                district=self.district, body=self.consult, date=day, title=f"{day:%Y年%m月%d日}“2+1”会商",
                state=MeetingState.HELD, created_by=self.consult_user, minutes="")
        lead = rng.choice(self.depts)
        co = [self.office_of_street[case.street_id].pk]
        days = 15
        deadline = _deadline(day, days)
        measures = "明确牵头部门，属地街道配合，限期办结。"
        item = AgendaItem(district=self.district, meeting=meeting, case=case, position=0)
        self.side["item"].append(item)
        self.side["decision"].append(Decision(district=self.district, item=item, lead_unit=lead, co_unit_ids=co,
                                              measures=measures, deadline=deadline, decided_by=self.consult_user,
                                              decided_at=at))
        sim.decide(self.consult_user, at, body_unit_id=self.consult.pk, lead_unit_id=lead.pk, co_unit_ids=co,
                   time_limit_days=days, deadline=deadline, note=f"会商决定（{meeting.title}）：{measures}")
        return at

    def _handle(self, sim: Sim, router, category: Category, t: dt.datetime):
        """From dispatched (or reopened): accept … close. Returns the time to continue from on a reopen, else None."""
        rng, case = self.rng, sim.case
        handler = self.handler_of[case.lead_unit_id]
        t = self._signed_at(sim, t)
        if case.state == CaseState.DISPATCHED and rng.random() < 0.06:  # not our duty
            if not sim.return_(handler, t, reason="经核实不属于本单位职责。"):
                return None
            if case.state == CaseState.ESCALATED:  # the second return
                return self._decide(sim, t)
            other = self.rng.choice(self.depts) if rng.random() < 0.6 else self.office_of_street[case.street_id]
            return self._dispatch(sim, router, category, self._at(t, 0.5, 8), lead=other)
        if not sim.step(handler, Action.ACCEPT, t):
            return None
        total = (case.deadline - case.dispatched_at).total_seconds() / 3600
        late = rng.random() < self.late_share(sim, category)
        work = total * (rng.uniform(*demo_rhythm.LATE_OVERRUN) if late else rng.uniform(0.1, 0.95))
        if rng.random() < 0.05:  # extension
            t = self._at(t, 2, 30)
            days = rng.choice((3, 5, 10))
            if not sim.step(handler, Action.REQUEST_EXTENSION, t, note="需协调多方，申请延期。"):
                return None
            req = self._side_row("ext", case, days=days, reason="需协调多方，申请延期。", requested_by_id=_pk(handler),
                                 requested_at=t)
            t = self._at(t, 1, 24)
            approver = self.user["xh_admin"] if case.dispatching_unit_id == self.xh_admin.unit_id else router
            approver = self.handler_of.get(case.dispatching_unit_id, approver)
            if rng.random() < 0.8:
                deadline = _deadline(timezone.localtime(case.deadline, SHANGHAI).date(), days)
                ok = sim.approve_extension(approver, t, days=days, deadline=deadline)
                req["state"] = ExtensionState.APPROVED
            else:
                ok = sim.step(approver, Action.DENY_EXTENSION, t)
                req["state"] = ExtensionState.DENIED
            if not ok:
                return None
            req["decided_by_id"], req["decided_at"] = _pk(approver), t
        if rng.random() < 0.4:
            t = self._at(t, 2, max(3, work / 2))
            if not sim.step(handler, Action.ADD_PROGRESS, t, note="已现场查看，正在协调处理。"):
                return None
        done = max(case.dispatched_at + dt.timedelta(hours=work), t + dt.timedelta(minutes=30))
        if done > case.deadline:  # red: supervised automatically the next morning, the lead unit answers
            sup_at = max(case.deadline + dt.timedelta(hours=9), t + dt.timedelta(minutes=10))
            notice = f"工单 {case.tracking_code} 已超期，请立即办理并回复。"
            episode = sim.supervise_overdue(sup_at, notice=notice) if sup_at < done else None
            if sim.stopped:
                return None
            if episode is not None:  # one automatic supervision per overdue episode
                sup = self._side_row("sup", case, kind=SupervisionKind.AUTO, opened_at=sup_at, notice=notice,
                                     overdue_episode=episode)
                rep_at = sup_at + dt.timedelta(hours=rng.uniform(1, 8))
                if rep_at < done:
                    if not sim.step(handler, Action.SUPERVISION_REPLY, rep_at, note="已加派人手，尽快办结。"):
                        return None
                    sup["reply"], sup["replied_at"] = "已加派人手，尽快办结。", rep_at
        outcome = self.texts.outcome(rng, sim.appeal)
        result, answer = self.texts.answer(rng, sim.appeal, outcome, category.pk)
        if not sim.resolve(handler, done, result=result):
            return None
        t = self._at(done, 0.5, 30)
        replier = handler if rng.random() < 0.7 else router
        if case.reporter_anonymous and case.channel not in (Channel.SENSOR, Channel.GRID_INSPECTION):
            ok = self._reply(sim, replier, Action.REPLY_UNREACHABLE, t, "", "匿名来电，无法回访。", True)
        elif case.reporter_anonymous:
            ok = self._reply(sim, replier, Action.REPLY, t, ReplyChannel.PORTAL, answer, False)
        else:
            ok = self._reply(sim, replier, Action.REPLY, t, _pick(rng, REPLY_CHANNELS), answer, False)
        if not ok:
            return None
        return self._rate_and_close(sim, router, t, outcome)

    def _answer(self, sim: Sim, router, category: Category, t: dt.datetime):
        """A consultation answered on the spot by the hotline (services.answering): the answer is the reply; then
        rated and closed like a handled case. Returns the time to continue from (reopened, escalated), else None."""
        at = self._at(t, 0.02, 0.3)
        _result, answer = self.texts.answer(self.rng, sim.appeal, "answered", category.pk)
        if not sim.answer(router, at, content=answer):
            return None
        sim.replies.append(self._side_row("reply", sim.case, channel=ReplyChannel.PHONE, content=answer,
                                          unreachable=False, by_id=_pk(router), at=at))
        return self._rate_and_close(sim, router, at, "answered")

    def _rate_and_close(self, sim: Sim, router, t: dt.datetime, outcome: str):
        """After the reply: most reporters rate (by how the case ended), then closed. Returns the time to continue
        from when the rating reopened or escalated the case, else None."""
        rng, case = self.rng, sim.case
        if not case.reporter_anonymous and rng.random() < 0.85:
            t = self._at(t, 1, 48)
            value = _pick(rng, SATISFACTION[outcome])
            if not sim.rate(router, t, value=value):
                return None
            self._side_row("rating", case, value=value, recorded_by_id=_pk(router), at=t)
            if case.state == CaseState.ESCALATED:  # the third 不满意
                return self._decide(sim, t)
            if case.state == CaseState.REOPENED:
                return t
        t = self._at(t, 0.5, 24)
        sim.close(router, t)
        return None

    def _reply(self, sim: Sim, actor, action, at, channel, content, unreachable) -> bool:
        if not sim.reply(actor, action, at, content=content):
            return False
        sim.replies.append(self._side_row("reply", sim.case, channel=channel, content=content,
                                          unreachable=unreachable, by_id=_pk(actor), at=at))
        return True

    def _merge(self, sim: Sim, dispatcher, t: dt.datetime) -> bool:
        """A near-duplicate of a recent case of the same committee that was open and not replied at that moment:
        merged into it; every later reply of the target reaches this reporter too (merged_reply, as the service)."""
        at = self._at(t, 0.2, 3)
        for target in reversed(self.recent.get(sim.case.community_id, [])[-5:]):
            if not target.events:  # already written: too old to be a duplicate anyway
                continue
            state, replied = CaseState.REGISTERED, None
            for e in target.events:
                if e.at > at:
                    break
                state, replied = e.after.get("state", state), e.after.get("replied_at", replied)
            if state not in ("registered", "triaged", "dispatched", "accepted", "in_progress") or replied:
                continue
            tc = target.case
            if not sim.merge(dispatcher, at, into=tc):
                return True
            replies = [r for r in target.replies if r["at"] > at]
            for r in replies:
                sim.merged_reply(r["at"], note=f"随主工单 {tc.tracking_code} 答复。")
                self._side_row("reply", sim.case, channel=r["channel"], content=r["content"],
                               unreachable=r["unreachable"], via_case_id=tc.pk, by_id=r["by_id"], at=r["at"])
            return True
        return False


# --- the demo step and its reset --------------------------------------------------------------------------------

def _times(rng, n: int, end: dt.datetime) -> list[dt.datetime]:
    """n registration moments (Shanghai time) over DAYS days before `end`, in the rhythms of `demo_rhythm`:
    Monday peaks and quiet weekends, a busy summer, the Spring Festival dip, office hours, slow growth."""
    start = end - dt.timedelta(days=DAYS)
    first = timezone.localtime(start, SHANGHAI).date()
    days = [first + dt.timedelta(days=i) for i in range(DAYS + 1)]
    day_cum = demo_rhythm.day_cum_weights(first, DAYS + 1)
    out: list[dt.datetime] = []
    while len(out) < n:
        k = n - len(out)
        for day, hour in zip(rng.choices(days, cum_weights=day_cum, k=k),
                             rng.choices(range(24), cum_weights=demo_rhythm.HOUR_CUM, k=k), strict=True):
            second = rng.randrange(3600)
            local = dt.datetime(day.year, day.month, day.day, hour, second // 60, second % 60, tzinfo=SHANGHAI)
            if start <= local < end:
                out.append(local)
    out.sort()
    return out


@contextmanager
def case_clock(at: dt.datetime):
    """For another app's demo step going through the cases services: inside, they write `at` as the moment (the
    case's registration, its events, the deadlines counted from it) — a meeting's decision on the meeting's day
    rather than when the generator runs, so the same seed gives the same cases."""
    from .services._core import _DEMO_CLOCK

    token = _DEMO_CLOCK.set(at)
    try:
        yield
    finally:
        _DEMO_CLOCK.reset(token)


def cases_end() -> dt.datetime:
    """The end of the generated two years (tests pin it)."""
    return timezone.now().replace(microsecond=0)


def generate_cases(ctx) -> None:
    """STEPS entry: CASES_AT_SCALE_1 × scale cases (the knob: env CIVICLOOP_DEMO_CASES_PER_SCALE, or
    ctx.extra["cases_per_scale"]; ctx.extra["cases_end"] pins the end of the two years, default: now — left on
    the context for the steps that follow)."""
    per_scale = ctx.extra.get("cases_per_scale") or int(os.environ.get("CIVICLOOP_DEMO_CASES_PER_SCALE", CASES_AT_SCALE_1))
    n = max(1, round(per_scale * ctx.scale))
    end = ctx.extra.setdefault("cases_end", cases_end())
    gen = Generator(ctx, end)
    moments = _times(gen.rng, n, end)
    _write(ctx, gen, slices.batches(gen, moments))


def generate_visit_cases(ctx, problems: list[VisitCase], *, rng_name: str = "visit_cases") -> list[int]:
    """Cases for the problems visits raised (called by the visits demo, after `generate_cases`) or inspections
    found (the assessment demo): each one registered and then taken through the same lifecycle as every other
    demo case (same `Sim`, same decisions, same batch writes), with its own seeded draws (`rng_name`). Returns the
    case ids in the order of `problems`."""
    end = ctx.extra.get("cases_end") or cases_end()
    gen = Generator(ctx, end, rng_name=rng_name)
    order = sorted(range(len(problems)), key=lambda i: problems[i].at)  # in time: merges look back, codes go up
    ids: list[int] = [0] * len(problems)

    def sims():
        for i in order:
            sim = gen.visit_case(problems[i])
            ids[i] = sim.case.pk
            yield sim

    _warm(gen)
    _write(ctx, gen, sim_batches(gen, sims()))
    return ids


def sim_batches(gen: Generator, sims):
    """The rows of the cases `sims` yields (in time order), in batches for `_write`: a case stays in memory until
    half a batch of newer ones has passed (a merge may still point at it and reply through it)."""
    pending: list[Sim] = []
    for sim in sims:
        pending.append(sim)
        recent = gen.recent.setdefault(sim.case.community_id, [])
        recent.append(sim)
        del recent[:-5]
        if len(pending) >= BATCH:  # keep the newest half: merges may still point at them
            yield _flush(gen, pending[: BATCH // 2])
            pending = pending[BATCH // 2:]
    yield _flush(gen, pending)


def _write(ctx, gen: Generator, batches) -> None:
    """Write the batches of rows (`sim_batches`, or the slices' `slices.batches`) of cases with their events and
    side rows; then the meetings, agenda items and decisions, and the tracking-number counters that `gen` holds.
    `_warm(gen)` first: the batches may be built while the writer thread owns the connection. Counts go to
    `ctx.stats`."""
    auto = [(Case, "created_at"), (Case, "updated_at")]
    saved = [(m, f, m._meta.get_field(f).auto_now, m._meta.get_field(f).auto_now_add) for m, f in auto]
    for m, f, *_ in saved:
        m._meta.get_field(f).auto_now = m._meta.get_field(f).auto_now_add = False
    try:
        # a fresh demo fills empty tables: their indexes are built once at the end (bulk.indexes_deferred)
        derived = [model for _rows_of, models in _case_rows() for model in models]
        first = (CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with indexes_deferred([Case, CaseCoUnit, CaseEvent, Reply, Rating, ExtensionRequest, Supervision, *derived]), \
                Writer() as writer:  # the database inserts one batch while the next is generated
            for batch in batches:
                writer.put(batch)
        last = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if last >= first:  # the events written here: the other apps' derived rows were folded from them
            ctx.extra.setdefault("cases_bulk_events", []).append((first, last))
    finally:
        close = getattr(batches, "close", None)
        if close is not None:  # a generator left early (the writer failed): the slices' processes end now
            close()
        for m, f, now_, add in saved:
            m._meta.get_field(f).auto_now, m._meta.get_field(f).auto_now_add = now_, add
    new_meetings = [m for m in gen.meetings.values() if m.pk is None]  # items point at them: written first
    Meeting.objects.bulk_create(new_meetings)
    items = gen.side["item"]
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    Decision.objects.bulk_create(gen.side["decision"], batch_size=BATCH)
    for year, last in gen.counters.items():
        CaseCounter.objects.update_or_create(district=gen.district, year=year,
                                             defaults={"last": last, "prefix": tracking_prefix(gen.district)})
    gen.ids.reset_sequences()
    for k, v in gen.totals.items():
        ctx.stats.add(k, v)
    for key, label in (("reply", "cases.reply"), ("rating", "cases.rating"), ("ext", "cases.extension_request"),
                       ("sup", "cases.supervision"), ("item", "cases.agenda_item")):
        ctx.stats.add(label, gen.counted.get(key, 0) if key != "item" else len(items))
    ctx.stats.add("cases.meeting", len(new_meetings))


EVENT_COLUMNS = ("district_id", "case_id", "seq", "actor_id", "actor_unit_id", "at", "action", "before", "after", "note",
                 "attachments")
assert {f.column for f in CaseEvent._meta.concrete_fields} == {"id", *EVENT_COLUMNS}  # a new column: add it here


# `json.dumps` with its defaults — the text Django's JSONField writes — minus the cycle check (rows of plain values)
_dumps = json.JSONEncoder(check_circular=False).encode


def _same(value):
    return value


@lru_cache(maxsize=8)
def _tables(vendor: str, alias: str) -> dict[str, Table]:
    """The tables `_flush` writes (columns and statements built once per database)."""
    tables = {"case": table_of(Case, pk=True, using=alias), "co": table_of(CaseCoUnit, using=alias),
              "event": table_of(CaseEvent, using=alias), "reply": table_of(Reply, using=alias),
              "rating": table_of(Rating, using=alias), "ext": table_of(ExtensionRequest, using=alias),
              "sup": table_of(Supervision, using=alias)}
    assert tuple(tables["event"].attnames) == EVENT_COLUMNS
    return tables


SIDE_MODELS = {"reply": Reply, "rating": Rating, "ext": ExtensionRequest, "sup": Supervision}


@lru_cache(maxsize=8)
def _side_defaults(key: str) -> dict:
    """What `Model.__init__` gives each field of a side row left unset (`get_default`: "" or None, or the
    field's default); none of these models has a callable default."""
    return {f.attname: f.get_default() for f in SIDE_MODELS[key]._meta.concrete_fields if not f.primary_key}


def _pk(obj):
    return getattr(obj, "pk", None)


def _warm(gen: Generator) -> None:
    """Read what the generation would read from the database while the writer thread owns the connection (or in a
    slice's process, which has none): the working-day calendar of every year the cases and their deadlines can
    touch, the texts' places, and the tables' columns."""
    cal = _CALENDAR[-1]
    for year in range(gen.end.year - DAYS // 365 - 2, gen.end.year + 3):
        cal._year(year)
        cal.is_provisional_year(year)
    gen.texts, gen.season_weights, gen._street_names  # noqa: B018 — cached: read now
    _tables(connection.vendor, connection.alias)
    _case_rows()


def _flush(gen: Generator, sims: list[Sim]) -> list[tuple[Table, list]]:
    """The rows of `sims`' cases, co-units, events and the side rows of those cases, for the writer
    (`civicloop.core.bulk`: COPY on PostgreSQL, one prepared INSERT per table elsewhere)."""
    if not sims:
        return []
    tables = _tables(connection.vendor, connection.alias)
    cases = [s.case for s in sims]
    out = [(tables["case"], [tables["case"].row(c) for c in cases]),
           (tables["co"], [(c.district_id, c.pk, u) for s in sims for c in (s.case,) for u in s.co])]
    at = sqlite_datetime if connection.vendor == "sqlite" else _same
    dumps = _dumps
    events = [(c.district_id, c.pk, e.seq, e.actor_id, e.actor_unit_id, at(e.at), e.action,
               dumps(e.before), dumps(e.after), e.note, "[]") for s in sims for c in (s.case,) for e in s.events]
    out.append((tables["event"], events))
    gen.totals["cases.case"] += len(cases)
    gen.totals["cases.case_event"] += len(events)
    flushed = {c.pk for c in cases}
    # a supervision still unanswered when its case ended is closed with it, at that step (services' supervisions_lapse)
    ended = {s.case.pk: next(e.at for e in s.events if e.after.get("state") in FINAL_STATES)
             for s in sims if s.case.state in FINAL_STATES}
    for row in gen.side["sup"]:
        if row["case_id"] in ended and row["replied_at"] is None:
            row["lapsed_at"] = ended[row["case_id"]]
    for key in ("reply", "rating", "ext", "sup"):
        rows = [r for r in gen.side[key] if r["case_id"] in flushed]
        gen.side[key] = [r for r in gen.side[key] if r["case_id"] not in flushed]
        out.append((tables[key], [tables[key].values(r) for r in rows]))
        gen.counted[key] = gen.counted.get(key, 0) + len(rows)
    for rows_of, _models in _case_rows():  # other apps' rows of these cases (the dashboard's facts)
        out += rows_of(sims)
    for s in sims:  # the events and side rows are in the rows; let them go
        s.events = []
    return out


@lru_cache(maxsize=1)
def _case_rows() -> list:
    """The apps' `DemoCaseRows` (registry.demo_case_rows): read once, before any slice's process is forked."""
    return registry.demo_case_rows()


def delete_cases(district) -> None:
    """The demo's reset step (`CasesConfig.demo_reset_steps`): every cases row of `district`, children first."""
    for model in (Notification, Decision, AgendaItem, Meeting, Rating, Reply, Supervision, ExtensionRequest,
                  CaseEvent, CaseCoUnit):
        qs = model.objects.filter(district=district)
        qs._raw_delete(qs.db)
    Case.objects.filter(district=district).exclude(merged_into=None).update(merged_into=None)
    qs = Case.objects.filter(district=district)
    qs._raw_delete(qs.db)
    CaseCounter.objects.filter(district=district).delete()

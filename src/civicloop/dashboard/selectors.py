"""Reads of the dashboard, each taking the viewer: the overview (`overview_for`) and the list behind any of its
figures (`drill_cases_for`). Figures come from the rollups (metrics.py) — never from a scan of the cases — except
today's open, yellow and red cases, counted live on the cases' (who, state, deadline, yellow_at) indexes over the
open states alone. Every figure carries `drill`: the query string of the list behind it (GET /api/dashboard/cases
or the page /dashboard/cases/), whose count is the figure.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from civicloop.cases.constants import CLOCK_STATES, Channel, TimeState
from civicloop.cases.models import CaseEvent, Category
from civicloop.cases.selectors import CaseFilters, case_list_for, time_state_q
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place
from civicloop.places.outlines import district_outline

from .constants import MAX_PERIOD_DAYS, NONE, TOP_CATEGORIES, TREND_DAYS, KpiKind, Part, ScopeKind
from .error_codes import DashboardErrorCode
from .metrics import (
    KPI_BY_CODE,
    KPIS,
    MEASURE_NAMES,
    Filters,
    KpiResult,
    MetricScope,
    Period,
    compute_by,
    daily_sums,
    facts_behind,
    fold_days,
    measure_of,
    metric_scope_for,
    rollup_model,
    rollups,
    today_local,
)
from .models import CaseReturn, RollupWatermark
from .permissions import may_see_disputes

LIVE = ("open", "yellow", "red")  # today's open cases and those near or past their deadline (a time state)
DISPUTES = "disputes"  # the cases a unit returned, in a category (jurisdiction disputes)
DRILL_CODES = (*KPI_BY_CODE, *LIVE, DISPUTES)
RANKING_KPIS = ("intake", "on_time_rate", "satisfaction_rate", "overdue")
DISPUTES_SHOWN = 20
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # the periods asked for lie between these


def dashboard_scope_for(actor) -> MetricScope:
    scope = metric_scope_for(actor)
    if scope is None:
        raise CivicError(ErrorCode.FORBIDDEN)
    return scope


def period_of(start: dt.date | None, end: dt.date | None, *, now: dt.datetime | None = None) -> Period:
    """The period asked for; by default this month up to today. Refused: the end before the start, too long."""
    today = today_local(now)
    end = end or today
    start = start or end.replace(day=1)
    if end < start or (end - start).days + 1 > MAX_PERIOD_DAYS or start < FIRST_DAY or end > LAST_DAY:
        raise CivicError(DashboardErrorCode.PERIOD_INVALID)
    return Period(start, end)


def drill_query(code: str, part: str | None, period: Period, filters: Filters, **extra) -> str:
    """The query string of the list behind a figure (the drill-down endpoint's and page's parameters)."""
    params = {"kpi": code, "part": part, "start": period.start.isoformat(), "end": period.end.isoformat(),
              "street": filters.street_id, "unit": filters.lead_unit_id, "category": filters.category_id,
              "channel": filters.channel, "appeal_type": filters.appeal_type, **extra}
    return urlencode({k: v for k, v in params.items() if v is not None})


class DrillBase:
    """`drill_query` for one period and filters, encoded once: `.of(code, part)` adds the figure's own part (the
    same string `drill_query` gives, parameters in the same order)."""

    def __init__(self, period: Period, filters: Filters, **extra):
        rest = urlencode({k: v for k, v in {
            "start": period.start.isoformat(), "end": period.end.isoformat(), "street": filters.street_id,
            "unit": filters.lead_unit_id, "category": filters.category_id, "channel": filters.channel,
            "appeal_type": filters.appeal_type, **extra}.items() if v is not None})
        self.rest = "&" + rest if rest else ""

    def of(self, code: str, part: str | None) -> str:
        return f"kpi={code}" + (f"&part={part}" if part is not None else "") + self.rest


def _figure(count: int, query: str) -> dict:
    return {"count": count, "drill": query}


def _kpi_figures(result: KpiResult, period: Period, filters: Filters, base: DrillBase | None = None) -> dict:
    kpi = result.kpi
    base = base or DrillBase(period, filters)
    return {
        "code": kpi.code, "value": result.value,
        "numerator": _figure(result.numerator if kpi.kind != KpiKind.AVERAGE else result.denominator,
                             base.of(kpi.code, Part.NUMERATOR)),
        "numerator_sum": result.numerator,  # an average's numerator is a sum (working days), not a count of cases
        "denominator": None if kpi.denominator is None else _figure(
            result.denominator, base.of(kpi.code, Part.DENOMINATOR)),
    }


def _with(filters: Filters, **changes) -> Filters:
    return Filters(**{**filters.__dict__, **changes})


# ----- live counts (the case table, open states only)


def _live_qs(actor, filters: Filters, now, category_ids, time_state: str | None = None) -> QuerySet:
    """The viewer's open cases now: those it answers for as a whole (`case_list_for(own_only=True)`, the cases'
    `permissions.own_q` — the same set as its `MetricScope`, built from the same scope), filtered. Not the
    visibility and then the scope: their OR (territory, lead unit, the co-handled cases' ids) kept the database off
    the (street, state, deadline, yellow_at) index — 85 ms instead of 6 for a street at 10,000,000 cases."""
    qs = case_list_for(actor, CaseFilters(open_only=True, time_state=time_state), now=now, own_only=True)
    return qs.filter(filters.q(category_ids))


def live_counts(actor, filters: Filters, now, category_ids) -> dict[str, int]:
    return _live_qs(actor, filters, now, category_ids).order_by().aggregate(
        open=Count("pk"), red=Count("pk", filter=time_state_q(TimeState.RED, now)),
        yellow=Count("pk", filter=time_state_q(TimeState.YELLOW, now)))


# ----- disputes (returns by unit and category)


def _returns(scope: MetricScope, period: Period, filters: Filters) -> QuerySet:
    qs = CaseReturn.objects.filter(day__gte=period.start, day__lte=period.end)
    qs = qs.filter(Q(**{k: v for k, v in (("district_id", scope.district_id), ("street_id", scope.street_id),
                                          ("community_id", scope.community_id)) if v is not None}))
    return qs.filter(street_id=filters.street_id) if filters.street_id is not None else qs


def disputes(scope: MetricScope, period: Period, filters: Filters) -> list[dict]:
    """Which units bounce which categories' cases: returns and cases per (returning unit, category), most first."""
    if not may_see_disputes(scope):
        return []
    rows = list(_returns(scope, period, filters).order_by().values("unit_id", "category_id").annotate(
        returns=Count("pk"), cases=Count("case_id", distinct=True)).order_by("-returns", "-cases", "unit_id",
                                                                             "category_id")[:DISPUTES_SHOWN])
    units = dict(Unit.objects.filter(pk__in={r["unit_id"] for r in rows}).values_list("pk", "name"))
    categories = _category_names({r["category_id"] for r in rows})
    return [{"unit_id": r["unit_id"], "unit": units.get(r["unit_id"], ""), "category_id": r["category_id"],
             "category": categories.get(r["category_id"], ""), "returns": r["returns"],
             "cases": _figure(r["cases"], drill_query(DISPUTES, None, period, _with(
                 Filters(street_id=filters.street_id), category_id=r["category_id"] or None),
                 returned_by=r["unit_id"]))} for r in rows]


# ----- the list behind a figure


def drill_cases_for(actor, code: str, part: str | None, period: Period, filters: Filters = Filters(), *,
                    returned_by: int | None = None, now: dt.datetime | None = None) -> QuerySet:
    """The cases behind a figure of the overview (`code`: a KPI, `LIVE` or `DISPUTES`), as the viewer may see them,
    red and yellow first: their count is the figure's."""
    return _drill(actor, code, part, period, filters, returned_by, now or timezone.now())[0]


def _drill(actor, code: str, part: str | None, period: Period, filters: Filters, returned_by: int | None,
           now: dt.datetime) -> tuple[QuerySet, QuerySet | None]:
    """`drill_cases_for`'s list, and the facts it is drawn from (a KPI's; None for the live figures and disputes)."""
    scope = dashboard_scope_for(actor)
    if code in LIVE:
        return _live_qs(actor, filters, now, filters.category_ids(), None if code == "open" else code), None
    if code == DISPUTES:
        if not may_see_disputes(scope) or returned_by is None:
            return case_list_for(actor).none(), None
        qs = _returns(scope, period, filters).filter(unit_id=returned_by)
        qs = qs.filter(category_id=filters.category_id or NONE)  # no category: the uncategorised returns
        return case_list_for(actor, CaseFilters(), now=now).filter(pk__in=qs.values("case_id")), None
    kpi = KPI_BY_CODE[code]
    part = part or Part.NUMERATOR
    if part == Part.DENOMINATOR and kpi.denominator is None:
        raise CivicError(DashboardErrorCode.PART_INVALID)
    facts = facts_behind(scope, code, part, period, filters, today=today_local(now))
    return case_list_for(actor, CaseFilters(), now=now).filter(pk__in=facts.values("case_id")), facts


# The scopes whose viewer sees every case the scope's facts hold: a district's staff (their territory is the
# district, and a case never leaves its district) and a superuser without a territory.
WHOLE_SCOPE = (ScopeKind.DISTRICT, ScopeKind.ALL)


def drill_count(scope: MetricScope, code: str, part: str | None, period: Period, filters: Filters,
                today: dt.date) -> int | None:
    """The count of a KPI's list from the rollups — the figure itself — where it is the list's by construction:
    for a viewer who sees every case of the scope (`WHOLE_SCOPE`) the list is exactly the facts the measure
    counts, and the refresh writes those facts and the rollups summing them in one transaction. None elsewhere
    (live figures, disputes, a street, a committee or a department, whose visible cases and facts can disagree
    between refreshes): the caller counts the list."""
    kpi = KPI_BY_CODE.get(code)
    if kpi is None or scope.kind not in WHOLE_SCOPE:
        return None
    part = part or Part.NUMERATOR
    if part == Part.DENOMINATOR and kpi.denominator is None:
        return None
    measure = measure_of(kpi, part)
    p = period.for_measure(kpi, today)
    if p.end < p.start:
        return 0
    return rollups(scope, filters, p).aggregate(n=Sum(measure.name, default=0))["n"]


def drill_for(actor, code: str, part: str | None, period: Period, filters: Filters = Filters(), *,
              returned_by: int | None = None, now: dt.datetime | None = None) -> RedFirst:
    """The list behind a figure as its pages read it (`RedFirst`), with its count: the rollups' sum where that is
    the list's count by construction (`drill_count`: a KPI of a district's viewer — no COUNT over a month's cases
    at city scale), else a COUNT of the list."""
    now = now or timezone.now()
    qs, facts = _drill(actor, code, part, period, filters, returned_by, now)
    count = drill_count(dashboard_scope_for(actor), code, part, period, filters, today_local(now))
    return RedFirst(qs, now, count=count, may_run=None if facts is None else may_run(facts))


MAY_RUN_MAX = 5000  # more cases changed since the last refresh than this: the running ranks read the list itself


def may_run(facts: QuerySet) -> list[int] | QuerySet | None:
    """The cases among a figure's `facts` whose clock may run now (their ids: a list, or a query when there are
    more than MAY_RUN_MAX — an overdue figure's red cases at city scale): those whose case's clock ran
    when the fact was folded (its `state`, on the partial indexes `fact_<day>_run`), and those with an event the
    refresh has not folded yet — the only way a case leaves the state its fact holds. The red, yellow and green
    ranks of the figure's list lie among them (RedFirst), so a big figure of resolved cases (a month's: tens of
    thousands at city scale, of which hardly any runs again) does not probe every running case of the district, nor
    an overdue figure every one of its facts. None — the ranks read the list itself — when more than MAY_RUN_MAX
    cases wait for the refresh. (An event the refresh gave up on, visible only after SAFETY_LAG, is outside both:
    its fact and the figures are stale the same way until the case's next event.)"""
    mark = RollupWatermark.objects.filter(pk=1).first() or RollupWatermark()
    pending = set(CaseEvent.objects.filter(mark.unread()).values_list("case_id", flat=True)[:MAY_RUN_MAX + 1])
    if len(pending) > MAY_RUN_MAX:
        return None
    ids = facts.filter(Q(state__in=CLOCK_STATES) | Q(case_id__in=sorted(pending))).values_list("case_id", flat=True)
    few = list(ids[:MAY_RUN_MAX + 1])  # usually a handful: the ranks then read them by id
    return few if len(few) <= MAY_RUN_MAX else ids


WINDOW_FROM = 2000  # a list longer than this: its last rank is read in windows of recent cases first (RedFirst)
WINDOWS = (dt.timedelta(days=7), dt.timedelta(days=35))


class RedFirst:
    """A drill-down list paged without ranking all of it: `qs` (a `case_list_for` list annotated at `now`) is
    ordered red, yellow, green (the open cases whose clock runs — few, on the cases' (…, state, deadline) indexes),
    then the rest newest first; a page is read rank by rank, each part by an index in its own order, stopping when
    the page is full — ids only (no joins), then the page's rows by id. The same rows in the same order as
    `qs[a:b]`; `count()` is the list's (the figure's): `count` when the caller knows it (`drill_for`), else a COUNT."""

    def __init__(self, qs: QuerySet, now: dt.datetime, *, count: int | None = None,
                 may_run: list[int] | QuerySet | None = None):
        self.known_count = count
        self.now = now
        running = Q(state__in=CLOCK_STATES, deadline__isnull=False)
        # the running ranks among the cases that can run (`may_run` — drill_for's figures), else the whole list
        among = Q() if may_run is None else Q(pk__in=may_run)
        order = ("-created_at", "-id")  # within one rank, the list's order
        self.parts = tuple(part.order_by(*order).values_list("pk", flat=True) for part in (  # each rank with
            qs.filter(among, running & Q(deadline__lt=now), time_rank=0),  # the same condition on indexed columns
            qs.filter(among, running & ~Q(deadline__lt=now) & Q(yellow_at__lte=now), time_rank=1),
            qs.filter(among, running & ~Q(deadline__lt=now) & ~Q(yellow_at__lte=now), time_rank=2),
            qs.exclude(running).filter(time_rank=3),
        ))
        self.qs = qs

    def _last(self, part: QuerySet, skip: int, want: int | None) -> list[int]:
        """The last rank's rows skip … skip + want, newest first. A big figure's list (its count known and above
        WINDOW_FROM) is read among the cases created in a recent window first: if the window holds the rows asked
        for they are the list's (every case left out is older than every case in it); else a wider window, and at
        last the whole rank. Without it the database reads every fact of the figure (a month's resolved cases:
        ~40,000 at 1,000,000 cases) to sort them by the case's age before the first row."""
        if want is not None and self.known_count is not None and self.known_count > WINDOW_FROM:
            for window in WINDOWS:
                ids = list(part.filter(created_at__gte=self.now - window)[skip:skip + want])
                if len(ids) == want:
                    return ids
        return list(part[skip:] if want is None else part[skip:skip + want])

    def count(self) -> int:
        if self.known_count is None:
            self.known_count = self.qs.count()
        return self.known_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item:item + 1][0]
        start, stop = item.start or 0, item.stop
        ids: list[int] = []
        skip = start
        for at, part in enumerate(self.parts):
            want = None if stop is None else stop - start - len(ids)
            if want is not None and want <= 0:
                break
            if skip and at < len(self.parts) - 1:  # a later page: the parts wholly before it are skipped
                ahead = part.order_by().count()
                if skip >= ahead:
                    skip -= ahead
                    continue
            ids += self._last(part, skip, want) if at == len(self.parts) - 1 else list(
                part[skip:] if want is None else part[skip:skip + want])
            skip = 0
        rows = {case.pk: case for case in self.qs.filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]


# ----- the overview


def _category_names(ids) -> dict[int, str]:
    return {c.pk: str(c) for c in Category.objects.select_related("parent").filter(pk__in=ids)}


def _ranking(by: dict, names: dict, period: Period, filters: Filters, key: str) -> list[dict]:
    rows = []
    for value, results in by.items():
        if value not in names:
            continue
        base = DrillBase(period, _with(filters, **{key: value}))
        rows.append({"id": value, "name": names[value],
                     "kpis": [_kpi_figures(results[c], period, None, base) for c in RANKING_KPIS]})
    on_time = {row["id"]: by[row["id"]]["on_time_rate"].value for row in rows}
    return sorted(rows, key=lambda r: (on_time[r["id"]] is None, -(on_time[r["id"]] or 0),
                                       -by[r["id"]]["intake"].numerator, r["id"]))


def scope_name(scope: MetricScope) -> str:
    place = scope.street_id or scope.community_id or scope.district_id
    if scope.kind == ScopeKind.DEPARTMENT:
        return Unit.objects.filter(pk=scope.lead_unit_id).values_list("name", flat=True).first() or ""
    return Place.objects.filter(pk=place).values_list("name", flat=True).first() or "" if place else ""


# The overview's figures (everything but today's live counts) kept per state of the dashboard's tables: the key holds
# the watermark's `version`, which every write of the facts, returns and rollups changes in its own transaction
# (services.py, their only writers; the periodic refresh writes the watermark on every run, so names of streets,
# units and categories shown are at most one refresh old, like the figures). Per process, the last KEPT_MAX keys.
KEPT_MAX = 64
_kept: OrderedDict[tuple, dict] = OrderedDict()
_kept_lock = threading.Lock()


def _kept_figures(key: tuple | None, compute) -> dict:
    if key is None:
        return compute()
    with _kept_lock:
        figures = _kept.get(key)
        if figures is not None:
            _kept.move_to_end(key)
            return figures
    figures = compute()
    with _kept_lock:
        _kept[key] = figures
        while len(_kept) > KEPT_MAX:
            _kept.popitem(last=False)
    return figures


def overview_for(actor, period: Period, filters: Filters = Filters(), *, now: dt.datetime | None = None) -> dict:
    """Everything the overview shows for the viewer's scope: today's intake, open, yellow and red; every KPI for
    `period` with the previous period's value and the change; the 30-day trend; top categories and channels;
    streets and departments ranked; jurisdiction disputes. A bounded number of statements, none over all cases.
    The figures from the dashboard's tables are kept per (watermark version, language, scope, period, filters,
    today) — shared between calls, so the answer is read-only (copy it before changing it); today's open, yellow
    and red cases are counted on every call."""
    scope = dashboard_scope_for(actor)
    now = now or timezone.now()
    today = today_local(now)
    cats = filters.category_ids() if filters.category_id is not None else None
    mark = RollupWatermark.objects.filter(pk=1).values_list("version", "refreshed_at").first()
    key = None if mark is None else (mark[0], get_language(), scope, period, filters, today, tuple(cats or ()))
    figures = _kept_figures(key, lambda: _overview_figures(scope, period, filters, today, cats,
                                                           None if mark is None else mark[1]))
    live = live_counts(actor, filters, now, cats)
    today_query = DrillBase(Period(today, today), filters)
    head = ("scope", "refreshed_at", "period", "previous")
    return {
        **{k: figures[k] for k in head},
        "today": {
            "day": today,
            "intake": _figure(figures["trend"][-1]["intake"]["count"], today_query.of("intake", Part.NUMERATOR)),
            **{code: _figure(live[code], today_query.of(code, None)) for code in LIVE},
        },
        **{k: v for k, v in figures.items() if k not in head},
    }


def _overview_figures(scope: MetricScope, period: Period, filters: Filters, today: dt.date, cats, refreshed_at
                      ) -> dict:
    """`overview_for` but today's live counts: what the dashboard's tables (and the names) give."""
    previous = period.previous()
    trend_period = Period(today - dt.timedelta(days=TREND_DAYS - 1), today)
    # one read per rollup table: the period, the previous one and the trend (per day, with the channels when the
    # same table holds them); streets and departments (one GROUP BY over both); the categories
    with_channel = rollup_model(scope, filters, "channel") is rollup_model(scope, filters)
    days = daily_sums(scope, filters, (Period(previous.start, period.end), trend_period),
                      by="channel" if with_channel else None, category_ids=cats)
    width = 2 if with_channel else 1
    current, before = (fold_days(days, p, today, width) for p in (period, previous))
    base = DrillBase(period, filters)
    kpis = []
    for kpi in KPIS:
        value, old = current[kpi.code].value, before[kpi.code].value
        kpis.append({**_kpi_figures(current[kpi.code], period, filters, base), "label": str(kpi.label),
                     "kind": kpi.kind, "unit": str(kpi.unit), "formula": str(kpi.formula), "previous_value": old,
                     "change": None if value is None or old is None else value - old})
    at = {name: i + width for i, name in enumerate(MEASURE_NAMES)}
    per_day: dict[dt.date, list[int]] = {}
    for row in days:
        if row[0] >= trend_period.start:
            sums = per_day.setdefault(row[0], [0, 0, 0, 0])
            sums[0] += row[at["intake"]]
            sums[1] += row[at["resolved"]]
            sums[2] += row[at["resolved_on_time"]]
            sums[3] += row[at["overdue"]] if row[0] < today else 0  # a deadline is missed at its day's end
    trend = []
    for offset in range(TREND_DAYS):
        day = trend_period.start + dt.timedelta(days=offset)
        intake, resolved, on_time, red = per_day.get(day, (0, 0, 0, 0))
        one = DrillBase(Period(day, day), filters)
        trend.append({"day": day, "intake": _figure(intake, one.of("intake", Part.NUMERATOR)),
                      "resolved": _figure(resolved, one.of("on_time_rate", Part.DENOMINATOR)),
                      "resolved_on_time": _figure(on_time, one.of("on_time_rate", Part.NUMERATOR)),
                      "red": _figure(red, one.of("overdue", Part.NUMERATOR))})
    if with_channel:
        by_channel: dict[str, int] = {}
        for row in days:
            if period.start <= row[0] <= period.end:
                by_channel[row[1]] = by_channel.get(row[1], 0) + row[at["intake"]]
    else:
        by_channel = {ch: r["intake"].numerator for ch, r in compute_by(
            scope, period, "channel", filters, codes=("intake",), today=today, category_ids=cats).items()}
    by_category = compute_by(scope, period, "category_id", filters, codes=("intake",), today=today, category_ids=cats)
    top = sorted(((c, r["intake"].numerator) for c, r in by_category.items() if c and r["intake"].numerator),
                 key=lambda item: (-item[1], item[0]))[:TOP_CATEGORIES]
    names = _category_names([c for c, _n in top])
    by_street, by_unit = (compute_by(scope, period, dimension, filters, codes=RANKING_KPIS, today=today,
                                     category_ids=cats) for dimension in ("street_id", "lead_unit_id"))
    streets = dict(Place.objects.filter(pk__in=[k for k in by_street if k]).values_list("pk", "name"))
    units = dict(Unit.objects.filter(pk__in=[k for k in by_unit if k], kind=UnitKind.DEPARTMENT)
                 .values_list("pk", "name"))
    return {
        "scope": {"kind": scope.kind, "label": str(ScopeKind(scope.kind).label), "name": scope_name(scope)},
        "refreshed_at": refreshed_at,
        "period": {"start": period.start, "end": period.end},
        "previous": {"start": previous.start, "end": previous.end},
        "kpis": kpis,
        "trend": trend,
        "categories": [{"id": c, "name": names.get(c, ""), "intake": _figure(n, drill_query(
            "intake", Part.NUMERATOR, period, _with(filters, category_id=c)))} for c, n in top],
        "channels": [{"channel": ch, "label": str(Channel(ch).label) if ch in Channel.values else ch,
                      "intake": _figure(n, drill_query("intake", Part.NUMERATOR, period, _with(filters, channel=ch)))}
                     for ch, n in sorted(by_channel.items(), key=lambda i: -i[1]) if n],
        "streets": _ranking(by_street, streets, period, filters, "street_id"),
        "departments": _ranking(by_unit, units, period, filters, "lead_unit_id"),
        "disputes": disputes(scope, period, filters),
    }


# ----- charts and map


def ranked(rows: list[dict], code: str) -> list[dict]:
    """Ranking rows (`overview_for`'s streets or departments) ordered by one of their KPIs (`RANKING_KPIS`), the
    highest first, rows without a value last; ties by intake, then id. The page's tables and charts share it."""
    at = RANKING_KPIS.index(code)

    def key(row):
        value, intake = row["kpis"][at]["value"], row["kpis"][0]["value"]
        return value is None, -(value or 0), -(intake or 0), row["id"]
    return sorted(rows, key=key)


def _streets_shown(scope: MetricScope, filters: Filters, with_data: set[int]) -> QuerySet:
    """The streets a viewer's map shows: a district's all, a street's (or committee's) its own, others (a
    department, every district) the streets with figures; a street filter narrows to that one."""
    qs = Place.objects.filter(level=PlaceLevel.STREET)
    if scope.kind == ScopeKind.DISTRICT:
        qs = qs.filter(district_id=scope.district_id)
    elif scope.street_id is not None:
        qs = qs.filter(pk=scope.street_id)
    elif scope.community_id is not None:
        qs = qs.filter(pk__in=Place.objects.filter(pk=scope.community_id).values("street_id"))
    else:
        qs = qs.filter(pk__in=with_data)
    return qs if filters.street_id is None else qs.filter(pk=filters.street_id)


def street_map_for(actor, period: Period, filters: Filters = Filters(), *, now: dt.datetime | None = None) -> dict:
    """The map of the viewer's scope: the district outline (ECharts' encoding, places/data) and each street at its
    centre with its open cases now (the point's size; `drill` lists them) and its on-time rate in `period` (the
    colour). Four statements: the rollups by street, the open cases by street, the streets, the district."""
    scope = dashboard_scope_for(actor)
    now = now or timezone.now()
    today = today_local(now)
    cats = filters.category_ids() if filters.category_id is not None else None
    on_time = compute_by(scope, period, "street_id", filters, codes=("on_time_rate",), today=today, category_ids=cats)
    open_by = dict(_live_qs(actor, filters, now, cats).order_by().values("street_id")
                   .annotate(n=Count("pk")).values_list("street_id", "n"))
    with_data = {k for k in (*on_time, *open_by) if k}
    streets = list(_streets_shown(scope, filters, with_data).order_by("code").values("pk", "name", "lat", "lng",
                                                                                       "district_id"))
    district_id = scope.district_id or (streets[0]["district_id"] if streets else None)
    district = Place.objects.only("code").filter(pk=district_id).first() if district_id else None
    today_period = Period(today, today)
    points = []
    for s in streets:
        narrowed = _with(filters, street_id=s["pk"])
        rate = on_time.get(s["pk"], {}).get("on_time_rate") or KpiResult(KPI_BY_CODE["on_time_rate"], 0, 0)
        points.append({
            "id": s["pk"], "name": s["name"],
            "lat": None if s["lat"] is None else float(s["lat"]), "lng": None if s["lng"] is None else float(s["lng"]),
            "open": _figure(open_by.get(s["pk"], 0), drill_query("open", None, today_period, narrowed)),
            "on_time_rate": _kpi_figures(rate, period, narrowed),
        })
    return {"outline": district_outline(district), "streets": points}

"""Objective metrics that are not the dashboard's KPIs: figures other apps give through their own selectors (never
their tables), usable as an indicator's `metric` beside `dashboard.metrics.KPI_BY_CODE`.

A source metric is a rate (numerator ÷ denominator × 100) computed for all the units of a run at once:
`compute(actor, run, units, group, today) -> ({unit id: (numerator, denominator)}, extra inputs)` — a unit missing
has no data (a rate scores as the dashboard's do without cases) — and `link(score) -> [{label, url}]`, where the
figure's subjects are listed. `SOURCE_METRICS` is the registry: a new one is one more entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import UnitGroup


@dataclass(frozen=True)
class SourceMetric:
    code: str
    label: Promise
    formula: Promise
    basis: Promise
    groups: tuple[str, ...]  # the unit groups it has figures for (others: no data)
    compute: Callable
    link: Callable
    kind: str = "rate"
    lower_is_better: bool = False

    def links(self, score) -> list[dict]:
        """Where the figure's subjects are listed (the owning app's pages): [{label, url}]."""
        return self.link(score)


def _coverage_links(score) -> list[dict]:
    from django.urls import reverse

    street = (score.inputs.get("filters") or {}).get("street")
    return [{"label": _("走访覆盖"), "url": reverse("visits:coverage", args=[c])
             + (f"?street={street}" if street else "")} for c in score.inputs.get("campaigns") or []]


def key_group_visit_coverage(actor, run, units, group: str, today=None) -> tuple[dict, dict]:
    """Key-group subjects (重点人群住户, 重点企业) first visited by the run's end ÷ key-group subjects, in the visit
    campaigns of the run's district running in its period (not drafts), by street — through the visits selectors
    as `actor` sees them. Returns ({unit id: (visited, subjects)}, {"campaigns": [ids]})."""
    from civicloop.visits.constants import KEY_GROUPS, CampaignState
    from civicloop.visits.selectors import campaigns_for, coverage_overview_for

    campaigns = list(campaigns_for(actor).filter(district_id=run.district_id, start__lte=run.end, end__gte=run.start)
                     .exclude(state=CampaignState.DRAFT).order_by("pk").values_list("pk", flat=True))
    by_street: dict[int, list[int]] = {}
    for campaign_id in campaigns:
        _campaign, coverage, _progress = coverage_overview_for(actor, campaign_id, as_of=run.end)
        for row in coverage.streets:
            tally = by_street.setdefault(row.key, [0, 0])
            for g, t in row.tallies.items():
                if g in KEY_GROUPS:
                    tally[0] += t.visited
                    tally[1] += t.subjects
    out = {}
    if group == UnitGroup.STREETS:
        for unit in units:
            if unit.territory_id in by_street:
                out[unit.pk] = tuple(by_street[unit.territory_id])
    return out, {"campaigns": campaigns}


def milestone_on_time_rate(actor, run, units, group: str, today=None) -> tuple[dict, dict]:
    """Milestones (节点) due in the run's period — up to `today` while it runs — of the plan tasks in a street (the
    streets) or owned by a department, done on or before their due date ÷ those due: through the plans selectors
    as `actor` sees them."""
    from civicloop.plans.selectors import milestone_on_time
    from civicloop.plans.selectors import today as plans_today

    end = min(run.end, today or plans_today())
    if group == UnitGroup.STREETS:
        by_street = milestone_on_time(actor, district_id=run.district_id, start=run.start, end=end, by="street")
        out = {u.pk: by_street[u.territory_id] for u in units if u.territory_id in by_street}
    else:
        by_unit = milestone_on_time(actor, district_id=run.district_id, start=run.start, end=end, by="unit")
        out = {u.pk: by_unit[u.pk] for u in units if u.pk in by_unit}
    return out, {"milestones_until": end.isoformat()}


def _plans_links(score) -> list[dict]:
    from django.urls import reverse

    return [{"label": _("挂图作战"), "url": reverse("plans:plans")}]


SOURCE_METRICS = {m.code: m for m in (
    SourceMetric("key_group_visit_coverage", _("重点人群走访覆盖率"),
                 _("首次走访在考核期末以前的重点人群住户和重点企业 ÷ 重点人群住户和重点企业 × 100%"),
                 _("考核期内进行中或已结束的走访活动，按街道"), (UnitGroup.STREETS,), key_group_visit_coverage,
                 _coverage_links),
    SourceMetric("milestone_on_time_rate", _("节点按时完成率"),
                 _("考核期内到期的计划节点中按期完成的 ÷ 考核期内到期的计划节点 × 100%（未到期的不计）"),
                 _("挂图作战的任务节点：街道按任务所在街道，部门按责任单位"),
                 (UnitGroup.STREETS, UnitGroup.DEPARTMENTS), milestone_on_time_rate, _plans_links),
)}

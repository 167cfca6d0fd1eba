"""Objective metrics that are not the dashboard's KPIs: figures other apps give through their own selectors (never
their tables), usable as an indicator's `metric` beside `dashboard.metrics.KPI_BY_CODE`.

A source metric is a rate (numerator ÷ denominator × 100) computed for all the units of a run at once:
`compute(actor, run, units, group) -> {unit id: (numerator, denominator)}` — a unit missing has no data (a rate
scores as the dashboard's do without cases). `SOURCE_METRICS` is the registry: a new one (the plans app's
"milestone on-time rate", when it exists) is one more entry here.
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
    kind: str = "rate"
    lower_is_better: bool = False

    def links(self, score) -> list[dict]:
        """Where the figure's subjects are listed (the owning app's pages): [{label, url}]."""
        from django.urls import reverse

        street = (score.inputs.get("filters") or {}).get("street")
        return [{"label": _("走访覆盖"), "url": reverse("visits:coverage", args=[c])
                 + (f"?street={street}" if street else "")} for c in score.inputs.get("campaigns") or []]


def key_group_visit_coverage(actor, run, units, group: str) -> tuple[dict, dict]:
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


SOURCE_METRICS = {m.code: m for m in (
    SourceMetric("key_group_visit_coverage", _("重点人群走访覆盖率"),
                 _("首次走访在考核期末以前的重点人群住户和重点企业 ÷ 重点人群住户和重点企业 × 100%"),
                 _("考核期内进行中或已结束的走访活动，按街道"), (UnitGroup.STREETS,), key_group_visit_coverage),
    # "milestone_on_time_rate" (plans): one more entry once the plans app gives its figure through its selectors
)}

"""The demo's steps for the dashboard. The cases the demo writes in bulk get their facts, returns and red stretches
folded where they are generated (`case_rows`, a `DemoCaseRows` hook: in the slices' processes, from the events in
memory — the same `fact_of` and `red_spans_of` as the refresh); at the end (`generate_rollups`) only the events
written otherwise are folded, the rollups are summed from the facts and the watermark moves past the last event,
so the overview is current when the demo is ready and the periodic refresh reads only what happens afterwards."""

from civicloop.core.bulk import table_of

from .facts import STATIC, fact_of, red_spans_of
from .models import CaseFact, CaseRedSpan, CaseReturn
from .services import rollups_complete_district, rollups_delete_district


def case_rows(sims) -> list:
    """`DashboardConfig.demo_case_rows`: the facts, returns and red stretches of the demo's cases `sims` (each case
    with all its events), as rows of their tables."""
    facts_t, returns_t, spans_t = table_of(CaseFact, pk=True), table_of(CaseReturn), table_of(CaseRedSpan)
    facts, returns, spans = [], [], []
    for sim in sims:
        case = sim.case
        static = {name: getattr(case, name) for name in STATIC}
        fact, its_returns = fact_of(case.pk, static, sim.events, sim.calendar)
        facts.append(facts_t.values(fact))
        returns += [returns_t.values(r) for r in its_returns]
        spans += [spans_t.values(r) for r in red_spans_of(case.pk, case.district_id, sim.events)]
    return [(facts_t, facts), (returns_t, returns), (spans_t, spans)]


def generate_rollups(ctx) -> None:
    """`DashboardConfig.demo_final_steps`: after every app's cases (visits, inspections …)."""
    read = rollups_complete_district(ctx.district, ctx.extra.get("cases_bulk_events", ()))
    ctx.log(f"  rollups: {read:,} case events folded")


def delete_rollups(district) -> None:
    """`DashboardConfig.demo_reset_steps`: the district's facts, returns and rollups, before its cases go."""
    rollups_delete_district(district)

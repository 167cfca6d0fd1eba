"""Assessment benches (issue 15, Bench), PostgreSQL, on whatever database `demo_generation` left (its size is
printed beside every figure; the issue's size is 1,000,000 cases: BENCH_PG_CASES_PER_SCALE, and a year of them:
CIVICLOOP_DEMO_DAYS=365).

1. Evaluation: the demo's 金银铜 evaluation of the 13 streets (140 indicators) and the same set for
   BENCH_ASSESS_DEPARTMENTS (default 40) departments — `services.runs.run_compute` for both, in a child process
   (timed inside it: Django's start-up is not the computation's), BENCH_ASSESS_COMPUTES (default 3) times →
   the median of the two together. Goal ≤ 10 s. The dashboard's rollups are rebuilt first when they are empty.
2. Provenance: the score page (HTML) and GET /api/assess/scores/<id> of the street score with the most cases
   behind it (an 按时办结率: the late cases that cost it points), as the district's administrator,
   BENCH_ASSESS_REQUESTS (default 50) each, sequential → p50 / p95. Goal ≤ 100 ms p95.
Loopback only; the server is started here and stopped by its process group id.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from kit import http_times, login, p95, shell, start_server, stop_server

DEPARTMENTS = int(os.environ.get("BENCH_ASSESS_DEPARTMENTS", "40"))
COMPUTES = int(os.environ.get("BENCH_ASSESS_COMPUTES", "3"))
REQUESTS = int(os.environ.get("BENCH_ASSESS_REQUESTS", "50"))
ADMIN = "xh_admin"

CHILD = """
import json, sys
sys.path.insert(0, {bench!r})
from assess_http import {fn}
print("RESULT " + json.dumps({fn}({args})))
"""


def setup_bench(departments: int) -> dict:
    """In the child (Django set up): the rollups when empty, the 金银铜 set's departments version and its draft
    run over the first `departments` departments (made once; a rerun finds them). [{id, group, units, indicators}]"""
    from civicloop.assess.constants import UnitGroup
    from civicloop.assess.models import EvaluationRun, Indicator, IndicatorSet
    from civicloop.assess.services import runs, sets
    from civicloop.assess.templates_data import HUANGPU
    from civicloop.cases.models import Case
    from civicloop.dashboard.models import DailyRollup
    from civicloop.dashboard.services import rollups_rebuild
    from civicloop.orgs.constants import UnitKind
    from civicloop.orgs.models import Unit, User

    rebuilt = None
    if not DailyRollup.objects.exists():
        t = time.perf_counter()
        rollups_rebuild()
        rebuilt = time.perf_counter() - t
    admin = User.objects.get(username=ADMIN)
    street_run = EvaluationRun.objects.filter(indicator_set__code=HUANGPU["code"],
                                              indicator_set__unit_group=UnitGroup.STREETS).order_by("-end", "pk").first()
    dept_set = IndicatorSet.objects.filter(district_id=street_run.district_id, code="bench-departments").first()
    if dept_set is None:
        dept_set = sets.set_create(actor=admin, code="bench-departments", name="金银铜奖考核（部门，压测）",
                                   unit_group=UnitGroup.DEPARTMENTS, template=HUANGPU["code"],
                                   district_id=street_run.district_id)
    dept_run = EvaluationRun.objects.filter(indicator_set=dept_set).first()
    if dept_run is None:
        pool = Unit.objects.filter(district_id=street_run.district_id, kind=UnitKind.DEPARTMENT, active=True)
        for n in range(pool.count(), departments):  # the demo has fewer: departments leading no case (all
            Unit.objects.create(district_id=street_run.district_id, kind=UnitKind.DEPARTMENT,  # their rates no data)
                                code=f"BENCH-D{n:02d}", name=f"压测部门{n:02d}")
        ids = list(pool.order_by("code").values_list("pk", flat=True)[:departments])
        dept_run = runs.run_create(actor=admin, set_id=dept_set.pk, name="部门考核（压测）", start=street_run.start,
                                   end=street_run.end, unit_ids=ids)
    out = []
    for run in (street_run, dept_run):
        out.append({"id": run.pk, "group": run.indicator_set.unit_group, "units": run.units.count(),
                    "indicators": Indicator.objects.filter(indicator_set_id=run.indicator_set_id).count(),
                    "period": f"{run.start}–{run.end}"})
    added = Unit.objects.filter(district_id=street_run.district_id, code__startswith="BENCH-D").count()
    return {"runs": out, "cases": Case.objects.count(), "rebuilt": rebuilt, "added_departments": added}


def compute_bench(run_ids: list[int], repeat: int) -> dict:
    """In the child: `run_compute` of every run, `repeat` times; the median of their sum, each run's median, and
    the street score with the most cases behind an on-time rate (the provenance to open)."""
    from civicloop.assess.models import Score
    from civicloop.assess.services.runs import run_compute
    from civicloop.orgs.models import User

    admin = User.objects.get(username=ADMIN)
    each: dict[int, list[float]] = {pk: [] for pk in run_ids}
    for _ in range(repeat):
        for pk in run_ids:
            t = time.perf_counter()
            run_compute(actor=admin, run_id=pk)
            each[pk].append(time.perf_counter() - t)
    sums = [sum(each[pk][i] for pk in run_ids) for i in range(repeat)]
    score = (Score.objects.filter(run_id=run_ids[0], inputs__metric="on_time_rate").exclude(denominator=None)
             .select_related("indicator", "unit").order_by("-denominator", "pk").first())
    return {"median": statistics.median(sums), "each": [statistics.median(each[pk]) for pk in run_ids],
            "scores": Score.objects.filter(run_id__in=run_ids).count(), "score": score.pk,
            "score_label": f"{score.unit.name} · {score.indicator.name}, {score.denominator:,} cases, "
                           f"{score.denominator - score.numerator:,} late"}


def measure(env: dict, tmp: Path) -> list[dict]:
    bench = str(Path(__file__).resolve().parent)
    setup = json.loads(shell(env, CHILD.format(bench=bench, fn="setup_bench", args=f"departments={DEPARTMENTS}")))
    size = f"{setup['cases']:,} cases"
    runs = setup["runs"]
    computed = json.loads(shell(env, CHILD.format(bench=bench, fn="compute_bench",
                                                  args=f"{[r['id'] for r in runs]}, repeat={COMPUTES}")))
    shape = " + ".join(f"{r['units']} {r['group']} × {r['indicators']} indicators" for r in runs)
    each = ", ".join(f"{r['group']} {s:.2f} s" for r, s in zip(runs, computed["each"], strict=True))
    if setup["added_departments"]:
        each += f" ({setup['added_departments']} of the departments added for the bench, leading no case)"
    results = [{"name": f"assess: evaluation run, {shape} ({size})", "seconds": computed["median"],
                "rows": computed["scores"],
                "note": f"goal ≤ 10 s; median of {COMPUTES} computes (run_compute, in-process): {each}; "
                        f"rows = scores written; uptime load {os.getloadavg()[0]:.1f}"}]
    server = start_server(env)
    try:
        s = login(ADMIN)
        score = computed["score"]
        page, _r = http_times(s, f"/assess/scores/{score}/", REQUESTS)
        api, _r = http_times(s, f"/api/assess/scores/{score}", REQUESTS)
    finally:
        stop_server(server)
    for label, times in (("page", page), ("API", api)):
        results.append({"name": f"assess: a score's provenance ({label}, {size})", "seconds": p95(times) / 1000,
                        "rows": REQUESTS,
                        "note": f"goal ≤ 100 ms p95; p50 {statistics.median(times):.0f} / p95 {p95(times):.0f} ms; "
                                f"{computed['score_label']} (score {score}); load {os.getloadavg()[0]:.1f}"})
    return results

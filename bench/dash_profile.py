"""In-process profile of the dashboard overview and drill-down (not part of `make bench`): timings and statements.

DATABASE_URL=… python bench/dash_profile.py [n] [--prof]"""
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicloop.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from civicloop.dashboard import selectors  # noqa: E402
from civicloop.dashboard.metrics import Filters, Period, today_local  # noqa: E402
from civicloop.orgs.models import User  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 20
today = today_local()
period = Period(today - dt.timedelta(days=29), today)


def timed(label, fn):
    fn()
    times, sqls = [], []
    for _ in range(N):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    python = sorted(t - q for t, q in zip(times, sqls, strict=True))
    times.sort()
    print(f"{label}: p50 {statistics.median(times):.1f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms, "
          f"{len(ctx.captured_queries)} statements (median {statistics.median(sqls):.1f} ms in SQL, "
          f"{statistics.median(python):.1f} ms outside)")
    if "-v" in sys.argv:
        for q in ctx.captured_queries:
            print(f"   {float(q['time'])*1000:7.1f} ms  {q['sql'][:160]}")
    if "--prof" in sys.argv:
        prof = cProfile.Profile()
        prof.enable()
        fn()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(18)


leader = User.objects.get(username="xh_leader")
street = User.objects.get(username="tpl_dispatcher")
kept = getattr(selectors, "_kept", None)


def cold(fn):
    """Without the overview's kept figures (the first view after a refresh)."""
    def run():
        if kept is not None:
            kept.clear()
        return fn()
    return run


timed("district overview", lambda: selectors.overview_for(leader, period))
timed("street overview", lambda: selectors.overview_for(street, period))
if kept is not None:
    timed("district overview, cold", cold(lambda: selectors.overview_for(leader, period)))
    timed("street overview, cold", cold(lambda: selectors.overview_for(street, period)))
over = selectors.overview_for(leader, period)
kpi = {k["code"]: k for k in over["kpis"]}
for label, code in (("drill on-time numerator", "on_time_rate"), ("drill overdue", "overdue")):
    count = kpi[code]["numerator"]["count"]

    def drill(code=code):
        now = timezone.now()
        if hasattr(selectors, "drill_for"):
            rows = selectors.drill_for(leader, code, "numerator", period, Filters(), now=now)
        else:
            qs = selectors.drill_cases_for(leader, code, "numerator", period, Filters(), now=now)
            rows = getattr(selectors, "RedFirst", lambda qs, now: qs)(qs, now)
        return rows.count(), list(rows[:20])
    assert drill()[0] == count, (drill()[0], count)
    timed(f"{label} ({count} cases) count + first page", drill)

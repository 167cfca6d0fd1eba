"""Dashboard benches against a running `civicloop serve` on loopback, PostgreSQL (issue 13, Bench), on whatever
database `demo_generation` left (its size is printed beside every figure).

1. Rollup refresh: the first full fold of the event log (`rollups_rebuild`, in a child process: its time without
   Django's start-up), and — after the HTTP figures — an incremental one over BENCH_DASH_NEW (default 200) cases
   registered over HTTP meanwhile.
2. Overview JSON: GET /api/dashboard/overview for the last BENCH_DASH_DAYS (default 30) days, as the district
   leader (xh_leader) and as a street (tpl_dispatcher), BENCH_DASH_REQUESTS each (default 50), sequential → p50 / p95.
3. The naive way, in the same run: one GROUP BY over cases_case (psycopg) computing the figures the overview shows
   that a case row can give — intake, resolved, resolved on time and overdue per street and for the district — and
   **asserted equal** to the overview's; its median time beside the overview's p95 (the ratio).
4. Drill-down: the first page of GET /api/dashboard/cases behind the district's on-time numerator and its overdue
   figure (the biggest lists a leader opens) → p95.
5. Weekly report: GET /api/dashboard/report.xlsx and report.pdf for the last full week as the leader → seconds.
6. The inbox p95 again at this size (bench/cases_http.inbox_p95).
Bounded loops, loopback only. The server is started here and stopped by its process group id.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path
from urllib.parse import parse_qsl

from cases_http import INBOX_REQUESTS, INBOX_USERS, inbox_p95
from kit import BASE, http_times, login, p95, shell, start_server, stop_server

REQUESTS = int(os.environ.get("BENCH_DASH_REQUESTS", "50"))
DAYS = int(os.environ.get("BENCH_DASH_DAYS", "30"))
NEW_CASES = int(os.environ.get("BENCH_DASH_NEW", "200"))
LEADER, STREET_USER = "xh_leader", "tpl_dispatcher"
CLOCK_STATES = ("dispatched", "accepted", "in_progress", "reopened")  # cases.constants.CLOCK_STATES
UNCOUNTED = ("merged", "withdrawn")

REFRESH = """
import json, time
from civicloop.dashboard.services import rollups_rebuild, rollups_refresh
t = time.perf_counter()
n = {fn}()
print("RESULT " + json.dumps({{"events": n, "seconds": time.perf_counter() - t}}))
"""


def refresh(env: dict, rebuild: bool) -> dict:
    """The refresh in a child process, timed inside it (Django's start-up is not the refresh's)."""
    return json.loads(shell(env, REFRESH.format(fn="rollups_rebuild" if rebuild else "rollups_refresh")))


NAIVE = """
SELECT street_id,
  count(*) FILTER (WHERE reg BETWEEN %(start)s AND %(end)s) AS intake,
  count(*) FILTER (WHERE counted AND resolved_at IS NOT NULL AND res BETWEEN %(start)s AND %(end)s) AS resolved,
  count(*) FILTER (WHERE counted AND resolved_at IS NOT NULL AND res BETWEEN %(start)s AND %(end)s
                   AND resolved_at <= deadline) AS resolved_on_time,
  count(*) FILTER (WHERE counted AND ddl BETWEEN %(start)s AND %(past_end)s AND deadline IS NOT NULL
                   AND (CASE WHEN resolved_at IS NOT NULL THEN resolved_at > deadline
                             ELSE state = ANY(%(clock)s) END)) AS overdue
FROM (SELECT street_id, state, resolved_at, deadline, NOT (state = ANY(%(uncounted)s)) AS counted,
             (created_at AT TIME ZONE 'Asia/Shanghai')::date AS reg,
             (resolved_at AT TIME ZONE 'Asia/Shanghai')::date AS res,
             (deadline AT TIME ZONE 'Asia/Shanghai')::date AS ddl
      FROM cases_case WHERE district_id = %(district)s {street}) c
GROUP BY street_id
"""


def naive(url: str, district: int, start: dt.date, end: dt.date, today: dt.date, street: int | None = None):
    """The figures per street straight from the case rows: {street_id: {intake, resolved, resolved_on_time,
    overdue}}, and the median of BENCH_DASH_REQUESTS // 5 runs (ms)."""
    import psycopg

    params = {"district": district, "start": start, "end": end, "past_end": min(end, today - dt.timedelta(days=1)),
              "clock": list(CLOCK_STATES), "uncounted": list(UNCOUNTED), "street": street}
    sql = NAIVE.format(street="AND street_id = %(street)s" if street else "")
    times, rows = [], []
    with psycopg.connect(url) as conn:
        for _ in range(max(3, REQUESTS // 5)):
            t = time.perf_counter()
            rows = conn.execute(sql, params).fetchall()
            times.append((time.perf_counter() - t) * 1000)
    by = {r[0]: {"intake": r[1], "resolved": r[2], "resolved_on_time": r[3], "overdue": r[4]} for r in rows}
    return by, statistics.median(times)


def figures_of(kpis: list[dict]) -> dict:
    """The overview's figures a case row can give (a KPI list: the overview's own, or a ranking row's)."""
    by = {k["code"]: k for k in kpis}
    return {"intake": by["intake"]["numerator"]["count"], "resolved": by["on_time_rate"]["denominator"]["count"],
            "resolved_on_time": by["on_time_rate"]["numerator"]["count"], "overdue": by["overdue"]["numerator"]["count"]}


def agree(overview: dict, by_street: dict, label: str) -> None:
    """The naive GROUP BY's figures equal the overview's: the scope's totals and each ranked street's."""
    total = {k: sum(v[k] for v in by_street.values()) for k in ("intake", "resolved", "resolved_on_time", "overdue")}
    shown = figures_of(overview["kpis"])
    if shown != total:
        raise SystemExit(f"dashboard bench: {label} overview {shown} ≠ naive GROUP BY {total}")
    zero = dict.fromkeys(total, 0)
    for row in overview["streets"]:
        if figures_of(row["kpis"]) != by_street.get(row["id"], zero):
            raise SystemExit(f"dashboard bench: {label} street {row['id']} overview {figures_of(row['kpis'])} "
                             f"≠ naive {by_street.get(row['id'])}")


def scope_ids(url: str) -> tuple[int, int, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        district, street = conn.execute(
            "SELECT p.district_id, p.id FROM places_place p JOIN orgs_unit u ON u.territory_id = p.id "
            "JOIN orgs_user us ON us.unit_id = u.id WHERE us.username = %s", (STREET_USER,)).fetchone()
        cases = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    return district, street, cases


def register(n: int) -> int:
    """`n` new cases over HTTP (POST /api/cases/register-batch, 50 a request) — the events an incremental refresh reads."""
    s = login(STREET_USER)
    tag = f"{time.time():.0f}"
    done = 0
    for start in range(0, n, 50):
        items = [{"channel": "hotline_12345", "description": f"看板压测 {tag}-{i}：小区路灯不亮，晚上出行不便",
                  "reporter_name": "李女士", "reporter_phone": "13900000000", "external_id": f"dash-{tag}-{i}"}
                 for i in range(start, min(n, start + 50))]
        r = s.post(f"{BASE}/api/cases/register-batch", json={"cases": items}, timeout=120)
        if r.status_code != 200:
            raise SystemExit(f"register-batch: {r.status_code} {r.text[:300]}")
        done += r.json()["registered"]
    return done


def measure(env: dict, tmp: Path) -> list[dict]:
    url = env["DATABASE_URL"]
    district, street, cases = scope_ids(url)
    size = f"{cases:,} cases"
    results = []
    if env.get("BENCH_DASH_REBUILD", "1") == "1":  # 0: a rerun on a database whose rollups are built
        full = refresh(env, rebuild=True)
        results.append({"name": f"rollups: first full fold ({size})", "seconds": full["seconds"],
                        "rows": full["events"], "note": "rows = case events folded (facts in Python per case, "
                                                        "rollups summed in SQL: `rollups_rebuild`)"})
    server = start_server(env)
    try:
        leader, street_s = login(LEADER), login(STREET_USER)
        today = dt.date.fromisoformat(leader.get(f"{BASE}/api/dashboard/overview", timeout=120).json()["today"]["day"])
        start, end = today - dt.timedelta(days=DAYS - 1), today
        q = f"start={start}&end={end}"
        d_times, d_resp = http_times(leader, f"/api/dashboard/overview?{q}", REQUESTS)
        s_times, s_resp = http_times(street_s, f"/api/dashboard/overview?{q}", REQUESTS)
        d_over, s_over = d_resp.json(), s_resp.json()
        d_naive, d_naive_ms = naive(url, district, start, end, today)
        s_naive, s_naive_ms = naive(url, district, start, end, today, street)
        agree(d_over, d_naive, "district")
        agree(s_over, s_naive, "street")
        kpi = {k["code"]: k for k in d_over["kpis"]}
        drills = {"on-time numerator": kpi["on_time_rate"]["numerator"], "overdue": kpi["overdue"]["numerator"]}
        drill_times, drill_notes = [], []
        for label, figure in drills.items():
            times, r = http_times(leader, f"/api/dashboard/cases?{figure['drill']}", REQUESTS)
            if r.json()["count"] != figure["count"]:
                raise SystemExit(f"drill-down {label}: {r.json()['count']} ≠ the figure's {figure['count']}")
            drill_times += times
            drill_notes.append(f"{label} ({figure['count']:,} cases): p50 {statistics.median(times):.0f} / "
                               f"p95 {p95(times):.0f} ms")
        page_times, _r = http_times(leader, f"/dashboard/cases/?{drills['overdue']['drill']}", max(5, REQUESTS // 5))
        reports = {}
        for fmt in ("xlsx", "pdf"):
            t = time.perf_counter()
            r = leader.get(f"{BASE}/api/dashboard/report.{fmt}", timeout=600)
            reports[fmt] = (time.perf_counter() - t, len(r.content))
            if r.status_code != 200:
                raise SystemExit(f"report.{fmt}: {r.status_code}")
        inbox = inbox_p95()
        new = register(NEW_CASES)
    finally:
        stop_server(server)
    incremental = refresh(env, rebuild=False)
    d95, s95 = p95(d_times), p95(s_times)
    per = dict(parse_qsl(drills["overdue"]["drill"]))
    results += [
        {"name": f"district overview JSON p95 ({size}, {DAYS}-day period)", "seconds": d95 / 1000,
         "note": f"goal ≤ 100 ms; p50 {statistics.median(d_times):.0f} ms; naive GROUP BY over cases_case "
                 f"{d_naive_ms:.0f} ms (same figures, asserted) → ratio {d_naive_ms / d95:.1f}× (goal ≥ 30×)"},
        {"name": f"street overview JSON p95 ({size}, {DAYS}-day period)", "seconds": s95 / 1000,
         "note": f"goal ≤ 50 ms; p50 {statistics.median(s_times):.0f} ms; naive GROUP BY {s_naive_ms:.0f} ms "
                 f"(same figures, asserted) → ratio {s_naive_ms / s95:.1f}×"},
        {"name": f"drill-down list, first page p95 ({size})", "seconds": p95(drill_times) / 1000,
         "note": "goal ≤ 100 ms; GET /api/dashboard/cases: " + "; ".join(drill_notes)
                 + f"; the page /dashboard/cases/ (overdue, {per.get('start')}–{per.get('end')}): "
                   f"p95 {p95(page_times):.0f} ms"},
        *({"name": f"weekly report .{fmt}, last full week, district ({size})", "seconds": s,
           "note": f"goal ≤ 10 s; {n / 1024:,.0f} KiB"} for fmt, (s, n) in reports.items()),
        {"name": f"inbox p95 ({INBOX_REQUESTS} requests × {len(INBOX_USERS)} users, {size})",
         "seconds": max(p for _m, p in inbox.values()) / 1000,
         "note": "goal ≤ 30 ms; " + ", ".join(f"{u}: p50 {a:.0f} / p95 {b:.0f} ms" for u, (a, b) in inbox.items())},
        {"name": f"rollups: incremental refresh after {new} new cases ({size})", "seconds": incremental["seconds"],
         "rows": incremental["events"], "note": "rows = case events folded (`rollups_refresh`)"},
    ]
    return results

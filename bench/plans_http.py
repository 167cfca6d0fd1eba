"""Plans bench (issue 16, Bench), against a running `civicloop serve` on loopback:

1. the plan (bench/plans_setup.py: BENCH_PLAN_TASKS, 5,000 tasks by bulk insert) in the demo district — the demo
   is generated first, small, when the database has none (`BENCH_ONLY=plans` on a fresh cluster);
2. the plan board: GET /api/plans/plans/{id}/board (traffic lights by unit and by goal over every task, each
   status derived) as the district admin and a street dispatcher, and the board page as the district admin,
   BENCH_BOARD_REQUESTS each (default 50), sequential → p50 / p95 (goal ≤ 200 ms);
3. the Gantt page of that plan (its first GANTT_MAX_ROWS rows), for the record.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from kit import BIN, has_demo, login, script_json, start_server, stop_server, timed_gets

REQUESTS = int(os.environ.get("BENCH_BOARD_REQUESTS", "50"))
DEMO_CASES = os.environ.get("BENCH_PLANS_DEMO_CASES_PER_SCALE", "20000")  # only when the database has no demo


def measure(env: dict, tmp: Path) -> list[dict]:
    results = []
    started = time.perf_counter()
    subprocess.run([str(BIN / "civicloop"), "migrate", "-v0"], env=env, check=True)
    if not has_demo(env):
        subprocess.run([str(BIN / "civicloop"), "demo", "--preset", "xuhui", "--scale", "0.01", "--seed", "1"],
                       env={**env, "CIVICLOOP_DEMO_CASES_PER_SCALE": DEMO_CASES}, check=True,
                       stdout=subprocess.DEVNULL)
    world = script_json(env, "plans_setup", "build")
    results.append({"name": f"plans bench plan ready ({world['tasks']:,} tasks)",
                    "seconds": time.perf_counter() - started, "rows": world["tasks"],
                    "note": "built by bulk insert, then vacuumed" if world["built"] else "reused"})
    plan = world["plan"]
    server = start_server(env)
    try:
        figures = {
            "xh_admin API": timed_gets(login("xh_admin"), f"/api/plans/plans/{plan}/board", REQUESTS),
            "tpl_dispatcher API": timed_gets(login("tpl_dispatcher"), f"/api/plans/plans/{plan}/board", REQUESTS),
            "xh_admin page": timed_gets(login("xh_admin"), f"/plans/{plan}/", REQUESTS),
        }
        results.append({
            "name": f"plan board p95 ({REQUESTS} requests × {len(figures)}, {world['tasks']:,} tasks)",
            "seconds": max(p95 for _p50, p95 in figures.values()) / 1000, "rows": world["tasks"],
            "note": "goal ≤ 200 ms; " + ", ".join(f"{k}: p50 {a:.0f} / p95 {b:.0f} ms" for k, (a, b) in figures.items())})
        p50, p95 = timed_gets(login("xh_admin"), f"/plans/{plan}/gantt/", max(10, REQUESTS // 5))
        results.append({"name": f"plan Gantt page p95 ({world['tasks']:,} tasks, first 400 rows)",
                        "seconds": p95 / 1000, "note": f"p50 {p50:.0f} / p95 {p95:.0f} ms"})
    finally:
        stop_server(server)
    return results

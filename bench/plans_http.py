"""Plans bench (issue 16, Bench), against a running `civicloop serve` on loopback:

1. the plan (bench/plans_setup.py: BENCH_PLAN_TASKS, 5,000 tasks by bulk insert) in the demo district — the demo
   is generated first, small, when the database has none (`BENCH_ONLY=plans` on a fresh cluster);
2. the plan board: GET /api/plans/plans/{id}/board (traffic lights by unit and by goal over every task, each
   status derived) as the district admin and a street dispatcher, and the board page as the district admin,
   BENCH_BOARD_REQUESTS each (default 50), sequential → p50 / p95 (goal ≤ 200 ms);
3. the Gantt page of that plan (its first GANTT_MAX_ROWS rows), for the record.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
REQUESTS = int(os.environ.get("BENCH_BOARD_REQUESTS", "50"))
DEMO_CASES = os.environ.get("BENCH_PLANS_DEMO_CASES_PER_SCALE", "20000")  # only when the database has no demo


def _has_demo(env: dict) -> bool:
    code = ("import django; django.setup(); from civicloop.demo.generator import preset_district; "
            "print(preset_district('xuhui') is not None)")
    out = subprocess.run([str(BIN / "python"), "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "civicloop.settings"},
                         check=True, capture_output=True, text=True).stdout
    return out.strip().endswith("True")


def _setup(env: dict) -> dict:
    out = subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "plans_setup.py"), "build"], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(env: dict, tmp: Path) -> list[dict]:
    from cases_http import login, start_server, stop_server
    from visits_http import _timed_gets

    results = []
    started = time.perf_counter()
    subprocess.run([str(BIN / "civicloop"), "migrate", "-v0"], env=env, check=True)
    if not _has_demo(env):
        subprocess.run([str(BIN / "civicloop"), "demo", "--preset", "xuhui", "--scale", "0.01", "--seed", "1"],
                       env={**env, "CIVICLOOP_DEMO_CASES_PER_SCALE": DEMO_CASES}, check=True,
                       stdout=subprocess.DEVNULL)
    world = _setup(env)
    results.append({"name": f"plans bench plan ready ({world['tasks']:,} tasks)",
                    "seconds": time.perf_counter() - started, "rows": world["tasks"],
                    "note": "built by bulk insert, then vacuumed" if world["built"] else "reused"})
    plan = world["plan"]
    server = start_server(env)
    try:
        figures = {
            "xh_admin API": _timed_gets(login("xh_admin"), f"/api/plans/plans/{plan}/board", REQUESTS),
            "tpl_dispatcher API": _timed_gets(login("tpl_dispatcher"), f"/api/plans/plans/{plan}/board", REQUESTS),
            "xh_admin page": _timed_gets(login("xh_admin"), f"/plans/{plan}/", REQUESTS),
        }
        results.append({
            "name": f"plan board p95 ({REQUESTS} requests × {len(figures)}, {world['tasks']:,} tasks)",
            "seconds": max(p95 for _p50, p95 in figures.values()) / 1000, "rows": world["tasks"],
            "note": "goal ≤ 200 ms; " + ", ".join(f"{k}: p50 {a:.0f} / p95 {b:.0f} ms" for k, (a, b) in figures.items())})
        p50, p95 = _timed_gets(login("xh_admin"), f"/plans/{plan}/gantt/", max(10, REQUESTS // 5))
        results.append({"name": f"plan Gantt page p95 ({world['tasks']:,} tasks, first 400 rows)",
                        "seconds": p95 / 1000, "note": f"p50 {p50:.0f} / p95 {p95:.0f} ms"})
    finally:
        stop_server(server)
    return results

"""Meetings bench (issue 16, Bench), PostgreSQL, against a running `civicloop serve` on loopback, on the demo
district (`demo_generation` makes it; run alone — BENCH_ONLY=meetings — the step generates the demo first, at the
size `run.py` gives PostgreSQL: BENCH_SCALE × BENCH_PG_CASES_PER_SCALE cases):

1. a meeting pack for the district: POST /api/meetings/ as the district admin (xh_admin) — the meeting planned and
   its pack built from every source (late and at-risk milestones of every plan, red supervised cases and cases
   waiting for consultation of the whole district, the last meeting's open decisions) — then
   POST /api/meetings/{id}/build BENCH_MEETING_REQUESTS times (default 20), sequential → p50 / p95 (goal ≤ 1 s);
2. reading it: GET /api/meetings/{id} and the pack page /meetings/{id}/ as the district's leader (xh_leader),
   BENCH_MEETING_REQUESTS each → p95;
3. a street's pack (tpl_dispatcher, 天平路街道) built the same way → p95.
The server is started here and stopped by its process group id.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import time
from pathlib import Path

from kit import BASE, BIN, has_demo, http_times, login, p50_p95, shell, start_server, stop_server

REQUESTS = int(os.environ.get("BENCH_MEETING_REQUESTS", "20"))
SCALE = os.environ.get("BENCH_SCALE", "1")

COUNTS = """
import json
from django.utils import timezone
from civicloop.cases.models import Case, Supervision
from civicloop.plans.models import Milestone, Task
from civicloop.meetings.models import Meeting
print("RESULT " + json.dumps({"cases": Case.objects.count(), "supervisions": Supervision.objects.count(),
      "red": Case.objects.filter(state__in=("dispatched", "accepted", "in_progress", "reopened"),
                                 deadline__lt=timezone.now()).count(),
      "escalated": Case.objects.filter(state="escalated").count(), "tasks": Task.objects.count(),
      "milestones": Milestone.objects.count(), "meetings": Meeting.objects.count()}))
"""
STREET = """
from civicloop.orgs.models import User
print("STREET", User.objects.get(username="tpl_dispatcher").unit.territory_id)
"""


def _timed(session, method: str, url: str, n: int) -> tuple[tuple[float, float], object]:
    """p50 / p95 in ms of `n` requests (none to warm), and the last response."""
    times, last = http_times(session, url, n, method=method, warm=False)
    return p50_p95(times), last


def measure(env: dict, tmp: Path) -> list[dict]:
    results = []
    subprocess.run([str(BIN / "civicloop"), "migrate", "-v0"], env=env, check=True)  # nothing to do after the demo
    if not has_demo(env):
        t = time.perf_counter()
        done = subprocess.run([str(BIN / "civicloop"), "demo", "--preset", "xuhui", "--scale", SCALE, "--seed", "1"],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"demo: {done.stderr[-3000:]}")
        results.append({"name": f"meetings bench: demo generated first (xuhui scale {SCALE})",
                        "seconds": time.perf_counter() - t, "note": "BENCH_ONLY=meetings on an empty database"})
    size = json.loads(shell(env, COUNTS))
    data = (f"{size['cases']:,} cases ({size['red']:,} red, {size['escalated']:,} escalated, "
            f"{size['supervisions']:,} supervisions), {size['tasks']:,} tasks, {size['milestones']:,} milestones")
    street_id = int(shell(env, STREET, "STREET "))
    server = start_server(env)
    try:
        today = dt.date.today().isoformat()
        for who, label, body in (("xh_admin", "district", {}), ("tpl_dispatcher", "street", None)):
            session = login(who)
            if body is None:  # the street's own meeting
                body = {"street_id": street_id}
            t = time.perf_counter()
            r = session.post(f"{BASE}/api/meetings/", json={"title": f"bench {label}", "date": today, **body},
                             timeout=120)
            create_ms = (time.perf_counter() - t) * 1000
            if r.status_code != 201:
                raise SystemExit(f"POST /api/meetings/: {r.status_code} {r.text[:300]}")
            pk = r.json()["id"]
            (p50, p95), last = _timed(session, "POST", f"/api/meetings/{pk}/build", REQUESTS)
            pack = last.json()
            counts = {s["source"]: len(s["items"]) + s["more"] for s in pack["sections"]}
            results.append({
                "name": f"meeting pack for the {label} built p95 ({REQUESTS} builds)", "seconds": p95 / 1000,
                "rows": sum(len(s["items"]) for s in pack["sections"]),
                "note": (f"goal ≤ 1 s (district); p50 {p50:.0f} / p95 {p95:.0f} ms, first (create + build) "
                         f"{create_ms:.0f} ms; as {who}; sources {counts}; {data}")})
            if label == "district":
                reader = login("xh_leader")
                (a50, a95), _r = _timed(reader, "GET", f"/api/meetings/{pk}", REQUESTS)
                (g50, g95), _r = _timed(reader, "GET", f"/meetings/{pk}/", REQUESTS)
                results.append({"name": f"meeting pack for the district read p95 ({REQUESTS} requests × 2)",
                                "seconds": max(a95, g95) / 1000,
                                "note": f"as xh_leader; API p50 {a50:.0f} / p95 {a95:.0f} ms, page p50 {g50:.0f} / "
                                        f"p95 {g95:.0f} ms"})
    finally:
        stop_server(server)
    return results

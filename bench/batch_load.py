"""The embedded default under bulk intake (issue 21): SQLite, `civicloop serve` with its task worker and scheduler.

BENCH_INTAKE_CLIENTS threads (default 16), each a street dispatcher with its own session and keep-alive
connection, POST /api/cases/register-batch with BENCH_INTAKE_BATCH cases (default 50) for
BENCH_BATCH_LOAD_SECONDS (default 60). A batch answered 429 or 503 (the server's cap on concurrent batch work) is
sent again after its Retry-After: deferred, not failed. Meanwhile:

- the staff inbox, GET /api/cases/inbox as the users of `cases_http.INBOX_USERS`, one thread each, a request
  every quarter second → p50 / p95 in ms (and the same on the quiet server first, for comparison);
- the size of the database's `-wal` file, sampled every half second → its maximum, its size when the load stops,
  and a few seconds later (after the next periodic checkpoint could run).

Loopback only, bounded in time. The server is started here and stopped by its process group id.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import cases_http as ch
import kit

SECONDS = float(os.environ.get("BENCH_BATCH_LOAD_SECONDS", "60"))
SETTLE = float(os.environ.get("BENCH_BATCH_SETTLE_SECONDS", "15"))  # after the load: does the WAL come down?
QUIET = float(os.environ.get("BENCH_BATCH_QUIET_SECONDS", "10"))  # the inbox on the idle server first


def _headers(s) -> dict:
    return {"Content-Type": "application/json", "X-CSRFToken": s.headers["X-CSRFToken"], "Referer": f"{kit.BASE}/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in s.cookies.items())}


def _inbox_loop(username: str, until: float, times: list[float], failed: list[int]) -> None:
    s = kit.login(username)
    s.get(f"{kit.BASE}/api/cases/inbox", timeout=60)  # warm
    while time.monotonic() < until:
        t = time.perf_counter()
        r = s.get(f"{kit.BASE}/api/cases/inbox", timeout=60)
        times.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            failed.append(r.status_code)
        time.sleep(0.25)


def _inbox(seconds: float) -> tuple[list[float], list[int]]:
    times: list[float] = []
    failed: list[int] = []
    until = time.monotonic() + seconds
    kit.in_threads(lambda i: _inbox_loop(ch.INBOX_USERS[i], until, times, failed), len(ch.INBOX_USERS))
    return times, failed


def _batch_client(i: int, session, until: float, tally: dict, lock: threading.Lock) -> None:
    headers = _headers(session)
    conn = http.client.HTTPConnection("127.0.0.1", kit.PORT, timeout=120)
    n = 0
    while time.monotonic() < until:
        items = [{"channel": "hotline_12345", "description": f"压测批量 {i}-{n + k}：楼道堆物影响通行",
                  "reporter_name": "王先生", "reporter_phone": "13800000000",
                  "external_id": f"bench-load-{ch.RUN}-{i}-{n + k}"} for k in range(ch.BATCH)]
        n += ch.BATCH
        while True:  # the same batch again after a 429/503: its external ids make a repeat harmless anyway
            body = json.dumps({"cases": items}).encode()
            try:
                conn.request("POST", "/api/cases/register-batch", headers=headers, body=body)
                r = conn.getresponse()
            except (ConnectionError, http.client.RemoteDisconnected):
                # the server closed the idle keep-alive connection (after a Retry-After pause): a new one, as
                # any client would; the request had not reached it
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", kit.PORT, timeout=120)
                conn.request("POST", "/api/cases/register-batch", headers=headers, body=body)
                r = conn.getresponse()
            data = r.read()
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", kit.PORT, timeout=120)
            if r.status in (429, 503):
                with lock:
                    tally["deferred"] += 1
                time.sleep(min(10.0, float(r.getheader("Retry-After") or 1)))
                continue
            with lock:
                if r.status == 200:
                    body = json.loads(data)
                    tally["registered"] += body["registered"]
                    tally["failed"] += ch.BATCH - body["registered"] - body["repeated"]
                else:
                    tally["failed"] += ch.BATCH
                    tally["statuses"].append(r.status)
            break
    conn.close()


def _wal_sampler(wal: Path, stop: threading.Event, sizes: list[int]) -> None:
    while not stop.is_set():
        sizes.append(wal.stat().st_size if wal.exists() else 0)
        stop.wait(0.5)


def _checkpoints(db: Path) -> str:
    """What the periodic checkpoints did during the run (their return values in the task table)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT status, return_value FROM django_tasks_database_dbtaskresult "
                            "WHERE task_path = 'civicloop.core.tasks.wal_checkpoint'").fetchall()
    finally:
        conn.close()
    modes = [json.loads(value or "null") for status, value in rows if status == "SUCCESSFUL"]
    truncated = sum(1 for m in modes if m and m.get("mode") == "truncate")
    return f"checkpoints: {truncated} truncated, {len(modes) - truncated} passive, {len(rows) - len(modes)} not finished or failed"


def measure(env: dict, tmp: Path) -> list[dict]:
    db = Path(urlparse(env["DATABASE_URL"]).path)
    wal = db.with_name(db.name + "-wal")
    mb = 2**20
    server = kit.start_server(env, worker=True)
    try:
        quiet, quiet_failed = _inbox(QUIET)
        sessions = [kit.login(ch.DISPATCHERS[i % len(ch.DISPATCHERS)]) for i in range(ch.CLIENTS)]
        tally = {"registered": 0, "failed": 0, "deferred": 0, "statuses": []}
        lock = threading.Lock()
        sizes: list[int] = []
        stop = threading.Event()
        sampler = threading.Thread(target=_wal_sampler, args=(wal, stop, sizes))
        sampler.start()
        start = time.perf_counter()
        until = time.monotonic() + SECONDS
        clients = [threading.Thread(target=_batch_client, args=(i, sessions[i], until, tally, lock))
                   for i in range(ch.CLIENTS)]
        for t in clients:
            t.start()
        loaded, loaded_failed = _inbox(SECONDS)
        for t in clients:
            t.join()
        seconds = time.perf_counter() - start
        at_end = wal.stat().st_size if wal.exists() else 0
        time.sleep(SETTLE)
        settled = wal.stat().st_size if wal.exists() else 0
        stop.set()
        sampler.join()
    finally:
        kit.stop_server(server)
    if quiet_failed or loaded_failed:
        tally["statuses"] += quiet_failed + loaded_failed
    statuses = f" (statuses {sorted(set(tally['statuses']))})" if tally["statuses"] else ""
    wal_note = (f"WAL max {max(sizes, default=0) / mb:,.0f} MB, mean {statistics.mean(sizes or [0]) / mb:,.0f} MB, "
                f"{at_end / mb:,.0f} MB when the load stops, {settled / mb:,.0f} MB {SETTLE:.0f} s later; "
                + _checkpoints(db))
    return [
        {"name": f"SQLite batch load: {ch.CLIENTS} clients × batches of {ch.BATCH} for {SECONDS:.0f} s "
                 f"(gunicorn {kit.WORKERS}×{kit.THREADS}, task worker on)",
         "seconds": seconds, "rows": tally["registered"],
         "note": f"{tally['failed']} failed{statuses}, {tally['deferred']} batches deferred (429/503, sent again); "
                 + wal_note},
        {"name": f"inbox p95 during that batch load ({len(ch.INBOX_USERS)} users, a request every 0.25 s each)",
         "seconds": kit.p95(loaded) / 1000,
         "note": f"{len(loaded)} requests: p50 {statistics.median(loaded or [0]):.0f} / p95 {kit.p95(loaded):.0f} / "
                 f"max {max(loaded, default=0):.0f} ms; quiet server before: p50 "
                 f"{statistics.median(quiet or [0]):.0f} / p95 {kit.p95(quiet):.0f} ms"},
    ]

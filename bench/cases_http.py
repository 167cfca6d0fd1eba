"""Cases benches against a running `civicloop serve` (gunicorn) on loopback, PostgreSQL (issue 4, Bench).

1. Intake: BENCH_INTAKE_CLIENTS threads (default 16), each logged in as a street dispatcher with its own session,
   POST /api/cases/register until BENCH_INTAKE_CASES (default 4,000) cases are in → cases/s; then the same number
   through POST /api/cases/register-batch, BENCH_INTAKE_BATCH (default 50) cases per request, each case still
   its own transaction.
   Before both, the same rows (case + register event + counter) inserted with raw psycopg, one transaction per
   case, same number of threads and connections → rows/s, and the ratio.
2. Inbox: GET /api/cases/inbox as a street dispatcher, a department handler, a committee grid worker and the
   district dispatcher, BENCH_INBOX_REQUESTS each (default 100), sequential → p50 / p95 in ms; on the generated
   database before the intake, and again right after it (see `measure`).
Bounded loops, loopback only. The server is started here and stopped by its process group id.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from kit import (
    BASE,
    PORT,
    THREADS,
    WORKERS,
    http_times,
    in_threads,
    login,
    p50_p95,
    start_server,
    stop_server,
)

CLIENTS = int(os.environ.get("BENCH_INTAKE_CLIENTS", "16"))
INTAKE = int(os.environ.get("BENCH_INTAKE_CASES", "4000"))
BATCH = int(os.environ.get("BENCH_INTAKE_BATCH", "50"))
RUN = f"{time.time():.0f}"  # external ids unique per run: a rerun on the same database registers anew
INBOX_REQUESTS = int(os.environ.get("BENCH_INBOX_REQUESTS", "100"))
DISPATCHERS = ["tpl_dispatcher", "hnl_dispatcher", "xtl_dispatcher", "fll_dispatcher", "xjh_dispatcher",
               "tl_dispatcher", "lh_dispatcher", "cq_dispatcher"]
INBOX_USERS = ["tpl_dispatcher", "fg_handler", "tpl_c01_grid", "xh_admin"]


def intake_http(batch: int = 0) -> tuple[float, int, int, int]:
    """Each client: its own logged-in session and one keep-alive connection (http.client — the load generator
    shares the 2 cores with the server and PostgreSQL, so it should cost as little as a real client's network).
    `batch` > 0: POST /api/cases/register-batch with that many cases per request (each still one transaction)."""
    import http.client

    sessions = [login(DISPATCHERS[i % len(DISPATCHERS)]) for i in range(CLIENTS)]
    per = [INTAKE // CLIENTS + (i < INTAKE % CLIENTS) for i in range(CLIENTS)]
    ok, failed, deferred = [0] * CLIENTS, [0] * CLIENTS, [0] * CLIENTS

    def client(i: int) -> None:
        s = sessions[i]
        headers = {"Content-Type": "application/json", "X-CSRFToken": s.headers["X-CSRFToken"],
                   "Referer": f"{BASE}/", "Cookie": "; ".join(f"{k}={v}" for k, v in s.cookies.items())}
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        tag = f"{RUN}-b{batch}-"
        items = [{"channel": "hotline_12345", "description": f"压测登记 {i}-{n}：楼道堆物影响通行",
                  "reporter_name": "王先生", "reporter_phone": "13800000000", "external_id": f"bench-{tag}{i}-{n}"}
                 for n in range(per[i])]
        step = batch or 1
        for start in range(0, len(items), step):
            while True:  # a batch the server's cap defers (429 + Retry-After, decision 47) is sent again, as a sender would
                if batch:
                    conn.request("POST", "/api/cases/register-batch", headers=headers,
                                 body=json.dumps({"cases": items[start:start + batch]}).encode())
                else:
                    conn.request("POST", "/api/cases/register", body=json.dumps(items[start]).encode(), headers=headers)
                r = conn.getresponse()
                data = r.read()
                if r.status not in (429, 503):
                    break
                deferred[i] += 1
                conn.close()
                time.sleep(min(10.0, float(r.getheader("Retry-After") or 1)))
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            if batch and r.status == 200:
                n_ok = json.loads(data)["registered"]
                ok[i] += n_ok
                failed[i] += len(items[start:start + batch]) - n_ok
            elif r.status == 201:
                ok[i] += 1
            else:
                failed[i] += step
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        conn.close()

    return in_threads(client, CLIENTS), sum(ok), sum(failed), sum(deferred)


def intake_raw(url: str) -> float:
    """The same rows with psycopg: counter update, case insert, register event insert — one transaction each."""
    import psycopg

    with psycopg.connect(url) as conn:
        district_id, street_id, unit_id, user_id = conn.execute(
            "SELECT p.district_id, p.id, u.id, us.id FROM places_place p JOIN orgs_unit u ON u.territory_id = p.id "
            "JOIN orgs_user us ON us.unit_id = u.id WHERE us.username = 'tpl_dispatcher'").fetchone()
    per = [INTAKE // CLIENTS + (i < INTAKE % CLIENTS) for i in range(CLIENTS)]

    def client(i: int) -> None:
        with psycopg.connect(url) as conn:
            for n in range(per[i]):
                with conn.transaction():
                    last = conn.execute("UPDATE cases_casecounter SET last = last + 1 WHERE district_id = %s "
                                        "AND year = 2099 RETURNING last, prefix", (district_id,)).fetchone()[0]
                    case_id = conn.execute(
                        "INSERT INTO cases_case (district_id, tracking_code, channel, external_id, urgency, appeal_type, layer,"
                        " place_id, street_id, address, description, reporter_name, reporter_phone,"
                        " reporter_id_number, reporter_anonymous, registered_by_id, state, satisfaction,"
                        " return_count, unsatisfied_count, version, created_at, updated_at, deadline_provisional)"
                        " VALUES (%s, %s, 'hotline_12345', %s, 'normal', 'help', '', %s, %s, '', %s, '王先生', '13800000000', '',"
                        " false, %s, 'registered', '', 0, 0, 1, now(), now(), false) RETURNING id",
                        (district_id, f"RAW2099-{last:07d}", f"raw-{i}-{n}", street_id, street_id,
                         f"压测登记 {i}-{n}：楼道堆物影响通行", user_id)).fetchone()[0]
                    conn.execute(
                        "INSERT INTO cases_caseevent (district_id, case_id, seq, actor_id, actor_unit_id, at, action,"
                        " before, after, note, attachments) VALUES (%s, %s, 1, %s, %s, now(), 'register', '{}',"
                        " %s, '', '[]')",
                        (district_id, case_id, user_id, unit_id, json.dumps({"state": "registered", "version": 1})))

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO cases_casecounter (district_id, year, last, prefix) VALUES (%s, 2099, 0, 'RAW') "
                     "ON CONFLICT DO NOTHING", (district_id,))
    seconds = in_threads(client, CLIENTS)
    with psycopg.connect(url, autocommit=True) as conn:  # leave the database as the demo made it
        conn.execute("DELETE FROM cases_caseevent WHERE case_id IN (SELECT id FROM cases_case WHERE tracking_code "
                     "LIKE 'RAW2099-%%')")
        conn.execute("DELETE FROM cases_case WHERE tracking_code LIKE 'RAW2099-%%'")
        conn.execute("DELETE FROM cases_casecounter WHERE year = 2099")
        conn.execute("VACUUM cases_case, cases_caseevent, cases_casecounter")
    return seconds


def inbox_p95() -> dict[str, tuple[float, float]]:
    out = {}
    for username in INBOX_USERS:
        times, _r = http_times(login(username), "/api/cases/inbox", INBOX_REQUESTS)
        out[username] = p50_p95(times)
    return out


def case_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]


def measure(env: dict, tmp: Path) -> list[dict]:
    """The inbox on the generated database first (its 1,000,000 cases, as the goal states it), then the raw
    psycopg inserts (their rows deleted and vacuumed away after: cases are never deleted in civicloop, and a
    vacuum of 4,000 deleted rows running during the next step would measure the bench's cleanup), the HTTP
    intakes, and the inbox again right after that burst (8,000 registrations less than a minute old, which
    autovacuum has not yet marked all-visible: the counts read their pages)."""
    url = env["DATABASE_URL"]
    server = start_server(env)
    try:
        cases = case_count(url)
        inbox = inbox_p95()
        raw_s = intake_raw(url)
        http_s, ok, failed, _deferred = intake_http()
        batch_s, batch_ok, batch_failed, batch_deferred = intake_http(BATCH)
        burst_cases = case_count(url)
        burst = inbox_p95()
    finally:
        stop_server(server)
    http_rate, batch_rate, raw_rate = ok / http_s, batch_ok / batch_s, INTAKE / raw_s

    def inbox_result(name: str, figures: dict, note: str) -> dict:
        return {"name": name, "seconds": max(p95 for _p50, p95 in figures.values()) / 1000, "note": note + ", ".join(
            f"{u}: p50 {p50:.0f} / p95 {p95:.0f} ms" for u, (p50, p95) in figures.items())}

    return [
        inbox_result(f"inbox p95 ({INBOX_REQUESTS} requests × {len(INBOX_USERS)} users, {cases:,} cases)", inbox,
                     "goal ≤ 30 ms (1,000,000 cases); "),
        {"name": f"intake over HTTP, {CLIENTS} clients (gunicorn {WORKERS}×{THREADS})", "seconds": http_s, "rows": ok,
         "note": f"goal ≥ 400 cases/s; {failed} failed; raw psycopg ratio {http_rate / raw_rate:.2f}"},
        {"name": f"intake over HTTP in batches of {BATCH}, {CLIENTS} clients (1 tx/case)", "seconds": batch_s,
         "rows": batch_ok, "note": f"goal ≥ 400 cases/s; {batch_failed} failed, {batch_deferred} batches deferred "
                                   f"(429, sent again); raw psycopg ratio "
                                   f"{batch_rate / raw_rate:.2f}"},
        {"name": f"same rows, raw psycopg, {CLIENTS} connections, 1 tx/case", "seconds": raw_s, "rows": INTAKE,
         "note": f"HTTP reaches {100 * http_rate / raw_rate:.0f} % of this one request per case, "
                 f"{100 * batch_rate / raw_rate:.0f} % in batches"},
        inbox_result(f"inbox p95 right after the intake ({ok + batch_ok:,} new cases in "
                     f"{http_s + batch_s:.0f} s; {burst_cases:,} cases)", burst, "not yet vacuumed; "),
    ]

"""Bench of `civicloop cluster` (issue 20), run by scripts/cluster-bench.sh (`make cluster-bench`) on a cluster it
starts with demo data. Loopback only, bounded; prints its figures with the machine's load beside each.

1. Registrations/s through HAProxy (Open311 POST, BENCH_CLIENTS clients, BENCH_SECONDS each) and inbox p50/p95
   (GET /api/cases/inbox as tpl_dispatcher and xh_admin, BENCH_CLIENTS clients) with 3 app servers, then with 2 of
   them disabled in HAProxy (1 app server), in the same run.
2. The dashboard overview JSON p50/p95 while BENCH_WRITERS clients register: read from the replica (the default
   for that view), then from the primary (the browser pinned by the `cl_primary` cookie, as after a write).
3. Sizes for docs/scaling.md: bytes per case (table + indexes + TOAST of cases and events), WAL bytes per
   registration, the database's size and a base backup's time.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

import django
import kit
import requests

ROOT = Path(__file__).resolve().parent.parent
DIR = Path(os.environ["CIVICLOOP_CLUSTER_DIR"])
BASE = os.environ["CIVICLOOP_CLUSTER_URL"]
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WRITERS = int(os.environ.get("BENCH_WRITERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
READS = int(os.environ.get("BENCH_READS", "60"))
PASSWORD = os.environ.get("CIVICLOOP_DEMO_PASSWORD", "civicloop2026")
RUN = f"{time.time():.0f}"
results: dict = {"load_before": os.getloadavg()}

django.setup()


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f})"


def haproxy(command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(str(DIR / "run" / "haproxy.sock"))
        s.sendall(command.encode() + b"\n")
        return s.recv(65536).decode()


def login(username: str) -> requests.Session:
    s = kit.login(username, base=BASE, password=PASSWORD, api=False)
    s.cookies.set("cl_primary", "0")  # the login's write pin does not count for what is measured next
    return s


def open311_key() -> tuple[str, str]:
    from civicloop.apikeys.services import api_key_create
    from civicloop.cases.models import Category
    from civicloop.open311.catalogue import extra_for
    from civicloop.orgs.models import User

    admin = User.objects.get(username="xh_admin")
    _row, key = api_key_create(actor=admin, name="集群基准", scopes=["open311"], rate_limit=6000)
    leaf = next(c for c in Category.objects.filter(children__isnull=True, parent__isnull=False, active=True)
                .order_by("code") if not extra_for(c.code).attributes)
    return key, leaf.code


def register_for(key: str, code: str, seconds: float, clients: int, tag: str, stop: threading.Event | None = None):
    """Clients registering until `seconds` pass (or `stop` is set): (acknowledged, errors, elapsed)."""
    done, errors = [0], [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client(i: int) -> None:
        s = requests.Session()
        n = 0
        while time.monotonic() < end and not (stop and stop.is_set()):
            n += 1
            r = s.post(f"{BASE}/open311/v2/requests.json", timeout=60, headers={"X-Api-Key": key},
                       data={"service_code": code, "address_string": "徐汇区天平路街道", "description": "基准测试",
                             "token": f"{tag}-{RUN}-{i}-{n}"})
            with lock:
                if r.status_code in (200, 201):
                    done[0] += 1
                else:
                    errors[0] += 1

    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], errors[0], time.monotonic() - t0


def timed_gets(sessions: list[requests.Session], path: str, total: int) -> tuple[list[float], dict]:
    """`total` GETs of `path` spread over the sessions (one thread each): times in ms, where they read from."""
    times: list[float] = []
    sources: dict[str, int] = {}
    lock = threading.Lock()
    per = max(1, total // len(sessions))

    def client(s: requests.Session) -> None:
        for _ in range(per):
            t = time.perf_counter()
            r = s.get(f"{BASE}{path}", timeout=120)
            ms = (time.perf_counter() - t) * 1000
            if r.status_code != 200:
                raise SystemExit(f"{path}: {r.status_code}")
            with lock:
                times.append(ms)
                src = r.headers.get("X-Civicloop-Reads", "-")
                sources[src] = sources.get(src, 0) + 1

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(times), sources


def p(times: list[float], q: float) -> float:
    return times[max(0, int(len(times) * q + 0.5) - 1)]


def step_scale(key: str, code: str) -> None:
    print(f"== 1. 3 app servers vs 1 ({CLIENTS} clients, {SECONDS:.0f} s of registrations each)", flush=True)
    users = ["tpl_dispatcher", "xh_admin"]
    sessions = [login(users[i % 2]) for i in range(CLIENTS)]
    for s in sessions:
        s.get(f"{BASE}/api/cases/inbox", timeout=60)  # warm every app server's statement cache
    for servers in (3, 1):
        for i in (2, 3):
            haproxy(f"{'enable' if servers == 3 else 'disable'} server app/app{i}")
        time.sleep(1)
        done, errors, elapsed = register_for(key, code, SECONDS, CLIENTS, f"s{servers}")
        reg_load = load()
        times, _ = timed_gets(sessions, "/api/cases/inbox", READS * 2)
        row = {"registrations_per_s": done / elapsed, "registrations": done, "errors": errors,
               "inbox_p50_ms": statistics.median(times), "inbox_p95_ms": p(times, 0.95), "inbox_requests": len(times),
               "load_after_registrations": reg_load, "load_after_inbox": load()}
        results[f"apps_{servers}"] = row
        print(f"   {servers} app server(s): {row['registrations_per_s']:.1f} registrations/s ({done} in {elapsed:.0f} s, "
              f"{errors} errors; {reg_load}); inbox p50 {row['inbox_p50_ms']:.0f} / p95 {row['inbox_p95_ms']:.0f} ms "
              f"over {len(times)} requests ({row['load_after_inbox']})", flush=True)
    for i in (2, 3):
        haproxy(f"enable server app/app{i}")


def step_dashboard(key: str, code: str) -> None:
    print(f"== 2. dashboard overview p95, replica vs primary, while {WRITERS} clients register", flush=True)
    leader_sessions = [login("xh_admin") for _ in range(2)]
    for s in leader_sessions:
        s.get(f"{BASE}/api/dashboard/overview", timeout=120)
    for where in ("replica", "primary"):
        for s in leader_sessions:
            s.cookies.set("cl_primary", str(int(time.time()) + 3600) if where == "primary" else "0")
        stop = threading.Event()
        box: dict = {}

        def write(box=box, stop=stop, where=where) -> None:
            box["done"], box["errors"], box["elapsed"] = register_for(key, code, 600, WRITERS, f"d{where}", stop)

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(2)
        times, sources = timed_gets(leader_sessions, "/api/dashboard/overview", READS)
        stop.set()
        writer.join()
        row = {"p50_ms": statistics.median(times), "p95_ms": p(times, 0.95), "requests": len(times),
               "read_from": sources, "writes_per_s": box["done"] / box["elapsed"], "load": load()}
        results[f"dashboard_{where}"] = row
        print(f"   read from the {where}: overview p50 {row['p50_ms']:.0f} / p95 {row['p95_ms']:.0f} ms over "
              f"{len(times)} requests (answered by {sources}); {row['writes_per_s']:.1f} registrations/s meanwhile; "
              f"{row['load']}", flush=True)


def step_sizes(key: str, code: str) -> None:
    import psycopg

    print("== 3. sizes", flush=True)
    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE cases_case, cases_caseevent")
        cases = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM cases_caseevent").fetchone()[0]
        case_bytes = conn.execute("SELECT pg_total_relation_size('cases_case')").fetchone()[0]
        event_bytes = conn.execute("SELECT pg_total_relation_size('cases_caseevent')").fetchone()[0]
        case_index = conn.execute("SELECT pg_indexes_size('cases_case')").fetchone()[0]
        event_index = conn.execute("SELECT pg_indexes_size('cases_caseevent')").fetchone()[0]
        db_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        lsn0 = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        done, _errors, elapsed = register_for(key, code, 10, WRITERS, "wal")
        wal = conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [lsn0]).fetchone()[0]
    t0 = time.monotonic()
    target = DIR / "basebackup-bench"  # pg_basebackup is a client: it may run as root (only the server may not)
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    subprocess.run([str(pg_bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", url.rsplit(":", 1)[1].split("/")[0],
                    "-U", "civicloop", "-D", str(target), "-Ft", "-z", "-X", "fetch", "-c", "fast"], check=True)
    backup_s = time.monotonic() - t0
    backup_bytes = sum(f.stat().st_size for f in target.iterdir())
    row = {"cases": cases, "events": events, "events_per_case": events / max(1, cases),
           "case_bytes_per_case": case_bytes / max(1, cases), "event_bytes_per_case": event_bytes / max(1, cases),
           "case_index_bytes_per_case": case_index / max(1, cases),
           "event_index_bytes_per_case": event_index / max(1, cases),
           "database_bytes": db_bytes, "wal_bytes_per_registration": wal / max(1, done), "wal_registrations": done,
           "basebackup_seconds": backup_s, "basebackup_gz_bytes": backup_bytes, "load": load()}
    results["sizes"] = row
    print(f"   {cases:,} cases, {events:,} events ({row['events_per_case']:.1f}/case); per case: case row + indexes "
          f"{row['case_bytes_per_case']:.0f} B (indexes {row['case_index_bytes_per_case']:.0f}), events "
          f"{row['event_bytes_per_case']:.0f} B (indexes {row['event_index_bytes_per_case']:.0f}); database "
          f"{db_bytes / 2**20:.0f} MiB; WAL {row['wal_bytes_per_registration']:.0f} B per registration ({done} "
          f"measured); base backup (tar.gz) {backup_bytes / 2**20:.0f} MiB in {backup_s:.1f} s; {row['load']}",
          flush=True)


def main() -> None:
    key, code = open311_key()
    t0 = time.monotonic()
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    for name, step in (("scale", step_scale), ("dashboard", step_dashboard), ("sizes", step_sizes)):
        if not only or name in only:
            step(key, code)
    results["seconds"] = time.monotonic() - t0
    out = ROOT / "var" / "cluster-bench.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"== cluster bench: {results['seconds']:.0f} s; figures in {out}", flush=True)


if __name__ == "__main__":
    main()

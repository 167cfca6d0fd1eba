"""Citizens' ways in, PostgreSQL (issue 14, Bench), on whatever database `demo_generation` left (its case count is
printed beside every figure).

1. Hotline import: BENCH_HOTLINE_ORDERS (default 100,000) generated 12345 work orders — the demo district's mapped
   hotline categories, addresses naming its streets and communities (some naming nothing: registered at district
   level), new work-order numbers per run — as .xlsx (BENCH_HOTLINE_FORMAT=csv for .csv), imported with
   `civicloop import hotline_orders … --user xh_admin` (the framework's check, then `case_register_bulk`) → seconds
   (goal ≤ 60 s); then the same file again (idempotent: nothing registered) → seconds.
2. Portal report end to end: BENCH_PORTAL_CLIENTS (default 16) threads, each its own browser session (the form's
   CSRF cookie and the cookie carrying the new code to its page), POST /portal/ (a street and community from the pickers, a category, a description, a phone; no
   photo) and the redirect to the page showing the tracking code, BENCH_PORTAL_REPORTS in all (default 800) → p50 /
   p95 of the pair (goal ≤ 100 ms), twice: the 16 clients paced (each on a Poisson clock, BENCH_PORTAL_RATE reports
   a second between them, default 50 — about fifteen times the peak hour of a whole city's 10,000,000 cases a year
   arriving through the portal; a client never has two reports in flight, so a slow answer delays its next) —
   the goal's figure (decision 93); then back to back (each sends its next as soon as it has its code): the
   server's capacity in reports a second, and the p95 that 16 clients queueing for two cores see. All clients are
   one loopback address: the server runs with CIVICLOOP_RATE_LIMIT_SCALE raised, the only difference from
   production.
3. Open311 GET requests: a key of the demo district (scope open311, created here through `api_key_create`),
   GET /open311/v2/requests.json — the spec's default window, then `status=open`, a `service_code`, a date window
   and `page=2` — BENCH_OPEN311_REQUESTS each (default 100), sequential → p50 / p95 (goal ≤ 50 ms at 1,000,000
   cases; this run's size is in the name). BENCH_OPEN311_CASES (default 0: the database as generated) first tops the
   database up to that many cases — the demo district's own cases copied by one INSERT … SELECT (new tracking
   codes, no external id, each copy a few seconds earlier than its original, so the two-year spread and the mix of
   states and categories stay the demo's; the copies have no events or replies), then ANALYZE — so the list can
   be measured at 1,000,000 cases without generating them (hours on the shared host).
Bounded loops, loopback only. The server is started here and stopped by its process group id.
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import json
import os
import random
import re
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from kit import BASE, BIN, PORT, in_threads, p95, shell, start_server, stop_server

ORDERS = int(os.environ.get("BENCH_HOTLINE_ORDERS", "100000"))
FORMAT = os.environ.get("BENCH_HOTLINE_FORMAT", "xlsx")
PORTAL_CLIENTS = int(os.environ.get("BENCH_PORTAL_CLIENTS", "16"))
PORTAL_REPORTS = int(os.environ.get("BENCH_PORTAL_REPORTS", "800"))
PORTAL_RATE = float(os.environ.get("BENCH_PORTAL_RATE", "50"))  # reports a second between all clients, paced
OPEN311_REQUESTS = int(os.environ.get("BENCH_OPEN311_REQUESTS", "100"))
OPEN311_CASES = int(os.environ.get("BENCH_OPEN311_CASES", "0"))
RUN = f"{time.time():.0f}"
HEADER = ["工单号", "受理时间", "热线分类", "诉求类型", "诉求内容", "地址", "来电号码", "紧急程度", "办理期限"]
CONTENTS = ["楼道内长期堆放纸箱杂物，影响通行，存在消防隐患，请处理。", "夜间22点后楼下饭店排风机噪声很大，影响休息。",
            "人行道地砖松动多块，老人容易绊倒。", "小区门口路灯不亮已有一周，晚上出行不便。",
            "咨询社区长者食堂的开放时间和办理助餐卡需要的材料。", "垃圾箱房满溢无人清运，气味很大。"]
APPEALS = ["求助"] * 5 + ["投诉"] * 3 + ["咨询", "建议"]
URGENCIES = ["一般"] * 8 + ["紧急", "特急"]
SIZE_SQL = "SELECT count(*) FROM cases_case"


def demo_facts(url: str) -> dict:
    """The demo district (xh_admin's), its streets and communities (codes, names), its mapped 12345 categories and
    our active leaf categories, the case count."""
    import psycopg

    with psycopg.connect(url) as conn:
        district_id, district_code = conn.execute(
            "SELECT p.id, p.code FROM orgs_user u JOIN places_place p ON p.id = u.district_id "
            "WHERE u.username = 'xh_admin'").fetchone()
        communities = conn.execute(
            "SELECT c.code, c.name, s.code, s.name FROM places_place c JOIN places_place s ON s.id = c.street_id "
            "WHERE c.district_id = %s AND c.level = 'community' ORDER BY c.code", (district_id,)).fetchall()
        mapped = [r[0] for r in conn.execute(
            "SELECT hotline_category FROM hotline_categorymapping WHERE district_id = %s ORDER BY 1",
            (district_id,))]
        categories = [r[0] for r in conn.execute(
            "SELECT code FROM cases_category c WHERE active AND NOT EXISTS "
            "(SELECT 1 FROM cases_category k WHERE k.parent_id = c.id) ORDER BY code")]
        category_ids = [r[0] for r in conn.execute(
            "SELECT id FROM cases_category c WHERE active AND NOT EXISTS "
            "(SELECT 1 FROM cases_category k WHERE k.parent_id = c.id) ORDER BY code")]
        cases = conn.execute(SIZE_SQL).fetchone()[0]
    return {"district_id": district_id, "district_code": district_code, "communities": communities,
            "mapped": mapped, "categories": categories, "category_ids": category_ids, "cases": cases}


def orders_file(tmp: Path, facts: dict, n: int) -> Path:
    """`n` work orders: mapped categories only (an unmapped one is a notice, not a registration), three in four
    addresses naming a community of the district, the rest a road outside any name (district level)."""
    rng = random.Random(14)
    start = dt.datetime(2026, 11, 1, 8, 0)
    rows = []
    for i in range(n):
        at = start + dt.timedelta(seconds=i * 23)
        comm = rng.choice(facts["communities"])
        address = f"{comm[3]}{comm[1]}辖区{rng.randint(1, 300)}号" if rng.random() < 0.75 else f"某某路{i % 997}号"
        deadline = (at + dt.timedelta(days=rng.randint(3, 15))).strftime("%Y-%m-%d") if rng.random() < 0.5 else ""
        rows.append([f"HLB{RUN}{i:07d}", at.strftime("%Y-%m-%d %H:%M"), rng.choice(facts["mapped"]),
                     rng.choice(APPEALS), rng.choice(CONTENTS), address,
                     f"139{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.8 else "", rng.choice(URGENCIES),
                     deadline])
    path = tmp / f"hotline-{n}.{FORMAT}"
    if FORMAT == "csv":
        import csv

        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            w.writerows(rows)
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("12345工单")
        ws.append(HEADER)
        for r in rows:
            ws.append(r)
        wb.save(path)
    return path


def hotline_import(env: dict, tmp: Path, facts: dict) -> list[dict]:
    from run import run_measured

    size = f"{facts['cases']:,} cases before"
    path = orders_file(tmp, facts, ORDERS)
    args = [str(BIN / "civicloop"), "import", "hotline_orders", str(path), "--user", "xh_admin"]
    cpu = [_children_cpu()]
    first_s, first_mb, out = run_measured(args, env)
    cpu.append(_children_cpu())
    again_s, again_mb, again_out = run_measured(args, env)
    cpu.append(_children_cpu())
    load = os.getloadavg()[0]
    tail = " ".join(out.strip().splitlines()[-2:])[:200]
    return [
        {"name": f"hotline import, {ORDERS:,} new work orders (.{FORMAT}, {size})", "seconds": first_s,
         "peak_mb": first_mb, "rows": ORDERS,
         "note": f"goal ≤ 60 s; the CLI end to end (start-up, read, check, `case_register_bulk`); the import "
                 f"process's CPU {cpu[1] - cpu[0]:.1f} s (PostgreSQL's own not counted), load average {load:.1f} "
                 f"after; {tail}"},
        {"name": f"hotline import again, the same {ORDERS:,} (nothing new)", "seconds": again_s, "peak_mb": again_mb,
         "rows": ORDERS, "note": f"idempotent by work-order number; CPU {cpu[2] - cpu[1]:.1f} s; "
                                 + " ".join(again_out.strip().splitlines()[-2:])[:160]},
    ]


def _children_cpu() -> float:
    """User + system CPU seconds of this process's waited-for children so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of process `root` and its live descendants, plus the children it has waited
    for (an exited PostgreSQL backend's time lands in its postmaster's cutime): the load-independent cost."""
    tick = os.sysconf("SC_CLK_TCK")
    stats, children = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        stats[pid] = fields
        children.setdefault(int(fields[1]), []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid not in stats:
            continue
        f = stats[pid]
        total += (int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])) / tick
        todo.extend(children.get(pid, []))
    return total


def _postmaster(env: dict) -> int | None:
    """The pid of the bench's PostgreSQL server (its data directory's postmaster.pid), if readable."""
    try:
        return int(Path(env["PGDATA_DIR"], "postmaster.pid").read_text().split()[0])
    except (KeyError, OSError, ValueError, IndexError):
        return None


def _csrf_session() -> tuple[http.client.HTTPConnection, dict]:
    """A keep-alive connection with the portal form's CSRF cookie (a browser that opened /portal/)."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", "/portal/")
    r = conn.getresponse()
    r.read()
    cookies = dict(re.findall(r"(csrftoken|sessionid)=([^;]+)", r.getheader("Set-Cookie") or ""))
    return conn, cookies


def portal_reports(facts: dict, *, rate: float | None = None) -> dict:
    """PORTAL_CLIENTS browsers reporting at once: each report is POST /portal/ → 302 → GET the code page. `rate`:
    reports a second between all clients for PORTAL_REPORTS / rate seconds, each client sending on its own Poisson
    clock (exponential gaps of mean PORTAL_CLIENTS / rate, scheduled from the start, not from the last answer: a
    late answer is queueing the next report sees); None: PORTAL_REPORTS back to back."""
    per = [PORTAL_REPORTS // PORTAL_CLIENTS + (i < PORTAL_REPORTS % PORTAL_CLIENTS) for i in range(PORTAL_CLIENTS)]
    times: list[list[float]] = [[] for _ in range(PORTAL_CLIENTS)]
    failures: list[str] = []
    started: list[float] = []
    ended: list[float] = []
    barrier = threading.Barrier(PORTAL_CLIENTS, action=lambda: started.append(time.perf_counter()))

    def client(i: int) -> None:
        rng = random.Random(i)
        conn, cookies = _csrf_session()

        def exchange(method: str, path: str, **kw) -> tuple[http.client.HTTPResponse, bytes]:
            """One request; a keep-alive connection the server closed while the client was idle (gunicorn keeps one
            2 s) is opened again and the request sent on it, as a browser does — inside the timed span."""
            nonlocal conn

            def send() -> tuple[http.client.HTTPResponse, bytes]:
                conn.request(method, path, **kw)
                response = conn.getresponse()
                return response, response.read()

            try:
                return send()
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
                return send()

        barrier.wait()
        due = started[0]
        for n in itertools.count() if rate else range(per[i]):
            if rate:
                due += rng.expovariate(rate / PORTAL_CLIENTS)
                if due > started[0] + PORTAL_REPORTS / rate:  # paced: PORTAL_REPORTS expected in that span
                    break
                time.sleep(max(0.0, due - time.perf_counter()))
            comm = rng.choice(facts["communities"])
            body = urlencode({"csrfmiddlewaretoken": cookies["csrftoken"], "district": facts["district_code"],
                              "appeal_type": "help", "category_id": rng.choice(facts["category_ids"]),
                              "street": comm[2], "community": comm[0], "address": f"{comm[1]}{n}号门口",
                              "description": f"门口路灯不亮已有一周（压测 {RUN}-{i}-{n}），晚上出行不便。",
                              "phone": f"1390000{i:02d}{n % 100:02d}"})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{BASE}/portal/",
                       "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
            t = time.perf_counter()
            r, _body = exchange("POST", "/portal/", body=body, headers=headers)
            cookies.update(re.findall(r"(csrftoken|sessionid|portal_new)=([^;]+)", r.getheader("Set-Cookie") or ""))
            if r.status != 302:
                failures.append(f"POST {r.status}")
                continue
            page, html = exchange("GET", r.getheader("Location"), headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
            html = html.decode()
            elapsed = (time.perf_counter() - t) * 1000
            cookies.pop("portal_new", None)  # the page showing the code deletes the cookie that carried it
            if page.status != 200 or not re.search(r"[A-Z]+20\d\d-\d{7}", html):
                failures.append(f"code page {page.status}")
                continue
            times[i].append(elapsed)
        ended.append(time.perf_counter())
        conn.close()

    in_threads(client, PORTAL_CLIENTS)
    flat = [x for ts in times for x in ts]
    if not flat or len(failures) > len(flat) // 100:
        raise SystemExit(f"portal bench: {len(flat)} reports, failures {failures[:5]}")
    # the reports a second: from the clients' start together to the last answer (their sessions opened before)
    return {"times": flat, "wall": max(ended) - started[0], "failures": len(failures)}


SETUP = """
from civicloop.apikeys.constants import KeyScope
from civicloop.apikeys.services import api_key_create
from civicloop.hotline.demo import mappings_ensure
from civicloop.orgs.models import User
admin = User.objects.get(username="xh_admin")
mappings_ensure(admin.district)  # a database generated before the hotline's demo step has no mapping
_row, key = api_key_create(actor=admin, name="bench {run}", scopes=[KeyScope.OPEN311], rate_limit=6000)
print("KEY " + key)
"""


def cases_top_up(url: str, facts: dict, wanted: int) -> int:
    """Copy the demo district's cases until the database holds `wanted` cases (see the module's docstring);
    how many were added."""
    import psycopg

    missing = wanted - facts["cases"]
    if missing <= 0:
        return 0
    with psycopg.connect(url) as conn:
        cols = [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'cases_case' AND column_name <> 'id' "
            "ORDER BY ordinal_position")]
        own = conn.execute("SELECT count(*) FROM cases_case WHERE district_id = %s", (facts["district_id"],)).fetchone()[0]
        rounds = -(-missing // max(1, own))
        made = {"tracking_code": "'B' || g || '-' || c.id", "external_id": "''",
                "created_at": "c.created_at - g * interval '7 seconds'"}
        select = ", ".join(made.get(col, f"c.{col}") for col in cols)
        conn.execute(f"INSERT INTO cases_case ({', '.join(cols)}) SELECT {select} FROM generate_series(1, %s) AS g "
                     f"CROSS JOIN cases_case c WHERE c.district_id = %s AND c.tracking_code NOT LIKE 'B%%' LIMIT %s",
                     (rounds, facts["district_id"], missing))
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE cases_case")
    return missing


def setup(env: dict) -> str:
    """The demo district's 12345 mapping ensured, and a new Open311 key of the district (the key, once)."""
    return shell(env, SETUP.format(run=RUN), "KEY ")


def open311_lists(key: str, facts: dict) -> dict[str, tuple[list[float], int]]:
    """Sequential GET requests.json per query: (times ms, items on the last answer)."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    today = dt.date.today()
    queries = {
        "default window": {},
        "status=open": {"status": "open"},
        "service_code": {"service_code": facts["categories"][0]},
        "30-day window": {"start_date": f"{today - dt.timedelta(days=30)}T00:00:00+08:00",
                          "end_date": f"{today}T23:59:59+08:00"},
        "page=2": {"page": "2"},
    }
    out = {}
    for label, q in queries.items():
        path = "/open311/v2/requests.json" + (f"?{urlencode(q)}" if q else "")
        times, items = [], 0
        for n in range(OPEN311_REQUESTS + 1):
            t = time.perf_counter()
            conn.request("GET", path, headers={"X-Api-Key": key})
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise SystemExit(f"open311 {path}: {r.status} {body[:300]!r}")
            if n:  # the first one warms
                times.append((time.perf_counter() - t) * 1000)
            items = len(json.loads(body))
        out[label] = (times, items)
    conn.close()
    return out


def measure(env: dict, tmp: Path) -> list[dict]:
    url = env["DATABASE_URL"]
    steps = set(filter(None, os.environ.get("BENCH_CITIZENS", "hotline,portal,open311").split(",")))
    key = setup(env)
    facts = demo_facts(url)
    results = hotline_import(env, tmp, facts) if "hotline" in steps else []
    facts["cases"] = demo_facts(url)["cases"]
    size = f"{facts['cases']:,} cases"
    if not steps & {"portal", "open311"}:
        return results
    if "open311" in steps and OPEN311_CASES:
        started = time.perf_counter()
        added = cases_top_up(url, facts, OPEN311_CASES)
        if added:
            print(f"   topped up by {added:,} copied cases in {time.perf_counter() - started:.0f} s", flush=True)
            facts["cases"] = demo_facts(url)["cases"]
            size = f"{facts['cases']:,} cases ({added:,} of them copies)"
    server = start_server({**env, "CIVICLOOP_RATE_LIMIT_SCALE": "1000"})
    postmaster = _postmaster(env)
    try:
        paced = portal_reports(facts, rate=PORTAL_RATE) if "portal" in steps else None
        cpu = (_tree_cpu(server.pid), _tree_cpu(postmaster) if postmaster else 0.0)
        portal = portal_reports(facts) if "portal" in steps else None
        if portal:
            portal["cpu"] = (_tree_cpu(server.pid) - cpu[0], _tree_cpu(postmaster) - cpu[1] if postmaster else None)
        cpu = (_tree_cpu(server.pid), _tree_cpu(postmaster) if postmaster else 0.0)
        lists = open311_lists(key, facts) if "open311" in steps else {}
        lists_cpu = (_tree_cpu(server.pid) - cpu[0], _tree_cpu(postmaster) - cpu[1] if postmaster else None)
    finally:
        stop_server(server)
    if portal:
        t = portal["times"]
        app_cpu, pg_cpu = portal["cpu"]
        cpu_note = f"server CPU per report {app_cpu * 1000 / len(t):.1f} ms (app)" + (
            f" + {pg_cpu * 1000 / len(t):.1f} ms (PostgreSQL)" if pg_cpu is not None else "")
        tp = paced["times"]
        results.append({"name": f"portal report end to end p95, {PORTAL_CLIENTS} clients, {PORTAL_RATE:g} reports/s "
                                f"between them ({size})",
                        "seconds": p95(tp) / 1000, "rows": len(tp),
                        "note": f"goal ≤ 100 ms; POST /portal/ + the code page, no photo; each client on a Poisson "
                                f"clock (decision 93); p50 {statistics.median(tp):.0f} ms; "
                                f"{len(tp) / paced['wall']:.0f} reports/s reached; {paced['failures']} failed"})
        results.append({"name": f"portal report end to end p95, {PORTAL_CLIENTS} clients back to back ({size})",
                        "seconds": p95(t) / 1000, "rows": len(t),
                        "note": f"the capacity: {len(t) / portal['wall']:.0f} reports/s; each client sends its next "
                                f"report as soon as it has its code, so all queue for two cores (mean wait "
                                f"{PORTAL_CLIENTS} / rate); p50 {statistics.median(t):.0f} ms; {cpu_note}; "
                                f"{portal['failures']} failed; load average {os.getloadavg()[0]:.1f} after"})
    if lists:
        every = [x for ts, _n in lists.values() for x in ts]
        results.append({"name": f"Open311 GET requests.json p95 ({size})", "seconds": p95(every) / 1000,
                        "rows": len(every),
                        "note": "goal ≤ 50 ms at 1,000,000 cases; sequential, X-Api-Key; server CPU per request "
                                f"{lists_cpu[0] * 1000 / len(every):.1f} ms (app)"
                                + (f" + {lists_cpu[1] * 1000 / len(every):.1f} ms (PostgreSQL)" if lists_cpu[1] is not None
                                   else "") + f"; load average {os.getloadavg()[0]:.1f}; "
                                + "; ".join(f"{label} ({n} items): p50 {statistics.median(ts):.0f} / p95 "
                                            f"{p95(ts):.0f} ms" for label, (ts, n) in lists.items())})
    return results

"""Failure tests of `civicloop cluster` (issue 20): kill things, count what was acknowledged and what is stored.

Run by scripts/cluster-test.sh (`make cluster-test`), which starts a fresh cluster, runs this with its settings
(var/cluster/env) and stops it. Loopback only; each step bounded in time; each prints its figures and the run
ends non-zero when any acknowledged write is missing or stored twice, or a read failed.

1. app server: clients register through HAProxy (Open311, a token per request — the external id), kill -9 one
   app server's processes mid-load, restart it later; a client repeats a request that got no answer with the same
   token. -> acknowledged, stored, lost (acknowledged, not stored), duplicated (one token, two cases).
2. task worker: a task registering one case (core.cluster_tasks.probe_register) is killed with its worker, once
   before its write and once after it; RQ re-runs it on a live worker. -> runs, cases with its external id (1).
3. replica: the dashboard (a replica view) read in a loop while the replica is stopped and started again.
   -> requests, errors, answered from the primary, seconds until back on the replica.
4. promotion: clients register, the primary is stopped (fast shutdown), the replica promoted (pg_ctl promote:
   the documented manual promotion). -> acknowledged before the stop, found on the promoted server, lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import django
import kit
import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "cluster.sh"
DIR = Path(os.environ["CIVICLOOP_CLUSTER_DIR"])
BASE = os.environ["CIVICLOOP_CLUSTER_URL"]
CLIENTS = int(os.environ.get("FAILOVER_CLIENTS", "6"))
LOAD_SECONDS = float(os.environ.get("FAILOVER_LOAD_SECONDS", "20"))
RUN = f"{time.time():.0f}"
PASSWORD = "test-pass-123"  # civicloop.testing.PASSWORD: the personas of build_world()
failures: list[str] = []

django.setup()


def sh(*args: str) -> None:
    subprocess.run(["bash", str(SCRIPT), *args], check=True)


def pid_of(name: str) -> int:
    return int((DIR / "run" / f"{name}.pid").read_text())


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc): RQ's work horse runs in a session of its own, so killing the
    worker's process group would leave it running."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def kill_tree(pid: int) -> list[int]:
    pids = process_tree(pid)
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return pids


def setup() -> dict:
    """A small world (testing.build_world), the default categories and an Open311 key of its district."""
    from civicloop.apikeys.services import api_key_create
    from civicloop.cases.models import Category
    from civicloop.cases.services.categories import categories_ensure_defaults
    from civicloop.open311.catalogue import extra_for
    from civicloop.testing import build_world

    world = build_world()
    categories_ensure_defaults()
    leaf = next(c for c in Category.objects.filter(children__isnull=True, parent__isnull=False, active=True).order_by("code")
                if not extra_for(c.code).attributes)
    row, key = api_key_create(actor=world.district_admin, name="故障测试", scopes=["open311"], rate_limit=6000)
    return {"world": world, "key": key, "prefix": row.prefix, "category": leaf, "district_id": world.district.pk}


class Load:
    """CLIENTS threads registering through HAProxy until stopped; a request without an answer (connection reset,
    502/503/504) is repeated with the same token until it is acknowledged or the load ends."""

    def __init__(self, ctx: dict, tag: str) -> None:
        self.ctx, self.tag = ctx, tag
        self.acked: dict[str, str] = {}  # token -> service_request_id (the tracking code)
        self.retries = 0
        self.refused: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.client, args=(i,), daemon=True) for i in range(CLIENTS)]

    def client(self, i: int) -> None:
        session = requests.Session()
        n = 0
        while not self.stop.is_set():
            n += 1
            token = f"{self.tag}-{RUN}-{i}-{n}"
            data = {"service_code": self.ctx["category"].code, "address_string": "故障测试路1号",
                    "description": "集群故障测试", "token": token}
            while not self.stop.is_set():
                try:
                    r = session.post(f"{BASE}/open311/v2/requests.json", data=data, timeout=15,
                                     headers={"X-Api-Key": self.ctx["key"]})
                except requests.RequestException:
                    r = None
                if r is not None and r.status_code in (200, 201):
                    with self.lock:
                        self.acked[token] = r.json()[0]["service_request_id"]
                    break
                if r is not None and r.status_code < 500:
                    with self.lock:
                        self.refused.append(f"{r.status_code} {r.text[:120]}")
                    break
                with self.lock:
                    self.retries += 1
                time.sleep(0.2)

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)


def stored(ctx: dict, tag: str) -> dict[str, list[str]]:
    """external token -> tracking codes of the cases stored with it (on the primary)."""
    from civicloop.cases.models import Case

    out: dict[str, list[str]] = {}
    prefix = f"{ctx['prefix']}:{tag}-{RUN}-"
    for ext, code in Case.objects.filter(external_id__startswith=prefix).values_list("external_id", "tracking_code"):
        out.setdefault(ext.split(":", 1)[1], []).append(code)
    return out


def check(name: str, ok: bool, detail: str) -> None:
    print(f"   {'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        failures.append(name)


def test_app_server_killed(ctx: dict) -> None:
    print(f"== 1. kill -9 app server 2 during {LOAD_SECONDS:.0f} s of registrations ({CLIENTS} clients)", flush=True)
    load = Load(ctx, "app")
    t0 = time.monotonic()
    load.start()
    time.sleep(LOAD_SECONDS * 0.3)
    victim = pid_of("app2")
    kill_tree(victim)  # gunicorn's master and its worker
    killed_at = time.monotonic() - t0
    time.sleep(LOAD_SECONDS * 0.4)
    sh("app-start", "2")
    restarted_at = time.monotonic() - t0
    time.sleep(max(0.0, LOAD_SECONDS - (time.monotonic() - t0)))
    load.finish()
    elapsed = time.monotonic() - t0
    found = stored(ctx, "app")
    lost = [t for t in load.acked if t not in found]
    duplicated = [t for t, codes in found.items() if len(codes) > 1]
    mismatched = [t for t, code in load.acked.items() if t in found and found[t][0] != code]
    print(f"   killed app2 (pid {victim} and its worker) at {killed_at:.1f} s, restarted at {restarted_at:.1f} s; "
          f"{len(load.acked)} acknowledged in {elapsed:.1f} s ({len(load.acked) / elapsed:.1f}/s), "
          f"{load.retries} requests repeated after no answer, {len(load.refused)} refused", flush=True)
    check("app server: 0 acknowledged lost", not lost, f"{len(lost)} lost of {len(load.acked)}")
    check("app server: 0 duplicated", not duplicated and not mismatched,
          f"{len(duplicated)} tokens stored twice, {len(mismatched)} answered with another case")
    check("app server: no refusals", not load.refused, "; ".join(load.refused[:3]) or "none")


def test_worker_killed(ctx: dict) -> None:
    import django_rq
    from rq.job import Job, JobStatus

    from civicloop.cases.models import Case
    from civicloop.core.cluster_tasks import probe_register

    print("== 2. kill -9 a task worker mid-task (before its write, then after it)", flush=True)
    connection = django_rq.get_connection("default")
    for where in ("before", "after"):
        ext = f"probe:{RUN}:{where}"
        result = probe_register.enqueue(district_id=ctx["district_id"], category_id=ctx["category"].pk,
                                        external_id=ext, hold_before=6.0 if where == "before" else 0.0,
                                        hold_after=6.0 if where == "after" else 0.0)
        t0 = time.monotonic()
        job = Job.fetch(result.id, connection=connection)
        while job.get_status() != JobStatus.STARTED and time.monotonic() - t0 < 30:
            time.sleep(0.1)
        if where == "after":  # wait for the write, then kill before the task returns
            while not Case.objects.filter(external_id=ext).exists() and time.monotonic() - t0 < 30:
                time.sleep(0.1)
        else:
            time.sleep(1.0)
        job.refresh()
        index = (job.worker_name or "w1-").split("-", 1)[0].lstrip("w")
        pids = kill_tree(pid_of(f"worker{index}"))  # the worker and its work horse
        killed = time.monotonic()
        sh("worker-start", index)  # what a supervisor does; the re-run may land on either worker
        status = None
        while time.monotonic() - killed < 180:
            status = Job.fetch(result.id, connection=connection).get_status()
            if status in (JobStatus.FINISHED, JobStatus.FAILED):
                break
            time.sleep(1)
        rerun_after = time.monotonic() - killed
        count = Case.objects.filter(external_id=ext).count()
        runs = len(Job.fetch(result.id, connection=connection).results()) + 1  # +1: the killed run left no result
        print(f"   killed worker{index} {where} the write (pids {pids}); job {status} {rerun_after:.0f} s later; "
              f"results recorded: {runs - 1} (+ the killed run)", flush=True)
        check(f"worker killed {where} the write: re-run", status == JobStatus.FINISHED, f"status {status}")
        check(f"worker killed {where} the write: effect once", count == 1, f"{count} cases with its external id")


def test_replica_stopped(ctx: dict) -> None:
    print("== 3. stop the replica while the dashboard is read", flush=True)
    s = kit.login("district_admin", base=BASE, password=PASSWORD, api=False)
    time.sleep(11)  # the login's POST pins this browser to the primary for CIVICLOOP_REPLICA_PIN_SECONDS
    first = s.get(f"{BASE}/dashboard/", timeout=30)
    check("replica: dashboard read from the replica", first.status_code == 200
          and first.headers.get("X-Civicloop-Reads") == "replica",
          f"{first.status_code} {first.headers.get('X-Civicloop-Reads')}")
    sh("replica-stop")
    stopped = time.monotonic()
    codes: dict[int, int] = {}
    sources: dict[str, int] = {}
    while time.monotonic() - stopped < 8:
        r = s.get(f"{BASE}/dashboard/", timeout=30)
        codes[r.status_code] = codes.get(r.status_code, 0) + 1
        src = r.headers.get("X-Civicloop-Reads", "?")
        sources[src] = sources.get(src, 0) + 1
    sh("replica-start")
    started = time.monotonic()
    back = None
    while time.monotonic() - started < 30:
        r = s.get(f"{BASE}/dashboard/", timeout=30)
        if r.headers.get("X-Civicloop-Reads") == "replica":
            back = time.monotonic() - started
            break
        time.sleep(0.5)
    n = sum(codes.values())
    print(f"   during 8 s without the replica: {n} requests, answers {codes}, read from {sources}; "
          f"back on the replica {back if back is None else f'{back:.1f}'} s after it started", flush=True)
    check("replica down: every read answered", set(codes) == {200}, str(codes))
    check("replica down: reads fell back to the primary", sources.get("primary", 0) == n, str(sources))
    check("replica up again: reads return to it", back is not None, f"{back}")


def test_promotion(ctx: dict) -> None:
    import psycopg

    print("== 4. registrations, then the primary stopped and the replica promoted", flush=True)
    load = Load(ctx, "promo")
    load.start()
    time.sleep(6)
    t0 = time.monotonic()
    sh("primary-stop")
    stopped_in = time.monotonic() - t0
    with load.lock:
        acked = dict(load.acked)  # acknowledged before the stop (nothing can be acknowledged after it)
    load.finish()
    late = {t: c for t, c in load.acked.items() if t not in acked}
    acked.update(late)
    t1 = time.monotonic()
    sh("promote")
    promoted_in = time.monotonic() - t1
    url = os.environ["DATABASE_REPLICA_URL"]
    with psycopg.connect(url) as conn:
        in_recovery = conn.execute("select pg_is_in_recovery()").fetchone()[0]
        prefix = f"{ctx['prefix']}:promo-{RUN}-"
        rows = conn.execute("select external_id from cases_case where external_id like %s", [prefix + "%"]).fetchall()
    found = {r[0].split(":", 1)[1] for r in rows}
    lost = [t for t in acked if t not in found]
    print(f"   {len(acked)} acknowledged; primary stopped in {stopped_in:.1f} s, replica promoted in "
          f"{promoted_in:.1f} s (now in recovery: {in_recovery}); {len(found)} on the promoted server", flush=True)
    check("promotion: the replica is a primary now", in_recovery is False, f"pg_is_in_recovery={in_recovery}")
    check("promotion: 0 acknowledged lost", not lost, f"{len(lost)} lost of {len(acked)}")


def main() -> int:
    t = time.monotonic()
    ctx = setup()
    print(f"== set-up (a test world, an Open311 key): {time.monotonic() - t:.1f} s", flush=True)
    t0 = time.monotonic()
    only = set(filter(None, os.environ.get("FAILOVER_ONLY", "").split(",")))
    steps = [("app", test_app_server_killed), ("worker", test_worker_killed), ("replica", test_replica_stopped),
             ("promote", test_promotion)]
    for name, step in steps:
        if not only or name in only:
            step(ctx)
    print(f"== failure tests: {len(failures)} failed in {time.monotonic() - t0:.0f} s"
          + (f": {', '.join(failures)}" if failures else ""), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

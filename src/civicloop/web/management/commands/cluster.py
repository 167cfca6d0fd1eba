"""`civicloop cluster up|down|status`: several app servers on this machine's loopback (issue 20).

`up` and `down` run scripts/cluster.sh (the operating-system part: apt, PostgreSQL as the `postgres` user, Redis,
HAProxy, the gunicorn app servers, the RQ workers, the scheduler). `status` adds, to the script's list of what is
up, the replica's lag as the app servers measure it (core.dbrouter) and the task queue's length.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

SCRIPT = Path(__file__).resolve().parents[5] / "scripts" / "cluster.sh"


def _script_env(apps: int | None, workers: int | None) -> dict[str, str]:
    env = {**os.environ, "CIVICLOOP_PY": sys.executable}
    if apps:
        env["CLUSTER_APPS"] = str(apps)
    if workers:
        env["CLUSTER_WORKERS"] = str(workers)
    return env


def cluster_env(script_env: dict[str, str]) -> dict[str, str]:
    """The settings the cluster's processes run with (`scripts/cluster.sh env`), as a dict."""
    out = subprocess.run(["bash", str(SCRIPT), "env"], env=script_env, check=True, capture_output=True, text=True)
    pairs = (line.removeprefix("export ").split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    return dict(pairs)


class Command(BaseCommand):
    help = "Start, stop or show the multi-server set-up on loopback (PostgreSQL + replica, Redis, HAProxy, N apps)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["up", "down", "status"])
        parser.add_argument("--apps", type=int, default=None, help="app servers behind HAProxy (default 3)")
        parser.add_argument("--workers", type=int, default=None, help="RQ task workers (default 2)")

    def handle(self, *args, action: str, apps: int | None, workers: int | None, **options):
        if not SCRIPT.exists():
            raise CommandError(f"{SCRIPT} is missing: run from a source checkout")
        env = _script_env(apps, workers)
        if action in {"up", "down"}:
            rc = subprocess.run(["bash", str(SCRIPT), action], env=env).returncode
            if rc:
                raise CommandError(f"scripts/cluster.sh {action} failed ({rc})")
            return
        rc = subprocess.run(["bash", str(SCRIPT), "status"], env=env).returncode
        if rc:
            return
        # The replica's lag and the queue, measured with the cluster's own settings in a child process (this
        # process may run with other settings, e.g. the SQLite default).
        probe = ("from civicloop.core.health import replication_summary as r; import django_rq; s = r(); "
                 "print('replica lag: %s s (limit %s s) -> read-only views read from the %s' % ("
                 "'%.2f' % s['lag_seconds'] if s.get('lag_seconds') is not None else 'unreachable', "
                 "s.get('max_lag_seconds'), s.get('reads_from'))); "
                 "q = django_rq.get_queue('default'); "
                 "print('task queue: %d waiting, %d running, %d failed' % (len(q), q.started_job_registry.count, "
                 "q.failed_job_registry.count))")
        child_env = {**env, **cluster_env(env)}
        subprocess.run([sys.executable, "-c", f"import django; django.setup(); {probe}"], env=child_env)

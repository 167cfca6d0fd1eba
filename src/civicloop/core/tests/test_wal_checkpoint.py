"""SQLite's write-ahead log stays bounded: the connection's `journal_size_limit`, and the periodic truncating
checkpoint (`core.tasks.wal_checkpoint`), which waits a bounded time for readers and does nothing on PostgreSQL.

The file tests run in a subprocess on a SQLite file of their own: the suite's test database is in memory, where
there is no `-wal` file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from civicloop.core import tasks

SRC = str(Path(tasks.__file__).resolve().parents[2])  # this checkout's code, also in the subprocess

SCRIPT = textwrap.dedent("""
    import json, os, sqlite3, time
    import django
    django.setup()
    from django.db import connection
    from civicloop.core.tasks import wal_checkpoint, wal_checkpoint_now

    path = connection.settings_dict["NAME"]
    wal = path + "-wal"
    out = {}
    with connection.cursor() as c:
        c.execute("PRAGMA journal_size_limit")
        out["journal_size_limit"] = c.fetchone()[0]
        c.execute("PRAGMA wal_autocheckpoint = 0")  # the log only grows, as when readers never leave it
        c.execute("CREATE TABLE t (x TEXT)")
        for i in range(1500):
            c.execute("INSERT INTO t VALUES (%s)", ["x" * 2000])
    out["grown"] = os.path.getsize(wal)

    # a reader on an older snapshot: the checkpoint waits for it, briefly, then settles for a passive one
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()
    with connection.cursor() as c:
        c.execute("INSERT INTO t VALUES ('after the reader began')")
    started = time.monotonic()
    out["blocked"] = wal_checkpoint_now(wait_ms=300)
    out["waited"] = time.monotonic() - started
    out["kept"] = os.path.getsize(wal)
    reader.rollback()
    reader.close()

    out["task"] = wal_checkpoint.call()  # the periodic task's body, as the worker runs it
    out["cut"] = os.path.getsize(wal)
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM t")
        out["rows"] = c.fetchone()[0]
    print(json.dumps(out))
""")


def test_checkpoint_truncates_the_wal_of_a_file_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"CIVICLOOP_ENV", "CIVICLOOP_PRODUCTION"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}", CIVICLOOP_VAR=str(tmp_path / "var"),
               DJANGO_SETTINGS_MODULE="civicloop.settings",
               PYTHONPATH=os.pathsep.join([SRC, env.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["journal_size_limit"] == 64 * 2**20  # every connection trims the log when it starts over
    assert out["grown"] > 2 * 2**20
    # the old reader keeps its frames: no truncation, a bounded wait, and the log is still whole
    assert out["blocked"]["busy"] and out["blocked"]["mode"] == "passive"
    assert out["waited"] < 5
    assert out["kept"] >= out["grown"]
    # once it has gone, the task copies the log into the database and cuts the file to nothing
    assert out["task"] == {"mode": "truncate", "busy": False, "log_frames": 0, "checkpointed_frames": 0}
    assert out["cut"] == 0
    assert out["rows"] == 1501  # nothing lost


def test_checkpoint_does_nothing_on_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    assert tasks.wal_checkpoint_now() is None  # without touching the database (no django_db mark: it would raise)


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_checkpoint_is_a_no_op_on_the_real_postgresql():
    assert tasks.wal_checkpoint.call() is None


def test_the_core_app_declares_the_checkpoint_with_an_interval_from_the_environment(monkeypatch):
    from civicloop.core import registry

    def interval():
        return {path: every for path, _task, every in registry.periodic_tasks()}["civicloop.core.tasks.wal_checkpoint"]

    monkeypatch.delenv("CIVICLOOP_WAL_CHECKPOINT_EVERY", raising=False)
    default = interval()
    monkeypatch.setenv("CIVICLOOP_WAL_CHECKPOINT_EVERY", "7")
    assert interval() == 7 != default


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_the_checkpoint_and_the_worker_runs_it(settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from civicloop.settings import TASKS

    settings.TASKS = TASKS  # the real queue: the scheduler enqueues into the database, the worker runs it
    from django.core.cache import cache

    cache.clear()  # the scheduler claims each task's slot once (decision 83): an earlier test's claim is not ours
    call_command("scheduler", "--once")
    call_command("db_worker", "--batch", "--no-startup-delay")
    (result,) = DBTaskResult.objects.filter(task_path="civicloop.core.tasks.wal_checkpoint")
    assert result.status == "SUCCESSFUL", result.traceback

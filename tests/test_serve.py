"""`civicloop serve` starts gunicorn, the task worker and the scheduler, serves pages and static files, and stops both on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CLI = [sys.executable, "-m", "civicloop"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_serve_runs_web_and_worker_and_stops_cleanly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CIVICLOOP_VAR=str(tmp_path), PYTHONUNBUFFERED="1")
    subprocess.run([*CLI, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = _free_port()
    log = tmp_path / "serve.log"  # a file, not a pipe: read while the server runs
    with log.open("w") as sink:
        proc = subprocess.Popen([*CLI, "serve", "--port", str(port), "--workers", "1"], env=env,
                                stdout=sink, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/login/")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200 and b"<form" in body
        assert _get(f"http://127.0.0.1:{port}/static/vendor/htmx.min.js")[0] == 200
        assert (tmp_path / "static" / "vendor" / "htmx.min.js").exists()  # collectstatic ran
        children = _children(proc.pid)
        assert len(children) == 3  # gunicorn master + db_worker + scheduler
        first_round = "enqueued civicloop.cases.tasks.supervise_overdue"  # the scheduler's first round
        while time.monotonic() < deadline and first_round not in log.read_text():  # it starts after the web
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    out = log.read_text()
    assert f"http://127.0.0.1:{port}/" in out
    assert first_round in out
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()

"""What the bench scripts share, so that each measures and prints the same way (`import kit`: the scripts run with
bench/ on their path — as `python bench/<script>.py`, or imported by run.py).

- figures: `p50_p95`, `p95` (the same index everywhere), `Laps` (wall and CPU seconds of each timed block),
  `in_threads` (clients at once);
- in-process scripts: `django_setup`, a bench district of the script's own codes (`bench_district`, `bench_unit`,
  `bench_user`), and `emit` — the rows {name, seconds, rows, note} as the last line, which run.py's `script_rows`
  reads;
- against `civicloop serve` on loopback: `start_server` / `stop_server` (by process group), `login`, `http_times`
  (sequential requests, ms; `timed_gets`: their p50 / p95), and `shell` / `script_json` / `has_demo` for what
  runs in a child process.
Nothing here imports Django at load: the HTTP scripts are imported by run.py, which has no settings.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8391"))
BASE = f"http://127.0.0.1:{PORT}"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
PASSWORD = os.environ.get("CIVICLOOP_DEMO_PASSWORD", "civicloop2026")


# -- figures ------------------------------------------------------------------------------------------------------


def p95(times: list[float]) -> float:
    """The 95th percentile as every bench reports it (the value at 95 % of the sorted list, rounded down); 0.0 for
    no times."""
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else 0.0


def p50_p95(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), p95(times)


def in_threads(target, n: int) -> float:
    """`target(0)` … `target(n - 1)`, each in a thread of its own, all at once: the wall seconds until the last ends."""
    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


class Laps:
    """The wall and CPU seconds of each block timed with it: `with laps: work()` adds one to `wall` and `cpu`."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Laps:
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.wall.append(time.perf_counter() - self._wall)
        self.cpu.append(time.process_time() - self._cpu)


# -- in-process scripts ---------------------------------------------------------------------------------------------


def django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicloop.settings")
    django.setup()


def emit(rows: list[dict]) -> None:
    """The script's rows {name, seconds, rows, note}, one JSON line: the last line of its output."""
    sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")


def bench_district(code: str, name: str, abbr: str, *, street: str, communities: list[str] = (),
                   compound: str | None = None, buildings: int = 0):
    """The district of a script's own codes (319995… volunteers, 319996… hall, 319997… duplicates, 319998…
    routing, 319999… vital signs: each its own, so that the scripts share a database), made when missing: the
    district, one street `<prefix>001000`, its communities `<prefix>001001`… and, with `compound`, a compound
    `<first community>-C001` of `buildings` buildings (`…-B000` "0号楼", …). Returns (district, made)."""
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place
    from civicloop.places.services import place_create

    district = Place.objects.filter(code=code).first()
    if district is not None:
        return district, False
    prefix = code[:6]
    district = place_create(code=code, name=name, level=PlaceLevel.DISTRICT, abbr=abbr)
    parent = place_create(code=f"{prefix}001000", name=street, level=PlaceLevel.STREET, parent=district)
    comms = [place_create(code=f"{prefix}001{i + 1:03d}", name=n, level=PlaceLevel.COMMUNITY, parent=parent)
             for i, n in enumerate(communities)]
    if compound:
        comp = place_create(code=f"{comms[0].code}-C001", name=compound, level=PlaceLevel.COMPOUND, parent=comms[0])
        for i in range(buildings):
            place_create(code=f"{comp.code}-B{i:03d}", name=f"{i}号楼", level=PlaceLevel.BUILDING, parent=comp)
    return district, True


def bench_unit(code: str, **fields):
    """The unit `code` (made with `fields` when missing)."""
    from civicloop.orgs.models import Unit

    return Unit.objects.filter(code=code).first() or Unit.objects.create(code=code, **fields)


def bench_user(username: str, *, unit, role: str, password: str | None = None, district=None):
    """The user `username` of `unit` with `role` (made when missing)."""
    from civicloop.orgs.models import User, UserRole

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=password, unit=unit, district=district)
        UserRole.objects.create(user=user, role=role)
    return user


# -- against a server -----------------------------------------------------------------------------------------------


def login(username: str, *, base: str = BASE, password: str = PASSWORD, api: bool = True):
    """A requests session logged in as `username`. `api`: ready for the API's writes too — the session cookie
    checked, the CSRF cookie (rotated by the login) read back from a page and sent as X-CSRFToken with a Referer."""
    import requests

    s = requests.Session()
    s.get(f"{base}/login/", timeout=30)
    r = s.post(f"{base}/login/", data={"username": username, "password": password,
                                       "csrfmiddlewaretoken": s.cookies.get("csrftoken", "")},
               headers={"Referer": f"{base}/login/"}, timeout=30, allow_redirects=False)
    if r.status_code != 302 or (api and "sessionid" not in s.cookies):
        raise SystemExit(f"login failed for {username}: {r.status_code}")
    if api:
        s.get(f"{base}/", timeout=30)  # rotates the CSRF cookie after login
        s.headers.update({"X-CSRFToken": s.cookies.get("csrftoken", ""), "Referer": f"{base}/"})
    return s


def start_server(env: dict, *, worker: bool = False) -> subprocess.Popen:
    """`civicloop serve` on PORT; `worker`: with its task worker and scheduler (periodic tasks), as in production."""
    import requests

    proc = subprocess.Popen([str(BIN / "civicloop"), "serve", "--port", str(PORT), "--workers", str(WORKERS),
                             "--threads", str(THREADS),
                             *([] if worker else ["--no-worker"])], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(240):  # ≤ 60 s
        try:
            if requests.get(f"{BASE}/login/", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.25)
    stop_server(proc)
    raise SystemExit("civicloop serve did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def http_times(session, path: str, n: int, *, method: str = "GET", warm: bool = True):
    """`n` sequential requests of `path` on the server (after one more, not timed, when `warm`): their times in
    ms, and the last response. Any answer but 200 stops the bench."""
    if warm:
        session.request(method, f"{BASE}{path}", timeout=120)
    times, last = [], None
    for _ in range(n):
        t = time.perf_counter()
        last = session.request(method, f"{BASE}{path}", timeout=120)
        times.append((time.perf_counter() - t) * 1000)
        if last.status_code != 200:
            raise SystemExit(f"{method} {path}: {last.status_code} {last.text[:300]}")
    return times, last


def timed_gets(session, path: str, n: int) -> tuple[float, float]:
    """p50 / p95 in ms of `n` GETs of `path` after one to warm."""
    return p50_p95(http_times(session, path, n)[0])


def shell(env: dict, code: str, tag: str = "RESULT ") -> str:
    """`code` run by `civicloop shell -c` (Django set up, in a child process: its start-up is not timed): what
    follows `tag` on the first line it prints starting with it."""
    proc = subprocess.run([str(BIN / "civicloop"), "shell", "-c", code], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench child failed:\n{proc.stderr[-3000:]}")
    return next(line for line in proc.stdout.splitlines() if line.startswith(tag))[len(tag):]


def has_demo(env: dict) -> bool:
    """Whether the database has the xuhui demo district."""
    code = "from civicloop.demo.generator import preset_district\nprint('DEMO', preset_district('xuhui') is not None)"
    return shell(env, code, "DEMO ") == "True"


def script_json(env: dict, script: str, *args: str):
    """bench/<script>.py run with `args`: the JSON of its last output line."""
    out = subprocess.run([str(BIN / "python"), str(ROOT / "bench" / f"{script}.py"), *args], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])

"""`make bench`: measured numbers, written to docs/benchmarks.md.

Each step runs the real `civicloop` command (or a bench script) in a child process, and records wall time and the
child's peak RSS (wait4). Each database is made fresh for the run (SQLite file and a throwaway PostgreSQL started by
scripts/pg.sh with fsync on) and its steps share it: the later steps read the demo the first one generated, and
each bench script builds a district of its own codes (319995… volunteers, 319996… hall, 319997… duplicates,
319998… routing, 319999… vital signs).
Ratios compare numbers from the same run; the machine is shared and noisy.

`BENCH_ONLY=visits,plans` runs some steps: their rows replace the same steps' rows (per database) in
docs/benchmarks.json, every other row is kept and says when it was measured; docs/benchmarks.md is written from
that list, and everything below its hand-written marker is kept. `BENCH_KEEP_PG=1` leaves the PostgreSQL server and
its database running; `BENCH_PG_DATA=<its data directory>` (and `BENCH_PG_PORT`) runs later steps on it as it is.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
HOUSEHOLDS = int(os.environ.get("BENCH_IMPORT_ROWS", str(round(180_000 * min(1.0, SCALE)))))


@dataclass
class Result:
    name: str
    database: str
    seconds: float
    peak_mb: float
    rows: int = 0
    note: str = ""
    extra: dict = field(default_factory=dict)
    step: str = ""  # the step that measured it (set by `main`)
    written: str = ""  # when (a row kept from an earlier run keeps its date)

    @property
    def rows_per_s(self) -> str:
        return f"{self.rows / self.seconds:,.0f}" if self.rows and self.seconds else "–"


def run_measured(args: list[str], env: dict) -> tuple[float, float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        print(out[-4000:], file=sys.stderr)
        raise SystemExit(f"bench step failed: {' '.join(args)}")
    return seconds, rusage.ru_maxrss / 1024, out


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


WANTED = set(os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(","))


def databases(tmp: Path):
    if "sqlite" in WANTED:
        yield "SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}", None
    if "postgresql" not in WANTED:
        return
    port = os.environ.get("BENCH_PG_PORT", "54391")
    # The inbox goal is stated at 1,000,000 cases: PostgreSQL's demo generates twice the default per scale.
    pg_cases = os.environ.get("BENCH_PG_CASES_PER_SCALE", "1000000")
    if reuse := os.environ.get("BENCH_PG_DATA"):  # a server BENCH_KEEP_PG kept: its database as it is, left running
        env = dict(os.environ, PGPORT=port, PGDATA_DIR=reuse)
        url = f"postgres://civicloop@127.0.0.1:{port}/civicloop"  # what scripts/pg.sh start printed
        yield "PostgreSQL 15", url, {**env, "CIVICLOOP_DEMO_CASES_PER_SCALE": pg_cases}
        return
    # Not inside `tmp` (mode 0700): as root, the cluster belongs to the `postgres` user, which must reach it.
    pgdata = Path(f"/tmp/civicloop-bench-pg-{os.getpid()}")
    # shared_buffers 2 GB: PostgreSQL's usual advice is ~25 % of RAM (this machine: 24 GiB); the 1 M-case
    # database is ~5 GB, and with the 256 MB default every inbox read copies pages from the OS cache.
    env = dict(os.environ, PGPORT=port, PGDATA_DIR=str(pgdata), PG_FSYNC="on", PG_SYNC_COMMIT="on",
               PG_SHARED_BUFFERS=os.environ.get("BENCH_PG_SHARED_BUFFERS", "2GB"),
               # the data fits in memory: a random read costs about a sequential one (PostgreSQL's advice for SSDs
               # and cached data); at the default 4 the planner seq-scans all cases for a drill-down of 14,000 ids
               PG_RANDOM_PAGE_COST=os.environ.get("BENCH_PG_RANDOM_PAGE_COST", "1.1"))
    url = subprocess.check_output([str(ROOT / "scripts" / "pg.sh"), "start"], env=env, text=True).strip()
    keep = os.environ.get("BENCH_KEEP_PG")  # keep the server and its 1 M-case database for measuring by hand
    try:
        yield "PostgreSQL 15", url, {**env, "CIVICLOOP_DEMO_CASES_PER_SCALE": pg_cases}
    finally:
        if keep:
            print(f"   kept: DATABASE_URL={url} (stop: PGDATA_DIR={pgdata} scripts/pg.sh stop)", flush=True)
        else:
            subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop"], env=env, check=False)
            shutil.rmtree(pgdata, ignore_errors=True)


STEPS = []  # callables (db_label, env, tmp) -> list[Result]; registered below


def step(fn):
    STEPS.append(fn)
    return fn


COUNT_LINE = re.compile(r"^\s{2}([a-z_]+\.[a-z_]+)\s+([\d,]+)$")


def demo_counts(out: str) -> dict[str, int]:
    """The per-table counts `civicloop demo` prints ("  cases.case     500,000")."""
    counts = {}
    for line in out.splitlines():
        if m := COUNT_LINE.match(line):
            counts[m.group(1)] = int(m.group(2).replace(",", ""))
    return counts


@step
def demo_generation(db: str, env: dict, tmp: Path) -> list[Result]:
    subprocess.run([str(BIN / "civicloop"), "migrate", "-v0"], env=env, check=True)
    seconds, peak, out = run_measured(
        [str(BIN / "civicloop"), "demo", "--preset", "xuhui", "--scale", str(SCALE), "--seed", "1"], env
    )
    counts = demo_counts(out)
    note = f"{counts.get('cases.case', 0):,} cases, {counts.get('cases.case_event', 0):,} case events"
    if db.startswith("PostgreSQL"):
        # the load's dirty pages written now, not by the checkpoints that would run for minutes under the steps
        # measured next (a 1 M-case load: two of ~4 minutes each, every commit's flush waiting behind them)
        import psycopg

        started = time.perf_counter()
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("CHECKPOINT")
        note += f"; then CHECKPOINT, {time.perf_counter() - started:.0f} s (not counted)"
    return [Result(f"demo generation, xuhui scale {SCALE:g}", db, seconds, peak, sum(counts.values()), note)]


@step
def household_import(db: str, env: dict, tmp: Path) -> list[Result]:
    path = tmp / "households.xlsx"
    if not path.exists():
        subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "make_households.py"), str(path), str(HOUSEHOLDS)], env=env, check=True)
    seconds, peak, _ = run_measured([str(BIN / "civicloop"), "import", "households", str(path), "--user", "xh_admin"], env)
    return [Result(f"import {HOUSEHOLDS:,} households (.xlsx)", db, seconds, peak, HOUSEHOLDS, "goal ≤ 30 s")]


def module_rows(db: str, env: dict, tmp: Path, module: str) -> list[Result]:
    """A step measured by bench/<module>.py's `measure(env, tmp)` in this process: a list of rows {name, seconds,
    rows?, note?, peak_mb?, extra?}."""
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    measure = importlib.import_module(module).measure
    return [Result(r["name"], db, r["seconds"], r.get("peak_mb", 0), r.get("rows", 0), r.get("note", ""),
                   r.get("extra", {})) for r in measure(env, tmp)]


@step
def cases_http(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: intake over HTTP with concurrent clients vs raw psycopg, and inbox p95 (bench/cases_http.py)."""
    if not db.startswith("PostgreSQL"):
        return []
    return module_rows(db, env, tmp, "cases_http")


@step
def visits(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: the coverage overview, a team's field list and syncing 50 visits over a campaign of the
    demo district's households and enterprises (bench/visits_http.py; the demo must exist: `demo_generation`)."""
    if not db.startswith("PostgreSQL"):
        return []
    return module_rows(db, env, tmp, "visits_http")


@step
def dashboard(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: the rollups' full and incremental refresh, the district and street overview JSON beside a
    naive GROUP BY over the cases giving the same figures, the drill-down list, the weekly report and the inbox, at
    the size `demo_generation` made (bench/dashboard_http.py)."""
    if not db.startswith("PostgreSQL"):
        return []
    return module_rows(db, env, tmp, "dashboard_http")


@step
def assess(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: an evaluation run of the 金银铜 set (140 indicators) for the 13 streets and for
    BENCH_ASSESS_DEPARTMENTS (40) departments, and a score's provenance p95 over HTTP, on the database
    `demo_generation` made — its size is BENCH_PG_CASES_PER_SCALE (the issue's: 1,000,000; a year of them with
    CIVICLOOP_DEMO_DAYS=365) (bench/assess_http.py)."""
    if not db.startswith("PostgreSQL"):
        return []
    return module_rows(db, env, tmp, "assess_http")


@step
def citizens(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: the hotline import of BENCH_HOTLINE_ORDERS (100,000) generated 12345 work orders and its
    re-import, the portal's report end to end under 16 clients over HTTP, Open311 GET requests p95 with a key — on
    the database `demo_generation` made (bench/citizens_http.py)."""
    if not db.startswith("PostgreSQL"):
        return []
    return module_rows(db, env, tmp, "citizens_http")


@step
def plans(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: the plan board of BENCH_PLAN_TASKS (5,000) tasks over HTTP, p95 (bench/plans_http.py; the
    demo district is generated small first when the database has none)."""
    if not db.startswith("PostgreSQL"):
        return []
    return module_rows(db, env, tmp, "plans_http")


@step
def meetings(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: the work meeting pack (工作例会) for the district and a street — built (goal ≤ 1 s for the
    district) and read — on the demo district (bench/meetings_http.py; alone, the step generates the demo first)."""
    if not db.startswith("PostgreSQL"):
        return []
    return module_rows(db, env, tmp, "meetings_http")


def script_rows(db: str, env: dict, script: str) -> list[Result]:
    """A step measured by a script of its own (bench/<script>.py) on the migrated database: its last stdout line is
    a JSON list of rows {name, seconds, rows?, note?}; the whole run's peak memory stands beside each."""
    subprocess.run([str(BIN / "civicloop"), "migrate", "-v0"], env=env, check=True)
    _seconds, peak, out = run_measured([str(BIN / "python"), str(ROOT / "bench" / f"{script}.py")], env)
    rows = json.loads(out.strip().splitlines()[-1])
    return [Result(r["name"], db, r["seconds"], peak, r.get("rows", 0), r.get("note", "")) for r in rows]


@step
def signs(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: vital signs — ingestion of batches of 1,000 readings, rule evaluation, a 30-day chart from
    the hourly rollups with BENCH_SIGNS_READINGS (10,000,000) readings stored (bench/signs_bench.py)."""
    if not db.startswith("PostgreSQL"):
        return []
    return script_rows(db, env, "signs_bench")


@step
def routing(db: str, env: dict, tmp: Path) -> list[Result]:
    """SQLite: routing suggestions — a refit on a year of closed cases (BENCH_ROUTING_CASES, 250,000; goal ≤ 2
    minutes), a suggestion's p50 / p95 (goal ≤ 10 ms) and the accuracy beside them (bench/routing_bench.py). The model
    and the suggestion read the database the same way on both; SQLite is the default deployment."""
    if db != "SQLite":
        return []
    return script_rows(db, env, "routing_bench")


@step
def volunteers(db: str, env: dict, tmp: Path) -> list[Result]:
    """The volunteer board of a street (goal ≤ 100 ms) over a year of hours: 25 communities × 100 members × 40
    shifts (bench/volunteers_bench.py), on both databases."""
    return script_rows(db, env, "volunteers_bench")


@step
def hall(db: str, env: dict, tmp: Path) -> list[Result]:
    """The deliberation hall: a vote among BENCH_HALL_HOUSEHOLDS (5,000) households closed and tallied (goal ≤ 1 s),
    on a bench district of its own (bench/hall_bench.py)."""
    return script_rows(db, env, "hall_bench")


@step
def dupes(db: str, env: dict, tmp: Path) -> list[Result]:
    """Duplicate check of a new case against BENCH_DUPES_OPEN (100,000) open cases (goal p95 ≤ 5 ms), the index's
    cold build per process, and precision/recall beside them on the hand-written held-out set (the honest figure)
    and the tuning set (bench/dupes_bench.py)."""
    return script_rows(db, env, "dupes_bench")


@step
def sqlite_batch_load(db: str, env: dict, tmp: Path) -> list[Result]:
    """SQLite only: batches from 16 clients for a bounded time, with the inbox p95 and the `-wal` file's size
    meanwhile (bench/batch_load.py). Runs on the database `demo_generation` made (BENCH_ONLY must name both)."""
    if db != "SQLite":
        return []
    return module_rows(db, env, tmp, "batch_load")


CITY_YEAR_CASES = int(os.environ.get("BENCH_CITY_YEAR_CASES", "10000000"))
CITY_YEAR_GENERATED = os.environ.get("BENCH_CITY_YEAR_GENERATED", "1000000")


@step
def city_year(db: str, env: dict, tmp: Path) -> list[Result]:
    """PostgreSQL only: a city-year — BENCH_CITY_YEAR_CASES (10,000,000) cases in 365 days — in a database of its own
    (BENCH_CITY_YEAR_DB, default civicloop_city_year; the other steps keep the demo's): a year of
    BENCH_CITY_YEAR_GENERATED (1,000,000) cases generated by `civicloop demo` (COPY), the rest copies of them made in
    SQL (bench/city_year.py, decision 95); then the dashboard's figures and the inbox at that size
    (bench/dashboard_http.py, without its full fold of the event log — hours of Python at this size; the copies'
    facts come with them). A database that already holds the demo district is multiplied as it is and kept; one
    this step made is dropped afterwards unless BENCH_KEEP_PG. BENCH_CITY_YEAR_AGAIN=1: a kept city-year measured again."""
    if not db.startswith("PostgreSQL"):
        return []
    import psycopg

    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    from city_year import multiply
    from kit import has_demo

    url = env["DATABASE_URL"]
    name = os.environ.get("BENCH_CITY_YEAR_DB", "civicloop_city_year")
    env = dict(env, DATABASE_URL=url.rsplit("/", 1)[0] + "/" + name, BENCH_DASH_REBUILD="0")
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if not exists:
            conn.execute(f"CREATE DATABASE {name}")
    if os.environ.get("BENCH_CITY_YEAR_AGAIN"):
        # a kept city-year (BENCH_PG_DATA, BENCH_KEEP_PG) measured again as it is, after a change of the code (its
        # migrations applied first): its generation and copies' rows stay those of the run that made it
        if not exists or not has_demo(env):
            raise SystemExit(f"city-year: BENCH_CITY_YEAR_AGAIN needs the kept database {name}")
        subprocess.run([str(BIN / "civicloop"), "migrate", "-v0"], env=env, check=True)
        made = [r for r in _earlier("city_year", db) if r.name.startswith("city-year:")]
        return made + module_rows(db, env, tmp, "dashboard_http")
    results = []
    made = not exists or not has_demo(env)
    if made:
        gen_env = dict(env, CIVICLOOP_DEMO_CASES_PER_SCALE=CITY_YEAR_GENERATED, CIVICLOOP_DEMO_DAYS="365")
        subprocess.run([str(BIN / "civicloop"), "migrate", "-v0"], env=gen_env, check=True)
        seconds, peak, out = run_measured(
            [str(BIN / "civicloop"), "demo", "--preset", "xuhui", "--scale", "1", "--seed", "1"], gen_env)
        counts = demo_counts(out)
        note = f"{counts.get('cases.case', 0):,} cases, {counts.get('cases.case_event', 0):,} case events over 365 days"
        results.append(Result(f"city-year: the generated year, {counts.get('cases.case', 0):,} cases", db, seconds,
                              peak, sum(counts.values()), note))
    copied = multiply(env["DATABASE_URL"], CITY_YEAR_CASES)
    tables = ", ".join(f"{t} {n:,}" for t, n in copied["tables"].items())
    results.append(Result(
        f"city-year: {copied['copies']} copies of the generated cases in SQL, to {copied['cases']:,} cases", db,
        copied["seconds"], 0, copied["rows"],
        f"{copied['generated']:,} generated cases copied; INSERT … SELECT per table and copy, indexes built after, "
        f"rollups summed from the facts, VACUUM (ANALYZE), CHECKPOINT (decision 95); rows: {tables}"))
    results += module_rows(db, env, tmp, "dashboard_http")
    if made and not os.environ.get("BENCH_KEEP_PG"):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
    return results


REPORT = ROOT / "docs" / "benchmarks.md"
ROWS = ROOT / "docs" / "benchmarks.json"  # every row with its step: a run of some steps replaces only theirs
HAND = "<!-- Everything below is written by hand and kept by `make bench`. -->"


def _earlier(step: str, database: str) -> list[Result]:
    """The rows `step` wrote on `database` in an earlier run, with their dates."""
    if not ROWS.exists():
        return []
    rows = [Result(**row) for row in json.loads(ROWS.read_text(encoding="utf-8"))]
    return [r for r in rows if r.step == step and r.database == database]


def _kept_rows(results: list[Result]) -> list[Result]:
    """The rows of earlier runs that this run did not measure again: other steps, or the other database."""
    if not ROWS.exists():
        return []
    measured = {(r.step, r.database) for r in results}
    kept = [Result(**row) for row in json.loads(ROWS.read_text(encoding="utf-8"))]
    return [r for r in kept if (r.step, r.database) not in measured]


def _row(r: Result, now: str) -> str:
    note = r.note if r.written == now else f"{r.note} (measured {r.written})"
    return (f"| {r.name} | {r.database} | {r.seconds:.{1 if r.seconds >= 1 else 3}f} | {r.peak_mb:.0f} | {r.rows:,} "
            f"| {r.rows_per_s} | {note} |")


def write_report(results: list[Result], total: float) -> None:
    now = f"{datetime.now():%Y-%m-%d %H:%M}"
    for r in results:
        r.written = r.written or now  # a row carried from an earlier run (`_earlier`) keeps its date
    order = {fn.__name__: i for i, fn in enumerate(STEPS)}
    rows = sorted([*_kept_rows(results), *results], key=lambda r: (order.get(r.step, len(order)), r.database))
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {now}, total {total:.0f} s (steps run: "
        f"{', '.join(sorted({r.step for r in results}, key=lambda s: order.get(s, 0))) or 'none'}; a row another "
        "run measured says when).",
        "",
        f"Machine: {machine()}.",
        "",
        "PostgreSQL: a throwaway 15.x server on loopback, fsync and synchronous_commit **on**, shared_buffers "
        f"{os.environ.get('BENCH_PG_SHARED_BUFFERS', '2GB')}, random_page_cost "
        f"{os.environ.get('BENCH_PG_RANDOM_PAGE_COST', '1.1')}. SQLite: a file in WAL mode.",
        "Peak memory is the child process's maximum resident set (wait4). Each database is made fresh for the run; its steps share it.",
        "",
        "| benchmark | database | time (s) | peak RSS (MB) | rows | rows/s | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
        *(_row(r, now) for r in rows),
    ]
    for r in rows:
        for k, v in r.extra.items():
            lines.append(f"\n- {r.name} ({r.database}) — {k}: {v}")
    hand = ""
    if REPORT.exists() and HAND in (text := REPORT.read_text(encoding="utf-8")):
        hand = text[text.index(HAND):]
    REPORT.write_text("\n".join(lines) + "\n\n" + (hand or HAND + "\n"), encoding="utf-8")
    ROWS.write_text(json.dumps([vars(r) for r in rows], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    started = time.perf_counter()
    results: list[Result] = []
    only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
    with tempfile.TemporaryDirectory(prefix="civicloop-bench-") as t:
        tmp = Path(t)
        for label, url, extra_env in databases(tmp):
            env = dict(os.environ, DATABASE_URL=url, CIVICLOOP_VAR=str(tmp / "var"), **(extra_env or {}))
            env.pop("PGPORT", None)
            for fn in STEPS:
                if only and fn.__name__ not in only:
                    continue
                print(f"== {label}: {fn.__name__}", flush=True)
                for r in fn(label, env, tmp):
                    r.step = fn.__name__
                    print(f"   {r.name}: {r.seconds:.{1 if r.seconds >= 1 else 3}f} s, {r.peak_mb:.0f} MB, {r.rows_per_s} rows/s", flush=True)
                    results.append(r)
    write_report(results, time.perf_counter() - started)
    shutil.rmtree(ROOT / "var" / "bench", ignore_errors=True)


if __name__ == "__main__":
    main()

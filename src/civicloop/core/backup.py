"""Backup and restore of the whole database: `civicloop backup FILE` and `civicloop restore FILE`.

PostgreSQL: `pg_dump --format=custom`, restored by its SQL piped into psql in one transaction after the schema is
made anew, so a restore that fails half-way leaves the database as it was. SQLite: the online backup API, which copies a
consistent snapshot while the server keeps running (a plain file copy of a WAL database can miss the -wal part).

A restore first checks that the file is a backup of the right kind — the same engine, readable, and a
civicloop database (it has Django's migration table) — and changes nothing when it is not. Point-in-time
recovery on PostgreSQL (WAL archiving) is set up on the server, not here: docs/operations.md.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, and nothing was changed."""


@dataclass(frozen=True)
class Database:
    engine: str  # "sqlite" or "postgresql"
    settings: dict

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])


def database(alias: str = "default") -> Database:
    settings_dict = connections[alias].settings_dict
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        if str(settings_dict["NAME"]) in {":memory:", ""} or "mode=memory" in str(settings_dict["NAME"]):
            raise BackupError("the SQLite database is in memory; there is no file to back up or restore")
        return Database("sqlite", settings_dict)
    if engine == "django.db.backends.postgresql":
        return Database("postgresql", settings_dict)
    raise BackupError(f"backup does not support the database engine {engine}")


def file_kind(path: Path) -> str | None:
    """"sqlite", "postgresql" (a pg_dump custom-format archive) or None, from the file's first bytes."""
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    return None


# ---- backup ----------------------------------------------------------------------------------------------------


def backup(target: Path, *, alias: str = "default", overwrite: bool = False) -> Database:
    """Write a backup of the database to `target` (written aside first, renamed when complete)."""
    db = database(alias)
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; pass --force to replace it")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Readable by the owner only, from the first byte: a backup holds every resident's personal data.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if db.engine == "sqlite":
            _sqlite_backup(db, partial)
        else:
            _pg_run("pg_dump", db, ["--format=custom", "--no-password", f"--file={partial}", "--dbname", db.name])
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return db


def _sqlite_backup(db: Database, partial: Path) -> None:
    source = sqlite3.connect(db.name, timeout=30)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)  # all pages in one step: one consistent snapshot under a read lock
        # A self-contained file: no -wal/-shm beside it, readable from a read-only place.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()
        source.close()


# ---- restore ---------------------------------------------------------------------------------------------------


def check_restorable(source: Path, *, alias: str = "default") -> Database:
    """Refuse (BackupError) a file that is not a civicloop backup for this database's engine."""
    db = database(alias)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    kind = file_kind(source)
    if kind is None:
        raise BackupError(f"{source} is not a civicloop backup (neither a SQLite database nor a pg_dump custom archive)")
    if kind != db.engine:
        raise BackupError(f"{source} is a {kind} backup but the database is {db.engine}; nothing was restored")
    if kind == "sqlite":
        _sqlite_check(source)
    else:
        _pg_check(source, db)
    return db


def restore(source: Path, *, alias: str = "default") -> Database:
    """Replace the database's whole content with the backup in `source` (checked first)."""
    db = check_restorable(source, alias=alias)
    connections[alias].close()  # our own connection must not hold a lock or a stale schema
    if db.engine == "sqlite":
        _sqlite_restore(db, source)
    else:
        _pg_restore(db, source)
    return db


def _pg_restore(db: Database, source: Path) -> None:
    """The archive's SQL (`pg_restore --file -`) piped into psql in one transaction, after the schema is dropped
    and made anew: `pg_restore --clean` drops table by table, and cannot drop the constraints a monthly partition
    inherits (signs' readings, decision 84). A failure anywhere rolls everything back."""
    env = pg_environment(db)
    psql = subprocess.Popen(
        [pg_binary("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
         "--no-password", "--dbname", db.name, "--output", os.devnull],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    dump = subprocess.Popen([pg_binary("pg_restore"), "--no-owner", "--file", "-", str(source)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        psql.stdin.write(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
        shutil.copyfileobj(dump.stdout, psql.stdin)
    except BrokenPipeError:
        pass  # psql stopped at an error: its message below
    finally:
        psql.stdin.close()
    dump_err = dump.stderr.read().decode(errors="replace")
    psql_err = psql.stderr.read().decode(errors="replace")
    if dump.wait() != 0:
        psql.wait()
        raise BackupError(f"pg_restore failed (exit {dump.returncode}): {dump_err.strip()}")
    if psql.wait() != 0:
        raise BackupError(f"psql failed while restoring (exit {psql.returncode}): {psql_err.strip()}")


def _sqlite_check(source: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            has_migrations = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a readable SQLite database: {exc}") from exc
    if ok != "ok":
        raise BackupError(f"{source} is damaged (SQLite quick_check: {ok}); nothing was restored")
    if not has_migrations:
        raise BackupError(f"{source} is a SQLite database but not a civicloop backup (no django_migrations table)")


def _sqlite_restore(db: Database, source: Path) -> None:
    backup_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live = sqlite3.connect(db.name, timeout=30)
    try:
        # The backup API writes every page of the live file under its lock; readers see the old or the new
        # database, never a mixture.
        backup_conn.backup(live)
        live.execute("PRAGMA journal_mode=WAL")  # the backup file carries journal_mode=DELETE
    finally:
        live.close()
        backup_conn.close()


_TOC_MIGRATIONS = re.compile(r"^\d+; .*\bTABLE (?:DATA )?\S+ django_migrations\b", re.MULTILINE)


def _pg_check(source: Path, db: Database) -> None:
    listing = _pg_run("pg_restore", db, ["--list", str(source)], capture=True, connect=False)
    if not _TOC_MIGRATIONS.search(listing):
        raise BackupError(f"{source} is a pg_dump archive but not a civicloop backup (no django_migrations table)")


# ---- PostgreSQL client programs ---------------------------------------------------------------------------------


def pg_binary(program: str) -> str:
    """The newest installed `program` (pg_dump must not be older than the server): CIVICLOOP_PG_BIN first."""
    candidates = []
    if os.environ.get("CIVICLOOP_PG_BIN"):
        candidates.append(Path(os.environ["CIVICLOOP_PG_BIN"]) / program)
    versioned = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"),
                       key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0, reverse=True)
    candidates += versioned + [Path("/usr/local/bin") / program, Path("/usr/bin") / program]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(program)
    if found:
        return found
    raise BackupError(f"{program} not found: install the PostgreSQL client (e.g. apt-get install postgresql-client) "
                      "or set CIVICLOOP_PG_BIN to the directory holding it")


def pg_environment(db: Database) -> dict[str, str]:
    """libpq's environment for the connection in settings.DATABASES (the password never on the command line)."""
    s, options = db.settings, db.settings.get("OPTIONS") or {}
    env = dict(os.environ)
    for var, value in (("PGHOST", s.get("HOST")), ("PGPORT", s.get("PORT")), ("PGUSER", s.get("USER")),
                       ("PGPASSWORD", s.get("PASSWORD")), ("PGDATABASE", s.get("NAME")),
                       ("PGSSLMODE", options.get("sslmode")), ("PGSSLROOTCERT", options.get("sslrootcert")),
                       ("PGSSLCERT", options.get("sslcert")), ("PGSSLKEY", options.get("sslkey"))):
        if value:
            env[var] = str(value)
    return env


def _pg_run(program: str, db: Database, args: list[str], *, capture: bool = False, connect: bool = True) -> str:
    env = pg_environment(db) if connect else dict(os.environ)
    result = subprocess.run([pg_binary(program), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result.stdout if capture else ""

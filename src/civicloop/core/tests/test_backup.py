"""The backup drill: back up, destroy, restore — then every table's row count and the case event log are equal.

The drill runs `civicloop` in subprocesses against a database of its own (the suite's test database is in memory
on SQLite, and is held by the test's transaction): a SQLite file here, a separate database on the suite's
PostgreSQL server in the `postgres_only` drill.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

from civicloop.core import backup

SRC = str(Path(backup.__file__).resolve().parents[2])  # this checkout's code, also in the subprocesses
CLI = [sys.executable, "-m", "civicloop"]


def _civicloop(*args: str, database_url: str, var: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CIVICLOOP_ENV", "CIVICLOOP_PRODUCTION"}}
    env.update(DATABASE_URL=database_url, CIVICLOOP_VAR=str(var),
               PYTHONPATH=os.pathsep.join([SRC, env.get("PYTHONPATH", "")]))
    result = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _snapshot(conn, tables: list[str]) -> tuple[dict[str, int], str]:
    """Row count per table, and a checksum of the case event log (every column, rows in id order)."""
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    digest = hashlib.sha256()
    for row in conn.execute("SELECT * FROM cases_caseevent ORDER BY id").fetchall():
        digest.update(repr(tuple(row)).encode())
    return counts, digest.hexdigest()


# ---- SQLite ----------------------------------------------------------------------------------------------------


def _sqlite_tables(conn) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in rows]


def _sqlite_snapshot(path: Path):
    conn = sqlite3.connect(path)
    try:
        return _snapshot(conn, _sqlite_tables(conn))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory) -> tuple[str, Path, Path]:
    """A migrated SQLite file with a small demo district (its cases have event logs)."""
    var = tmp_path_factory.mktemp("backup-drill")
    path = var / "civicloop.sqlite3"
    url = f"sqlite:///{path}"
    _civicloop("migrate", "-v0", database_url=url, var=var)
    _civicloop("demo", "--scale", "0.002", "-v0", database_url=url, var=var)
    return url, path, var


def test_sqlite_drill_backup_destroy_restore(sqlite_demo):
    url, path, var = sqlite_demo
    before = _sqlite_snapshot(path)
    counts, _ = before
    assert counts["cases_caseevent"] > 0 and counts["cases_case"] > 0 and counts["places_household"] > 0

    target = var / "drill.backup"
    out = _civicloop("backup", str(target), database_url=url, var=var).stdout
    assert "backup of the sqlite database written" in out and backup.file_kind(target) == "sqlite"
    assert target.stat().st_mode & 0o077 == 0  # personal data: the owner's eyes only
    again = _civicloop("backup", str(target), database_url=url, var=var, check=False)
    assert again.returncode != 0 and "--force" in again.stderr  # an earlier backup is not overwritten silently

    conn = sqlite3.connect(path)  # destroy: the event log emptied, a table dropped, a row changed
    conn.execute("DELETE FROM cases_caseevent")
    conn.execute("DROP TABLE places_household")
    conn.execute("UPDATE cases_case SET description = 'overwritten'")
    conn.commit()
    conn.close()
    assert _sqlite_snapshot(path) != before

    _civicloop("restore", "--no-input", str(target), database_url=url, var=var)
    assert _sqlite_snapshot(path) == before
    _civicloop("migrate", "--check", database_url=url, var=var)  # the restored schema is the code's
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def _not_backups(tmp: Path) -> dict[str, tuple[Path, str]]:
    junk = tmp / "junk.bin"
    junk.write_bytes(os.urandom(4096))
    other = tmp / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE notes (body TEXT)").connection.commit()
    pg_archive = tmp / "pg.backup"
    pg_archive.write_bytes(b"PGDMP" + os.urandom(1000))
    return {
        "junk": (junk, "is not a civicloop backup"),
        "other SQLite database": (other, "not a civicloop backup (no django_migrations table)"),
        "PostgreSQL archive": (pg_archive, "is a postgresql backup but the database is sqlite"),
        "missing": (tmp / "missing.backup", "is not a file"),
    }


def test_sqlite_restore_refuses_what_is_not_a_backup_and_changes_nothing(sqlite_demo, tmp_path):
    url, path, var = sqlite_demo
    before = _sqlite_snapshot(path)
    damaged = tmp_path / "damaged.backup"
    _civicloop("backup", str(damaged), database_url=url, var=var)
    data = damaged.read_bytes()
    damaged.write_bytes(data[:4096] + os.urandom(len(data) // 2))  # the header intact, the pages not
    cases = {**_not_backups(tmp_path), "damaged": (damaged, "")}
    for name, (file, message) in cases.items():
        result = _civicloop("restore", "--no-input", str(file), database_url=url, var=var, check=False)
        assert result.returncode != 0, name
        assert "CommandError" in result.stderr and message in result.stderr, (name, result.stderr)
    assert _sqlite_snapshot(path) == before


def test_restore_asks_before_replacing_and_stops_on_anything_but_yes(sqlite_demo, tmp_path):
    url, path, var = sqlite_demo
    target = tmp_path / "asked.backup"
    _civicloop("backup", str(target), database_url=url, var=var)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=url, CIVICLOOP_VAR=str(var), PYTHONPATH=os.pathsep.join([SRC, env.get("PYTHONPATH", "")]))
    result = subprocess.run([*CLI, "restore", str(target)], env=env, input="no\n", capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and "nothing was changed" in result.stderr


# ---- PostgreSQL helpers that need no server -------------------------------------------------------------------


def test_pg_environment_passes_the_connection_without_the_password_on_the_command_line():
    db = backup.Database("postgresql", {"NAME": "civicloop", "USER": "app", "PASSWORD": "s3cret", "HOST": "db.local",
                                        "PORT": 5433, "OPTIONS": {"sslmode": "require", "options": "-c jit=off"}})
    env = backup.pg_environment(db)
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"], env["PGSSLMODE"]) == (
        "db.local", "5433", "app", "s3cret", "civicloop", "require")


def test_a_pg_dump_listing_is_recognised_by_its_migration_table():
    listing = ("; Archive created at 2026-05-01\n215; 1259 16390 TABLE public django_migrations civicloop\n"
               "3402; 0 16390 TABLE DATA public django_migrations civicloop\n")
    assert backup._TOC_MIGRATIONS.search(listing)
    assert not backup._TOC_MIGRATIONS.search("215; 1259 16390 TABLE public notes owner\n")


def test_a_file_with_the_archive_magic_but_no_readable_contents_is_refused(tmp_path):
    try:
        backup.pg_binary("pg_restore")
    except backup.BackupError:
        pytest.skip("no PostgreSQL client programs here")
    fake = tmp_path / "fake.backup"
    fake.write_bytes(b"PGDMP" + os.urandom(1000))
    with pytest.raises(backup.BackupError, match="pg_restore failed"):
        backup._pg_check(fake, backup.Database("postgresql", {"NAME": "civicloop"}))


# ---- PostgreSQL drill ------------------------------------------------------------------------------------------


def _pg_tables(conn) -> list[str]:
    rows = conn.execute("SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")
    return [name for (name,) in rows]


@pytest.fixture
def pg_drill_database():
    import psycopg

    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"civicloop_drill_{uuid.uuid4().hex[:8]}"
    admin = dict(host=server["HOST"], port=server["PORT"] or None, user=server["USER"],
                 password=server["PASSWORD"] or None, dbname=server["NAME"], autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    try:
        yield url, {**admin, "dbname": name}
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_snapshot(params: dict):
    import psycopg

    with psycopg.connect(**params) as conn:
        return _snapshot(conn, _pg_tables(conn))


@pytest.mark.postgres_only
def test_postgresql_drill_backup_destroy_restore(pg_drill_database, tmp_path):
    import psycopg

    url, params = pg_drill_database
    _civicloop("migrate", "-v0", database_url=url, var=tmp_path)
    _civicloop("demo", "--scale", "0.002", "-v0", database_url=url, var=tmp_path)
    before = _pg_snapshot(params)
    assert before[0]["cases_caseevent"] > 0 and before[0]["places_household"] > 0

    target = tmp_path / "drill.backup"
    _civicloop("backup", str(target), database_url=url, var=tmp_path)
    assert backup.file_kind(target) == "postgresql"

    with psycopg.connect(**params) as conn:  # destroy (committed on leaving the block)
        conn.execute("DELETE FROM cases_caseevent")
        conn.execute("DROP TABLE places_household CASCADE")
        conn.execute("UPDATE cases_case SET description = 'overwritten'")
    assert _pg_snapshot(params) != before

    _civicloop("restore", "--no-input", str(target), database_url=url, var=tmp_path)
    assert _pg_snapshot(params) == before
    _civicloop("migrate", "--check", database_url=url, var=tmp_path)

    expected = {  # refused, nothing changed
        "junk": "is not a civicloop backup",
        "other SQLite database": "is a sqlite backup but the database is postgresql",
        "PostgreSQL archive": "pg_restore failed",  # the magic bytes, then an unreadable table of contents
        "missing": "is not a file",
    }
    for name, (file, _) in _not_backups(tmp_path).items():
        result = _civicloop("restore", "--no-input", str(file), database_url=url, var=tmp_path, check=False)
        assert result.returncode != 0 and expected[name] in result.stderr, (name, result.stderr)
    assert _pg_snapshot(params) == before

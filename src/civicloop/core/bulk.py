"""Writing generated rows fast: COPY on PostgreSQL, one INSERT run with `executemany` on SQLite.

`bulk_create` compiles one placeholder and adapts one value per cell through the field (`get_db_prep_save`); for
millions of rows that is most of the demo's time. `Table` reads each instance's values straight from its
`__dict__` (the attnames, as `Model.__init__` filled them: defaults included) and adapts only the columns that need
it — the same adaptation Django applies (datetimes as UTC text on SQLite, decimals through the field, JSON as
`json.dumps`). No signals, no `auto_now`: the caller sets every timestamp. Used by the demo generator, the
dashboard's one-pass fold and the cases' bulk registration (a 12345 import); shared here so none of them imports
another app's internals.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from functools import lru_cache

from django.core.management.color import no_style
from django.db import IntegrityError, connections, models

COPY_CHUNK = 20_000  # rows per COPY statement (PostgreSQL streams them; the chunk bounds the Python lists)


def sqlite_datetime(value):
    """As `DatabaseOperations.adapt_datetimefield_value` on SQLite with USE_TZ: naive UTC, `str()`."""
    if value is None:
        return None
    offset = value.utcoffset()
    if offset is None:  # naive: local time, as `astimezone` reads it
        return str(value.astimezone(dt.UTC))[:-6]
    # the naive UTC value's str (`isoformat(" ")`): its wall time less its offset, one conversion less
    return (value.replace(tzinfo=None) - offset).isoformat(" ")


_encode = json.JSONEncoder(check_circular=False).encode  # json.dumps's text, without the cycle check


def _json(value):
    return None if value is None else _encode(value)


def _adapter(field, connection):
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return sqlite_datetime if sqlite else None
    if isinstance(field, models.DateField):
        return (lambda v: None if v is None else str(v)) if sqlite else None
    if isinstance(field, models.DecimalField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.JSONField):
        return _json
    return None


class Table:
    """The columns of `model` (its auto primary key left out unless `pk`), and how to write rows of them."""

    def __init__(self, model, *, pk: bool = False, using: str = "default"):
        self.connection = connection = connections[using]
        meta = model._meta
        self.key = (meta.label_lower, pk, using)  # names this table to another process (`table_for`)
        self.fields = [f for f in meta.concrete_fields if pk or not f.primary_key]
        self.attnames = [f.attname for f in self.fields]
        self.adapters = [(i, a) for i, f in enumerate(self.fields) if (a := _adapter(f, connection)) is not None]
        qn = connection.ops.quote_name
        cols = ", ".join(qn(f.column) for f in self.fields)
        self.copy_sql = f"COPY {qn(meta.db_table)} ({cols}) FROM STDIN"
        self.insert_sql = f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES ({', '.join(['%s'] * len(self.fields))})"

    def row(self, obj) -> list:
        """The adapted values of model instance `obj`."""
        return self.values(obj.__dict__)

    def values(self, d: dict, default=None) -> list:
        """The adapted values of a mapping by attname (`default` for the ones it lacks, if given)."""
        values = [d[a] for a in self.attnames] if default is None else [d.get(a, default) for a in self.attnames]
        for i, adapt in self.adapters:
            values[i] = adapt(values[i])
        return values

    def write_objects(self, objs: Iterable) -> int:
        return self.write([self.row(o) for o in objs])

    def write(self, rows: Sequence[Sequence]) -> int:
        """Insert `rows` (values in `self.fields` order, already adapted). Returns their number."""
        if not rows:
            return 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                raw = cursor.cursor
                for start in range(0, len(rows), COPY_CHUNK):
                    with raw.copy(self.copy_sql) as copy:
                        for r in rows[start:start + COPY_CHUNK]:
                            copy.write_row(r)
            else:
                cursor.executemany(self.insert_sql, rows)
        return len(rows)


@lru_cache(maxsize=64)
def table_of(model, *, pk: bool = False, using: str = "default") -> Table:
    """The one `Table` of `model` (with its primary key if `pk`) in this process."""
    return Table(model, pk=pk, using=using)


def table_for(key: tuple) -> Table:
    """The `Table` a `Table.key` names (a row batch sent from a forked process names its tables by key)."""
    from django.apps import apps

    label, pk, using = key
    return table_of(apps.get_model(label), pk=pk, using=using)


class NewRows:
    """New rows as dicts by attname — the model's defaults (`get_default`, as `Model.__init__` fills them; a callable
    default called for each row), then the values — with the ids they will have (after the table's largest), so rows
    pointing at them are built before anything is written (`Table(model, pk=True).values(row)`). After writing:
    `reset_sequences`. The models named here have their largest id read now (a generator that hands the
    connection to a `Writer` reads nothing while it writes); any other, at its first row."""

    def __init__(self, *models, using: str = "default"):
        self.connection = connections[using]
        self.next: dict = {}
        self.defaults: dict = {}
        for model in models:
            self._start(model)

    def _start(self, model) -> None:
        last = model._default_manager.using(self.connection.alias).order_by("-pk").values_list("pk", flat=True).first()
        self.next[model] = (last or 0) + 1

    def row(self, model, **values) -> dict:
        if model not in self.defaults:
            fields = model._meta.concrete_fields
            self.defaults[model] = ({f.attname: f.get_default() for f in fields},
                                    [f for f in fields if f.has_default() and callable(f.default)])
        defaults, per_row = self.defaults[model]
        return {**defaults, **{f.attname: f.get_default() for f in per_row if f.attname not in values},
                **values, model._meta.pk.attname: self.next_id(model)}

    def next_id(self, model) -> int:
        """The id the next new row of `model` will have (taken: the one after is next) — for a generator that
        builds its own row objects and writes them with `Table(model, pk=True)`."""
        if model not in self.next:
            self._start(model)
        self.next[model] += 1
        return self.next[model] - 1

    def reset_sequences(self) -> None:
        """PostgreSQL: the sequences past the ids given (SQLite takes the largest id + 1 by itself)."""
        if self.connection.vendor == "postgresql" and self.next:
            with self.connection.cursor() as cursor:
                for sql in self.connection.ops.sequence_reset_sql(no_style(), list(self.next)):
                    cursor.execute(sql)


class Writer:
    """Writes batches — lists of (Table, rows) — on a second thread over the caller's connection (and transaction),
    so the database's own work overlaps the generation of the next batch: SQLite's inserts run outside the GIL,
    PostgreSQL's in its server process. At most `depth` batches wait. The caller must not use the connection
    between `start` and `close` (it prepares what it needs before: the demo warms its working-day calendar). An
    error in the thread is raised in the caller at the next `put` or at `close`; nothing after it is written."""

    def __init__(self, *, depth: int = 1, using: str = "default"):
        self.connection = connections[using]
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def __enter__(self) -> Writer:
        self.connection.inc_thread_sharing()
        self.thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
        self.thread.start()
        return self

    def put(self, batch: list[tuple[Table, Sequence]]) -> None:
        self._raise()
        self.queue.put(batch)

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the caller learns of the error
            try:
                for table, rows in batch:
                    table.write(rows)
            except BaseException as exc:  # handed to the caller's thread
                self.error = exc

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def __exit__(self, exc_type, exc, tb) -> None:
        self.queue.put(None)
        self.thread.join()
        self.connection.dec_thread_sharing()
        if exc is None:
            self._raise()


@contextmanager
def indexes_deferred(models_: Sequence, *, using: str = "default"):
    """While a bulk load fills the empty tables of `models_`, their non-unique secondary indexes are dropped; they
    are created again (from their own definitions) when the block ends normally — one sort per index instead of
    one B-tree insert per row and index (`cases_case` has twenty). Unique indexes and primary keys stay: they
    check the rows as before. A table that already has rows keeps its indexes. Inside the caller's transaction;
    if the block raises, the rollback restores the indexes (DDL is transactional on SQLite and PostgreSQL)."""
    connection = connections[using]
    dropped: list[str] = []
    empty = 0
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                continue
            empty += 1
            for name, sql in _secondary_indexes(cursor, connection.vendor, table):
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                dropped.append(sql)
        # PostgreSQL checks each row's foreign keys by a trigger (a lookup per row and key: most of the server's work
        # in a load of millions of events); a load filling only empty tables, where the role may, checks them once
        # per key afterwards instead (`_check_foreign_keys`) — in the transaction, so a broken load rolls back
        set_based = (connection.vendor == "postgresql" and empty == len(models_) and connection.in_atomic_block
                     and _superuser(cursor))
        if set_based:
            cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    with connection.cursor() as cursor:
        if set_based:
            cursor.execute("SET LOCAL session_replication_role = origin")
            _check_foreign_keys(cursor, connection, models_)
        if dropped and connection.vendor == "postgresql":
            # the load's foreign keys are checked at commit (deferred); PostgreSQL builds no index on a table with
            # such checks pending — run them now, as the commit would
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in dropped:
            cursor.execute(sql)
        if dropped and connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's foreign keys' own mode


def _superuser(cursor) -> bool:
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return bool(cursor.fetchone()[0])


def _check_foreign_keys(cursor, connection, models_: Sequence) -> None:
    """Every foreign key of the loaded tables points at a row: one anti-join per key (IntegrityError naming the
    table, column and value of the first that does not, as the row's trigger would have refused it)."""
    qn = connection.ops.quote_name
    for model in models_:
        for field in model._meta.concrete_fields:
            if field.remote_field is None or not field.db_constraint:
                continue
            child, column = qn(model._meta.db_table), qn(field.column)
            parent, key = qn(field.related_model._meta.db_table), qn(field.target_field.column)
            cursor.execute(f"SELECT c.{column} FROM {child} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "
                           f"(SELECT 1 FROM {parent} p WHERE p.{key} = c.{column}) LIMIT 1")
            if (row := cursor.fetchone()) is not None:
                raise IntegrityError(f"{model._meta.db_table}.{field.column} = {row[0]}: no such row in "
                                     f"{field.related_model._meta.db_table}")


def _secondary_indexes(cursor, vendor: str, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of `table`'s indexes that are neither unique nor behind a constraint."""
    if vendor == "sqlite":
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                       [table])
        return [(name, sql) for name, sql in cursor.fetchall() if not sql.lstrip().upper().startswith("CREATE UNIQUE")]
    if vendor == "postgresql":
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)", [table])
        return list(cursor.fetchall())
    return []

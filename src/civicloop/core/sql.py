"""Hand-written SQL for the few statements that run on every request, without losing what the ORM gives.

The ORM compiles every query afresh (CPU for every join with `select_related`); on the paths that run
for every request — loading the signed-in user, inserting a case and its event — that compile is most of the
cost (docs/decisions.md, decision 30). `Columns` compiles a model's column list, the converters Django would
apply to the values (SQLite datetimes, booleans, JSON) and the insert statement once per database connection
vendor, and builds model instances with `Model.from_db` exactly as a queryset would.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable
from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Expression, F
from django.db.models.fields import AutoFieldMixin


class Columns:
    """Some concrete fields of `model`, read as `alias.column, …` and turned back into an instance."""

    def __init__(self, model, fields: tuple[str, ...] | None, alias: str):
        self.model, self.alias = model, alias
        concrete = model._meta.concrete_fields
        wanted = None if fields is None else {model._meta.pk.name, *fields}
        self.fields = [f for f in concrete if wanted is None or f.name in wanted or f.attname in wanted]
        self.attnames = [f.attname for f in self.fields]

    def select(self, connection) -> str:
        qn = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{qn(f.column)}" for f in self.fields)

    def converters(self, connection) -> list[tuple[int, list, object]]:
        return _converters(self, connection.alias, connection.vendor)

    def build(self, connection, values):
        """The instance for `values` (this projection's slice of a row); None when the primary key is NULL
        (an outer join found nothing)."""
        values = list(values)
        if values[0] is None and self.fields[0].primary_key:
            return None
        for i, convs, col in self.converters(connection):
            for conv in convs:  # with the column: SQLite's decimal converter reads its field's places
                values[i] = conv(values[i], col, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


@cache
def _converters(columns: Columns, alias: str, vendor: str) -> list[tuple[int, list, object]]:
    connection = connections[alias]
    out = []
    for i, field in enumerate(columns.fields):
        col = field.get_col(columns.alias)
        convs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if convs:
            out.append((i, convs, col))
    return out


@cache
def insert_sql(model, vendor: str, alias: str) -> tuple[str, list]:
    """`INSERT INTO table (columns…) VALUES (%s, …) RETURNING pk` for every concrete field but an auto pk,
    and the fields in that order."""
    connection = connections[alias]
    qn = connection.ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and getattr(f, "db_returning", False))]
    cols = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {qn(meta.db_table)} ({cols}) VALUES ({marks}) RETURNING {qn(meta.pk.column)}", fields


def insert(obj) -> None:
    """Insert `obj` as `obj.save(force_insert=True)` would (field defaults, `auto_now_add`, the database's
    value adaptation), without compiling an ORM query; sets the primary key. No signals are sent: only for
    models that have none (the case and its events)."""
    connection = connections["default"]
    sql, fields = insert_sql(type(obj), connection.vendor, connection.alias)
    values = _db_values(obj, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = cursor.fetchone()[0]
    setattr(obj, type(obj)._meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = connection.alias


class Prepared:
    """A read the ORM builds and compiles once, run many times with other values (decision 33).

    `qs` is built with stand-in values — `Prepared(Case.objects.filter(pk__in=IDS, deadline__lt=NOW),
    ids=IDS, now=NOW)` — whose places among the compiled parameters are found once; `bind(ids=…, now=…)`
    gives the parameters with the real values in those places. Stand-ins must be values no other parameter of
    the query has (far-off datetimes, negative ids); a datetime is also found in the form the database adapts it
    to (SQLite binds text). `rows()` runs the statement and converts each column as the queryset would.
    A query that can match nothing (Django raises EmptyResultSet, e.g. for `pk__in=[]`) has `sql = None`.
    """

    def __init__(self, qs, **stand_ins):
        compiler = qs.query.get_compiler(qs.db)
        connection = compiler.connection
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            self.sql, self.params, self.slots, self.columns = None, [], [], []
            return
        self.sql, self.params = sql, list(params)
        self.columns = [col for col, _sql, _alias in compiler.select]
        self.slots: list[tuple[int, str, int | None]] = []  # (parameter index, stand-in name, element or None)
        for name, value in stand_ins.items():
            many = isinstance(value, list | tuple)
            for k, v in enumerate(value if many else [value]):
                forms = [v]
                if isinstance(v, dt.datetime):
                    forms.append(connection.ops.adapt_datetimefield_value(v))
                for i, p in enumerate(self.params):
                    if any(type(p) is type(f) and p == f for f in forms):
                        self.slots.append((i, name, k if many else None))

    def bind(self, connection, **values) -> list:
        """The parameters with each stand-in replaced by its value in `values`."""
        params = list(self.params)
        for i, name, k in self.slots:
            value = values[name] if k is None else values[name][k]
            if isinstance(self.params[i], str) and isinstance(value, dt.datetime):  # bound as text (SQLite)
                value = connection.ops.adapt_datetimefield_value(value)
            params[i] = value
        return params

    def rows(self, connection, **values) -> list[list]:
        """The statement's rows for `values`, each column converted as the queryset would convert it."""
        if self.sql is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bind(connection, **values))
            rows = cursor.fetchall()
        converters = [(i, convs, col) for i, col in enumerate(self.columns)
                      if (convs := connection.ops.get_db_converters(col) + col.get_db_converters(connection))]
        if not converters:
            return rows
        out = []
        for row in rows:
            row = list(row)
            for i, convs, col in converters:
                for conv in convs:
                    row[i] = conv(row[i], col, connection)
            out.append(row)
        return out


class PlanCache:
    """Compiled statements (`Prepared`, or a structure of them) kept per process under a key, for reads whose
    SQL depends on a few values — the viewer's scope — while their data is read fresh on every request (a
    prepared statement, not a result cache; decisions 32 and 36). Bounded: the least recently used plan goes
    first. The server's threads share it.

    `get(connection, key, build)` files the plan under `key` plus the connection's vendor and alias (SQL is
    compiled for one database), building it with `build()` the first time.
    """

    def __init__(self, size: int = 1024):
        self.size = size
        self._plans: dict[tuple, object] = {}  # most recently used last
        self._lock = threading.Lock()

    def get(self, connection, key: tuple[Hashable, ...], build: Callable[[], object]):
        key = (*key, connection.vendor, connection.alias)
        with self._lock:
            plan = self._plans.pop(key, None)
            if plan is not None:
                self._plans[key] = plan
                return plan
        # compiled outside the lock: two threads may both build a missing plan, the same one; the last is kept
        plan = build()
        with self._lock:
            while len(self._plans) >= self.size:
                self._plans.pop(next(iter(self._plans)))
            self._plans[key] = plan
        return plan

    def __iter__(self):
        """The keys held, least recently used first."""
        with self._lock:
            return iter(list(self._plans))

    def __len__(self) -> int:
        return len(self._plans)


def bulk_insert(objs: list, *, batch_size: int = 2000) -> None:
    """Insert new instances of one model as `bulk_create` would (field defaults, `auto_now_add`, the database's
    value adaptation; primary keys set on the instances; no signals), on PostgreSQL with COPY (decision 35):
    the ids are taken from the table's sequence first, then the rows are streamed with their ids. `bulk_create`
    spends most of a large import compiling one placeholder and one adapted value per cell. Elsewhere:
    `bulk_create`."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections["default"]
    meta = model._meta
    if connection.vendor != "postgresql" or not isinstance(meta.pk, AutoFieldMixin):
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    qn = connection.ops.quote_name
    fields = list(meta.concrete_fields)
    for obj in objs:  # as bulk_create: a related instance saved since its assignment gives its id now
        obj._prepare_related_fields_for_save(operation_name="bulk_insert")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [qn(meta.db_table), meta.pk.column, len(objs)])
        ids = [row[0] for row in cursor.fetchall()]
        for obj, pk in zip(objs, ids, strict=True):
            setattr(obj, meta.pk.attname, pk)
        columns = ", ".join(qn(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(_db_values(obj, fields, connection))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _db_values(obj, fields, connection) -> list:
    """`obj`'s values for a new row, as `save(force_insert=True)` prepares them (defaults, `auto_now_add`,
    the database's adaptation)."""
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


class InIds(Expression):
    """A filter `column IN (ids)` for lists of thousands of ids (a team's households): on PostgreSQL one array
    parameter (`column = ANY(%s)`) instead of a placeholder per id, which Django's lookup preparation and
    psycopg's client-side binding each walked one by one (most of a 2,000-subject field list's Python time);
    elsewhere the plain IN list. `qs.filter(InIds("household_id", ids))`; F() paths across joins work."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids):
        super().__init__()
        self.lhs, self.ids = F(column), list(ids)

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, exprs):
        (self.lhs,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        c = self.copy()
        c.lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c

    def as_sql(self, compiler, connection):
        if not self.ids:
            raise EmptyResultSet
        lhs, params = compiler.compile(self.lhs)
        if connection.vendor == "postgresql":
            # the array behind a sub-select: the planner does not estimate each of its thousands of elements
            # (several ms of planning per query) and picks index lookups, the ids being few in the table
            return f"{lhs} = ANY((SELECT %s)::bigint[])", [*params, self.ids]
        return f"{lhs} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]

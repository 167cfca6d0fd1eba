"""The city-year of issue 13's bench — 10,000,000 cases in a year — made from the demo's generated year by copies in
SQL (decision 95). PostgreSQL only; run by `bench/run.py`'s `city_year` step on a database of its own.

`civicloop demo` generates a year of 1,000,000 cases (with their events, side rows and the rest of the district) at
~10,700 rows a second here: 10,000,000 that way is about three hours. So the step generates one year and `multiply`
adds copies of its cases until the database holds the cases asked for, each copy `k` (1, 2 …) made by one
INSERT … SELECT per table of a case's own lifecycle:

- ids: every case id (and every reference to one: co-units, events, supervisions, extension requests, replies and
  their `via_case`, ratings, agenda items, `merged_into`, in the rows and in the events' before/after) plus
  k × span, span being the largest case id + 1; agenda items likewise, and their decisions follow them;
- tracking codes: a letter per copy after the district's prefix (XH2026-0004711 → XHB2026-0004711), still the
  `<letters>20YY-NNNNNNN` form; a work order's `external_id` gets "-k";
- categories: every leaf moves to its k-th next sibling under the same parent (in the case, in its events'
  before/after, its facts and returns), so a day's cases spread over the categories as a bigger intake's would
  instead of repeating the same groups ten times;
- moments: unchanged — the same days, weekdays and seasons, each hour's intake ten times over.

The dashboard's facts, returns and red stretches are copied with their cases (they are folded from the events, which
are copied alike), the district's rollups summed again from the facts (`dashboard.services.rollups_sum_district`),
and the watermark moved past the last event, so nothing is folded twice. The loaded tables' secondary indexes are
dropped before the copies and built again after; foreign keys are not checked row by row (the session runs as a
replica: every reference is an existing row or a copied one, and the step counts the orphans afterwards); then
VACUUM (ANALYZE) and CHECKPOINT. Not copied: notifications, agenda items' meetings (the copies join the same ones),
the rest of the district (places, units, households, visits …).
"""

from __future__ import annotations

import os
import time

from kit import shell

COPY_CODE = "left(c.tracking_code, length(c.tracking_code) - 12) || %(letter)s || right(c.tracking_code, 12)"
LETTERS = "BCDEFGHJKLMNPQRSTUVWXYZ"  # copy 1 → B …: no I or O (read as 1 and 0)

# An event's before/after as the copy's case row has them: its category moved (a hash join on the small map, not a
# function per row — 68 million events) and then its merge target's id.
_CATEGORY_OF = "CASE WHEN jsonb_typeof(c.{side} -> 'category_id') = 'number' THEN (c.{side} ->> 'category_id')::bigint END"
EVENT_JOIN = (
    f"LEFT JOIN city_year_categories ma ON ma.k = %(k)s AND ma.src = {_CATEGORY_OF.format(side='after')} "
    f"LEFT JOIN city_year_categories mb ON mb.k = %(k)s AND mb.src = {_CATEGORY_OF.format(side='before')} "
    "CROSS JOIN LATERAL (SELECT "
    "CASE WHEN ma.dst IS NULL THEN c.after ELSE jsonb_set(c.after, '{category_id}', to_jsonb(ma.dst)) END AS a, "
    "CASE WHEN mb.dst IS NULL THEN c.before ELSE jsonb_set(c.before, '{category_id}', to_jsonb(mb.dst)) END AS b) j")
MERGED = ("CASE WHEN jsonb_typeof({x} -> 'merged_into_id') = 'number' THEN jsonb_set({x}, '{{merged_into_id}}', "
          "to_jsonb(({x} ->> 'merged_into_id')::bigint + %(off)s)) ELSE {x} END")

# (table, {column: expression}) in the order they are copied; `c` is the original row, :k the copy, :off k × span,
# :ioff k × the agenda items' span. Columns not named are copied as they are; `id` is left to the sequence unless
# named.
COPIES = [
    ("cases_case", {
        "id": "c.id + %(off)s",
        "tracking_code": COPY_CODE,
        "external_id": "CASE WHEN c.external_id = '' THEN '' ELSE c.external_id || '-' || %(k)s END",
        "category_id": "COALESCE(m.dst, c.category_id)",
        "merged_into_id": "c.merged_into_id + %(off)s",
    }, "LEFT JOIN city_year_categories m ON m.k = %(k)s AND m.src = c.category_id"),
    ("cases_casecounit", {"case_id": "c.case_id + %(off)s"}, ""),
    ("cases_caseevent", {
        "case_id": "c.case_id + %(off)s",
        "before": MERGED.format(x="j.b"),
        "after": MERGED.format(x="j.a"),
    }, EVENT_JOIN),
    ("cases_supervision", {"case_id": "c.case_id + %(off)s"}, ""),
    ("cases_extensionrequest", {"case_id": "c.case_id + %(off)s"}, ""),
    ("cases_reply", {"case_id": "c.case_id + %(off)s", "via_case_id": "c.via_case_id + %(off)s"}, ""),
    ("cases_rating", {"case_id": "c.case_id + %(off)s"}, ""),
    ("cases_agendaitem", {"id": "c.id + %(ioff)s", "case_id": "c.case_id + %(off)s"}, ""),
    ("cases_decision", {"item_id": "c.item_id + %(ioff)s"}, ""),
    ("dashboard_casefact", {"case_id": "c.case_id + %(off)s", "category_id": "COALESCE(m.dst, c.category_id)"},
     "LEFT JOIN city_year_categories m ON m.k = %(k)s AND m.src = c.category_id"),
    ("dashboard_casereturn", {"case_id": "c.case_id + %(off)s", "category_id": "COALESCE(m.dst, c.category_id)"},
     "LEFT JOIN city_year_categories m ON m.k = %(k)s AND m.src = c.category_id"),
    ("dashboard_caseredspan", {"case_id": "c.case_id + %(off)s"}, ""),
]
# which original rows a table's copy reads: the district's, and only the generated year's (not earlier copies)
ORIGINAL = {"cases_case": "c.id < %(span)s", "cases_agendaitem": "c.id < %(ispan)s AND c.case_id < %(span)s",
            "cases_decision": "c.item_id < %(ispan)s"}

SECONDARY = """
SELECT 'index', i.relname, pg_get_indexdef(x.indexrelid), NULL FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
 WHERE x.indrelid = %(t)s::regclass AND NOT x.indisprimary
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
UNION ALL
SELECT 'constraint', conname, pg_get_constraintdef(oid), NULL FROM pg_constraint
 WHERE conrelid = %(t)s::regclass AND contype = 'u'
"""


def _columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        (table,))]


def _secondary(conn, table: str) -> list[tuple[str, str, str]]:
    return [(kind, name, sql) for kind, name, sql, _ in conn.execute(SECONDARY, {"t": table})]


def multiply(url: str, wanted: int, log=print) -> dict:
    """Copies of the demo district's generated cases (the district with the most) until the database holds `wanted`
    cases (the last copy stops there, by case id). Returns {seconds, rows, copies, cases, generated, tables}."""
    import psycopg

    started = time.perf_counter()
    rows_by_table: dict[str, int] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        total, span = conn.execute("SELECT count(*), COALESCE(max(id), 0) + 1 FROM cases_case").fetchone()
        if total >= wanted:
            return {"seconds": 0.0, "rows": 0, "copies": 0, "cases": total, "generated": total, "tables": {}}
        district, have = conn.execute("SELECT district_id, count(*) FROM cases_case GROUP BY district_id "
                                      "ORDER BY count(*) DESC LIMIT 1").fetchone()  # the demo's
        (ispan,) = conn.execute("SELECT COALESCE(max(id), 0) + 1 FROM cases_agendaitem").fetchone()
        (taken,) = conn.execute(  # copies made before: the first copy's codes exist already
            f"SELECT count(*) FROM cases_case WHERE tracking_code IN (SELECT {COPY_CODE} FROM cases_case c "
            "WHERE c.district_id = %(d)s ORDER BY c.id LIMIT 100)", {"d": district, "letter": LETTERS[0]}).fetchone()
        if taken:
            raise SystemExit("city-year: the database holds copies already; multiply a freshly generated year")
        copies = -(-(wanted - total) // have)
        if copies > len(LETTERS):
            raise SystemExit(f"city-year: {copies} copies wanted, at most {len(LETTERS)}")
        conn.execute("SET session_replication_role = replica")  # the bench's superuser: no row-by-row FK checks
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        conn.execute("DROP TABLE IF EXISTS city_year_categories")
        conn.execute("CREATE TEMP TABLE city_year_categories (k int, src bigint, dst bigint, PRIMARY KEY (k, src))")
        leaves = conn.execute("SELECT id, parent_id FROM cases_category WHERE parent_id IS NOT NULL ORDER BY parent_id, "
                              "code").fetchall()
        siblings: dict[int, list[int]] = {}
        for pk, parent in leaves:
            siblings.setdefault(parent, []).append(pk)
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO city_year_categories VALUES (%s, %s, %s)",
                            [(k, pk, group[(i + k) % len(group)]) for k in range(1, copies + 1)
                             for group in siblings.values() for i, pk in enumerate(group)])
        dropped = []
        for table, _made, _join in COPIES:
            for kind, name, sql in _secondary(conn, table):
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' if kind == "constraint"
                             else f'DROP INDEX "{name}"')
                dropped.append((table, kind, name, sql))
        log(f"   city-year: {total:,} cases ({have:,} of the district; span {span:,}), {copies} copies; "
            f"{len(dropped)} indexes dropped")
        for k in range(1, copies + 1):
            limit = wanted - total - have * (k - 1) if k == copies and total + have * copies > wanted else None
            params = {"k": k, "off": k * span, "ioff": k * ispan, "span": span, "ispan": ispan,
                      "letter": LETTERS[k - 1]}
            cut = None  # the last copy: only the cases up to the one that makes `wanted`
            if limit is not None:
                (cut,) = conn.execute("SELECT id FROM cases_case WHERE district_id = %s AND id < %s ORDER BY id "
                                      "OFFSET %s LIMIT 1", (district, span, limit)).fetchone()
            t = time.perf_counter()
            with conn.transaction():
                for table, made, join in COPIES:
                    cols = _columns(conn, table)
                    if "id" not in made:
                        cols = [c for c in cols if c != "id"]
                    select = ", ".join(made.get(col, f"c.{col}") for col in cols)
                    where = [f"c.district_id = {int(district)}", ORIGINAL.get(table, "c.case_id < %(span)s")]
                    if cut is not None:
                        key = "c.id" if table == "cases_case" else "c.case_id" if "case_id" in cols else None
                        if key:
                            where.append(f"{key} < {int(cut)}")
                        elif table == "cases_decision":
                            where.append(f"c.item_id IN (SELECT id FROM cases_agendaitem WHERE case_id < {int(cut)} "
                                         f"AND id < {int(ispan)})")
                    cur = conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {table} c {join} "
                                       f"WHERE {' AND '.join(where)}", params)
                    rows_by_table[table] = rows_by_table.get(table, 0) + cur.rowcount
            log(f"   city-year: copy {k} ({LETTERS[k - 1]}) in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        for table, kind, name, sql in dropped:
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {sql}' if kind == "constraint" else sql)
        for table in ("cases_case", "cases_agendaitem"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        log(f"   city-year: {len(dropped)} indexes built in {time.perf_counter() - t:.0f} s")
        orphans = conn.execute(
            "SELECT (SELECT count(*) FROM cases_caseevent e WHERE NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.id = e.case_id))"
            " + (SELECT count(*) FROM dashboard_casefact f WHERE NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.id = f.case_id))"
            " + (SELECT count(*) FROM cases_case c WHERE c.merged_into_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM cases_case m WHERE m.id = c.merged_into_id))"
            " + (SELECT count(*) FROM cases_decision d WHERE NOT EXISTS (SELECT 1 FROM cases_agendaitem i WHERE i.id = d.item_id))"
        ).fetchone()[0]
        if orphans:
            raise SystemExit(f"city-year: {orphans} copied rows point at no row")
        (last_event,) = conn.execute("SELECT max(id) FROM cases_caseevent").fetchone()
    t = time.perf_counter()
    shell(os.environ | {"DATABASE_URL": url}, RESUM.format(district=int(district), last=int(last_event)))
    log(f"   city-year: rollups summed from the facts in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")
        (cases,) = conn.execute("SELECT count(*) FROM cases_case").fetchone()
    log(f"   city-year: VACUUM (ANALYZE) and CHECKPOINT in {time.perf_counter() - t:.0f} s")
    return {"seconds": time.perf_counter() - started, "rows": sum(rows_by_table.values()), "copies": copies,
            "cases": cases, "generated": have, "tables": rows_by_table}


RESUM = """
from civicloop.dashboard.services import rollups_sum_district
from civicloop.places.models import Place
rollups_sum_district(Place.objects.get(pk={district}), through_event_id={last})
print("RESULT done")
"""

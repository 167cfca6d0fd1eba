"""PostgreSQL: each version row set at most once per transaction (decision 82).

Migration 0002's statement triggers set a team's or campaign's version to a fresh random number at every write
that touches it. A transaction writing many times (an import, the demo's generation, a test's fixtures) then
updated the same version row thousands of times; PostgreSQL keeps every one of those row versions until the
transaction ends (none can be pruned while it runs), and each later update walks the whole chain: the thousandth
case update of one transaction took seconds.

Now the triggers set a row to the transaction's token (`civicloop_version_token()`: a random number drawn at the
transaction's first bump and kept in a transaction-local setting) and skip the rows already at it: one new row
version per transaction, whatever it writes. Readers see the token only once the transaction commits, with all of
its writes. Inside the writing transaction itself the version already reads as the token while more writes may
follow, so `visits.field_list_cache` never keeps a body built at its own transaction's token.

SQLite keeps its per-row triggers (no row versions there: an update overwrites in place).
"""

import importlib

from django.db import migrations

initial = importlib.import_module("civicloop.visits.migrations.0002_list_versions")

TOKEN_FUNCTION = f"""
CREATE OR REPLACE FUNCTION civicloop_version_token() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    token text := current_setting('civicloop.version_token', true);
BEGIN
    IF token IS NULL OR token = '' THEN
        token := ({initial.PG_RANDOM})::text;
        PERFORM set_config('civicloop.version_token', token, true);
    END IF;
    RETURN token::bigint;
END
$$;"""


def once(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(TOKEN_FUNCTION)
            cursor.execute(initial._pg_create(once=True))  # CREATE OR REPLACE the trigger functions


def each_time(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(initial._pg_create(once=False))
            cursor.execute("DROP FUNCTION IF EXISTS civicloop_version_token();")


class Migration(migrations.Migration):

    dependencies = [("visits", "0002_list_versions")]

    operations = [migrations.RunPython(once, each_time, elidable=False)]

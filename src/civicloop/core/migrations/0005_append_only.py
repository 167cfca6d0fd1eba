"""The unmask log and the audit log refuse UPDATE and DELETE on PostgreSQL (issue 21), in SQL, whoever asks.

One exception, the purge of rows past the retention (`core.services.log_purge`): a DELETE passes when the
transaction has set `civicloop.purge = on` (`SET LOCAL`) and the row is older than the retention floor
(`core.constants.RETENTION_MIN_DAYS`, written into the function below), so not even the purge can remove a row
younger than six months. TRUNCATE is not refused (it fires no row trigger): it needs the table's owner, and the
test runner empties tables with it. SQLite has no such trigger: the models refuse (`core.models.AppendOnlyModel`).
"""

from django.db import migrations

TABLES = ("core_unmasklog", "core_auditlog")

CREATE = """
CREATE OR REPLACE FUNCTION civicloop_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('civicloop.purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'civicloop: % is append-only, % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
""" + "".join(f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION civicloop_append_only();
""" for table in TABLES)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + \
    "DROP FUNCTION IF EXISTS civicloop_append_only();"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the '%' of RAISE stays as written
    return run


class Migration(migrations.Migration):

    dependencies = [("core", "0004_unmask_reason")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]

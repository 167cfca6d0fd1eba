"""PostgreSQL: vacuum the case table after far fewer inserts and updates than the defaults (decision 34).

The inbox counts its sections by index-only scans, which only skip the table for pages the visibility map marks
all-visible; new and changed cases clear that mark until VACUUM runs. With the defaults (20 % of the table)
a 1 M-case table is vacuumed after ~200,000 changes, so a day's intake is counted by reading every new row's
page (figures in docs/decisions.md). Other databases: nothing to do.
"""

from django.db import migrations

SETTINGS = {
    "autovacuum_vacuum_insert_scale_factor": "0.005",  # + the default threshold of 1,000 rows
    "autovacuum_vacuum_scale_factor": "0.01",
    "autovacuum_analyze_scale_factor": "0.02",
}


def tune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("cases", "Case")._meta.db_table)
    options = ", ".join(f"{k} = {v}" for k, v in SETTINGS.items())
    schema_editor.execute(f"ALTER TABLE {table} SET ({options})")


def untune(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("cases", "Case")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_inbox_indexes")]

    operations = [migrations.RunPython(tune, untune, elidable=False)]

"""Readings partitioned by month on PostgreSQL (signs/partitions.py; SQLite keeps the plain table), and the foreign-key
indexes of the readings, rollups and latest values dropped: each table's key leads with the device (or the place),
and nothing reads by metric alone — two indexes fewer to keep per row and table at ingestion."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = "at timestamptz NOT NULL, value double precision NOT NULL, device_id bigint NOT NULL, metric_id bigint NOT NULL"


def _month_sql(first: dt.date) -> str:
    """As partitions.create_sql, frozen here (a migration must not change with the app's code)."""
    after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (f"CREATE TABLE IF NOT EXISTS signs_reading_y{first.year:04d}m{first.month:02d} PARTITION OF signs_reading "
            f"FOR VALUES FROM ('{first:%Y-%m-%d} 00:00:00+00') TO ('{after:%Y-%m-%d} 00:00:00+00')")


def partition(apps, schema_editor):
    """The plain table becomes a partitioned one with the same columns and key: a partition for every month that
    has readings and for this month and the next two; the rows copied over."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE signs_reading RENAME TO signs_reading_plain")
        cursor.execute("ALTER TABLE signs_reading_plain RENAME CONSTRAINT signs_reading_pkey TO signs_reading_plain_pkey")
        cursor.execute(f"CREATE TABLE signs_reading ({COLUMNS}, CONSTRAINT signs_reading_pkey "
                       "PRIMARY KEY (device_id, metric_id, at)) PARTITION BY RANGE (at)")
        cursor.execute("SELECT DISTINCT date_trunc('month', at AT TIME ZONE 'UTC')::date FROM signs_reading_plain")
        months = {row[0] for row in cursor.fetchall()}
        today = dt.datetime.now(dt.UTC).date().replace(day=1)
        for _ in range(3):
            months.add(today)
            today = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
        for month in sorted(months):
            cursor.execute(_month_sql(month))
        cursor.execute("INSERT INTO signs_reading (at, value, device_id, metric_id) "
                       "SELECT at, value, device_id, metric_id FROM signs_reading_plain")
        cursor.execute("DROP TABLE signs_reading_plain")
        # rows updated by every batch (an hour's sums, a series' newest value): room on their pages keeps those
        # updates HOT (no index entry per update; pages pruned in place)
        for table in ("signs_rollup", "signs_placerollup", "signs_latest"):
            cursor.execute(f"ALTER TABLE {table} SET (fillfactor = 50)")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE signs_reading RENAME TO signs_reading_parted")
        cursor.execute("ALTER TABLE signs_reading_parted RENAME CONSTRAINT signs_reading_pkey TO signs_reading_parted_pkey")
        cursor.execute(f"CREATE TABLE signs_reading ({COLUMNS}, CONSTRAINT signs_reading_pkey "
                       "PRIMARY KEY (device_id, metric_id, at))")
        cursor.execute("INSERT INTO signs_reading (at, value, device_id, metric_id) "
                       "SELECT at, value, device_id, metric_id FROM signs_reading_parted")
        cursor.execute("DROP TABLE signs_reading_parted")  # and its partitions
        for table in ("signs_rollup", "signs_placerollup", "signs_latest"):
            cursor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
        ('signs', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='latest',
            name='device',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='signs.device'),
        ),
        migrations.AlterField(
            model_name='latest',
            name='metric',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='signs.metric'),
        ),
        migrations.AlterField(
            model_name='placerollup',
            name='metric',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='signs.metric'),
        ),
        migrations.AlterField(
            model_name='placerollup',
            name='place',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='places.place'),
        ),
        migrations.AlterField(
            model_name='reading',
            name='device',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='signs.device'),
        ),
        migrations.AlterField(
            model_name='reading',
            name='metric',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='signs.metric'),
        ),
        migrations.AlterField(
            model_name='rollup',
            name='device',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='signs.device'),
        ),
        migrations.AlterField(
            model_name='rollup',
            name='metric',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='signs.metric'),
        ),
        migrations.AddIndex(
            model_name='rulestate',
            index=models.Index(condition=models.Q(('severity__gt', 0)), fields=['device'], name='signs_rulestate_judged'),
        ),
        migrations.AddIndex(
            model_name='alarm',
            index=models.Index(condition=models.Q(('cleared_at__isnull', True)), fields=['district', 'street', 'community'], name='signs_alarm_open'),
        ),
        migrations.RunPython(partition, unpartition),
    ]

"""The case table's PostgreSQL storage settings (migration 0005, decision 34)."""

import pytest
from django.db import connection

from civicloop.cases.models import Case

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_case_table_is_vacuumed_after_few_changes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Case._meta.db_table])
        options = dict(option.split("=", 1) for option in cursor.fetchone()[0])
    assert options == {"autovacuum_vacuum_insert_scale_factor": "0.005", "autovacuum_vacuum_scale_factor": "0.01",
                       "autovacuum_analyze_scale_factor": "0.02"}

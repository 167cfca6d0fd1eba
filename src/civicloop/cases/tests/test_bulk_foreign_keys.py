"""`core.bulk.indexes_deferred` on PostgreSQL: a load filling only empty tables has its foreign keys checked once
per key after the load (not by a trigger per row) — a row pointing nowhere still refuses the load, naming it."""

import pytest
from django.db import IntegrityError, connection, transaction

from civicloop.cases.models import CaseCoUnit
from civicloop.core.bulk import Table, indexes_deferred

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def _role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


def test_a_bulk_load_checks_its_foreign_keys_after_the_rows(world, flow):
    case = flow.dispatched()
    table = Table(CaseCoUnit)
    row = {"district_id": case.district_id, "case_id": case.pk, "unit_id": world.dept_handler.unit_id}
    assert not CaseCoUnit.objects.exists()
    with pytest.raises(IntegrityError, match=r"cases_casecounit\.unit_id = 987654321: no such row in orgs_unit"):
        with transaction.atomic(), indexes_deferred([CaseCoUnit]):
            assert _role() == "replica"  # no trigger per row while the rows go in
            table.write([table.values(row), table.values({**row, "unit_id": 987654321})])
    assert not CaseCoUnit.objects.exists() and _role() == "origin"
    with transaction.atomic(), indexes_deferred([CaseCoUnit]):
        table.write([table.values(row)])
    assert _role() == "origin"
    assert list(CaseCoUnit.objects.values_list("case_id", "unit_id")) == [(case.pk, world.dept_handler.unit_id)]
    # a table with rows already: the row's own trigger checks, as always
    with pytest.raises(IntegrityError), transaction.atomic(), indexes_deferred([CaseCoUnit]):
        assert _role() == "origin"
        table.write([table.values({**row, "case_id": 987654321})])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

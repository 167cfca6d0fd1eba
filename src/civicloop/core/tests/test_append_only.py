"""The unmask log and the audit log only grow: refused by the models (every database) and, on PostgreSQL, by a
trigger for any SQL; rows past the retention leave only through `log_purge`."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from civicloop.core.constants import AuditAction
from civicloop.core.models import AppendOnlyError, AuditLog, UnmaskLog
from civicloop.core.services import audit_write, log_purge, unmask_log
from civicloop.testing import make_user


def rows(world):
    audit = audit_write(action="login", user=world.leader)
    unmask = unmask_log(user=world.leader, district_id=world.district.pk, object_type="cases.case", object_id=1,
                        fields=["reporter_phone"], reason_code="verify")
    return audit, unmask


def test_the_models_refuse_change_and_delete(world):
    for row in rows(world):
        model = type(row)
        row.object_id = "2"
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).update(object_id="3")
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).delete()
        assert model.objects.get(pk=row.pk).object_id != "3"


def test_the_admin_offers_no_add_change_or_delete(client, world):
    audit, unmask = rows(world)
    client.force_login(make_user("root", None, superuser=True))
    for model, row in ((AuditLog, audit), (UnmaskLog, unmask)):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:core_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:core_{name}_add")).status_code == 403
        assert client.post(reverse(f"admin:core_{name}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
        assert client.post(reverse(f"admin:core_{name}_change", args=[row.pk]), {"object_id": "9"}).status_code == 403
        assert model.objects.filter(pk=row.pk).exists()


def _insert_old(table: str, days: int, **values) -> None:
    """A row as old as `days` (INSERT is allowed; `at` is otherwise set by the database time of saving)."""
    values["at"] = timezone.now() - dt.timedelta(days=days)
    columns = ", ".join(values)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(values))})",
                       list(values.values()))


def _old_rows(world, days):
    _insert_old("core_auditlog", days, action="login", username=f"old{days}", object_type="", object_id="",
                details="{}")
    _insert_old("core_unmasklog", days, user_id=world.leader.pk, district_id=world.district.pk,
                object_type="cases.case", object_id=str(days), fields="reporter_phone", reason_code="verify",
                reason="")


def test_purge_removes_only_rows_past_the_retention(world, settings):
    settings.LOG_RETENTION_DAYS = 200
    _old_rows(world, 400)
    _old_rows(world, 190)  # past the floor, not past the configured retention
    rows(world)
    counted = log_purge(dry_run=True)
    assert (counted["unmask_log"], counted["audit_log"]) == (1, 1)
    assert UnmaskLog.objects.count() == 3
    done = log_purge(actor=world.district_admin)
    assert (done["unmask_log"], done["audit_log"]) == (1, 1)
    assert sorted(UnmaskLog.objects.values_list("object_id", flat=True)) == ["1", "190"]
    assert not AuditLog.objects.filter(username="old400").exists()
    purge = AuditLog.objects.filter(action=AuditAction.LOG_PURGE).order_by("id").last()
    assert purge.user == world.district_admin and purge.details["audit_log"] == 1


def test_retention_below_six_months_is_refused(world, settings):
    settings.LOG_RETENTION_DAYS = 90
    with pytest.raises(ImproperlyConfigured):
        log_purge()


def test_purge_command(world, settings, capsys):
    _old_rows(world, 400)
    call_command("log_purge")
    assert "deleted 1 unmask-log and 1 audit-log rows" in capsys.readouterr().out
    assert not UnmaskLog.objects.exists()


# ----- PostgreSQL: the trigger refuses any UPDATE or DELETE, whoever sends it

def _refused(sql: str, params=()) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres_only
def test_postgresql_refuses_update_and_delete_in_sql(world):
    audit, unmask = rows(world)
    for table, pk in (("core_auditlog", audit.pk), ("core_unmasklog", unmask.pk)):
        _refused(f"UPDATE {table} SET object_id = 'x' WHERE id = %s", [pk])
        _refused(f"DELETE FROM {table} WHERE id = %s", [pk])
        _refused(f"DELETE FROM {table}")
    assert AuditLog.objects.filter(pk=audit.pk, object_id="").exists()
    assert UnmaskLog.objects.filter(pk=unmask.pk, object_id="1").exists()


@pytest.mark.postgres_only
def test_postgresql_purge_path_cannot_reach_rows_younger_than_six_months(world, settings):
    _old_rows(world, 400)
    _old_rows(world, 100)
    # even with the purge setting on, a row inside the floor cannot go
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL civicloop.purge = 'on'")
        cursor.execute("DELETE FROM core_unmasklog WHERE object_id = '100'")
    # and an old row only with it on
    _refused("DELETE FROM core_unmasklog WHERE object_id = '400'")
    assert log_purge()["unmask_log"] == 1
    assert list(UnmaskLog.objects.values_list("object_id", flat=True)) == ["100"]
    _old_rows(world, 401)
    _refused("DELETE FROM core_unmasklog WHERE object_id = '401'")  # the setting ends with the purge

"""The audit log (issue 21): one service writes it; the admin shows it and can neither add, change nor delete."""

from django.urls import reverse

from civicloop.core.models import AuditLog
from civicloop.core.services import audit_write
from civicloop.testing import make_user


def test_audit_write_takes_name_and_district_from_the_user(world):
    row = audit_write(action="place_edit", user=world.street_dispatcher, object_type="place",
                      object_id=world.comm_a1.code, ip="10.0.0.1", details={"field": "name"})
    row.refresh_from_db()
    assert (row.username, row.district_id, row.object_id, row.ip, row.details) == (
        "street_dispatcher", world.district.pk, world.comm_a1.code, "10.0.0.1", {"field": "name"})
    anonymous = audit_write(action="login_failed", username="x" * 300)
    assert anonymous.user_id is None and anonymous.district_id is None and len(anonymous.username) == 150


def test_admin_is_read_only(client, world):
    row = audit_write(action="login", user=world.leader)
    client.force_login(make_user("root", None, superuser=True))
    assert client.get(reverse("admin:core_auditlog_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditlog_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:core_auditlog_add")).status_code == 403
    assert client.post(reverse("admin:core_auditlog_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    page = client.post(reverse("admin:core_auditlog_change", args=[row.pk]), {"action": "changed"})
    assert page.status_code == 403
    assert AuditLog.objects.get(pk=row.pk).action == "login"
    changelist = client.get(reverse("admin:core_auditlog_changelist")).content.decode()
    assert 'value="delete_selected"' not in changelist

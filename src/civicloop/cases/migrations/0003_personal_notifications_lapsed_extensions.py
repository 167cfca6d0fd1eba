"""Notifications go to people (user required, own read_at); extension requests can lapse.

Unit-addressed notifications (user NULL) cannot be read by anyone any more: they are deleted (demo data is
regenerated). Requests still pending on a case outside the handling states (accepted, in_progress) lapse.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

HANDLING_STATES = ("accepted", "in_progress")


def forwards(apps, schema_editor):
    Notification = apps.get_model("cases", "Notification")
    ExtensionRequest = apps.get_model("cases", "ExtensionRequest")
    Notification.objects.filter(user__isnull=True).delete()
    (ExtensionRequest.objects.filter(state="pending").exclude(case__state__in=HANDLING_STATES)
     .update(state="lapsed", decided_at=timezone.now(), decision_note="工单已离开办理状态，延期申请自动失效。"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_casecounter_prefix"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="extensionrequest",
            name="state",
            field=models.CharField(
                choices=[("pending", "待审批"), ("approved", "已批准"), ("denied", "已驳回"), ("lapsed", "已失效")],
                default="pending", max_length=10, verbose_name="状态"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="notification", name="cases_notif_unit_id_6ea0da_idx"),
        migrations.AlterField(
            model_name="notification",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to=settings.AUTH_USER_MODEL),
        ),
    ]

"""A notification keeps its parts, not its sentence: the event's note moves out of the stored text (which was
"工单 <code>：<action> — <note>", in the writer's language), and `Notification.text` renders the rest in the
reader's language when read."""

from django.db import migrations, models

SEPARATOR = " — "  # how services.notifications joined the note to the sentence


def note_from_text(apps, schema_editor):
    Notification = apps.get_model("cases", "Notification")
    changed = []
    for n in Notification.objects.filter(text__contains=SEPARATOR).only("pk", "text").iterator(chunk_size=2000):
        n.note = n.text.partition(SEPARATOR)[2]
        changed.append(n)
        if len(changed) >= 2000:
            Notification.objects.bulk_update(changed, ["note"])
            changed = []
    Notification.objects.bulk_update(changed, ["note"])


def text_from_note(apps, schema_editor):
    # back to a stored sentence, in the source language (zh-Hans); the action is named by its code
    Notification = apps.get_model("cases", "Notification")
    changed = []
    for n in Notification.objects.select_related("case").iterator(chunk_size=2000):
        text = f"工单 {n.case.tracking_code}：{n.kind}" if n.case_id else n.kind
        n.text = (f"{text}{SEPARATOR}{n.note}" if n.note else text)[:300]
        changed.append(n)
    Notification.objects.bulk_update(changed, ["text"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_notification_actor'),
    ]

    operations = [
        migrations.AddField(
            model_name='notification',
            name='note',
            field=models.CharField(blank=True, max_length=300, verbose_name='备注'),
        ),
        migrations.RunPython(note_from_text, text_from_note),
        migrations.AlterField(  # so that the reverse adds the column back to rows that have one: filled above
            model_name='notification',
            name='text',
            field=models.CharField(default='', max_length=300),
        ),
        migrations.RemoveField(
            model_name='notification',
            name='text',
        ),
    ]

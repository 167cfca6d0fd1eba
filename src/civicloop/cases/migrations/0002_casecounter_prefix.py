from django.db import migrations, models


def fill_prefix(apps, schema_editor):
    CaseCounter = apps.get_model("cases", "CaseCounter")
    for counter in CaseCounter.objects.select_related("district").filter(prefix=""):
        counter.prefix = counter.district.abbr or counter.district.code[:6]
        counter.save(update_fields=["prefix"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.AddField(model_name="casecounter", name="prefix", field=models.CharField(blank=True, max_length=8)),
        migrations.RunPython(fill_prefix, migrations.RunPython.noop),
    ]

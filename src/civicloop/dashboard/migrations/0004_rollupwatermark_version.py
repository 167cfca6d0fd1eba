from django.db import migrations, models

import civicloop.dashboard.models


class Migration(migrations.Migration):

    dependencies = [
        ("dashboard", "0003_red_spans_and_street_rollups"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollupwatermark",
            name="version",
            field=models.CharField(default=civicloop.dashboard.models.new_version, max_length=32),
        ),
    ]

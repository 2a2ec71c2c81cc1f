"""The privacy officer's queue of source research still to decide, as a partial index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_case_list_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(
                condition=models.Q(("state", "requested")),
                fields=["requested_at"],
                name="consultation_pending_idx",
            ),
        ),
    ]

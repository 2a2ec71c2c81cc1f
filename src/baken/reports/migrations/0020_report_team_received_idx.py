"""An index of a team's reports by moment with their state (the weekly overview's count)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0019_retention_weighed_at_and_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("restricted_at__isnull", True)),
                fields=["team", "received_at", "status"],
                name="report_team_received_idx",
            ),
        ),
    ]

"""An index of a team's reports by state and postcode, for the inbox's filter by the start of
a postcode (`?area=1781`): the prefix a range of it (PostgreSQL: the pattern operator class)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0021_report_team_category_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["team", "status", "postcode"],
                name="report_team_postcode_idx",
                opclasses=["", "", "varchar_pattern_ops"],
            ),
        ),
    ]

"""The case list's order as an index (open cases first: PostgreSQL's DESC is NULLS FIRST)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_case_team_copies"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.OrderBy(models.F("closed_at"), descending=True),
                models.OrderBy(models.F("opened_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="case_list_idx",
            ),
        ),
    ]

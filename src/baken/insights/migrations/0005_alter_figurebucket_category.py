"""The figures' category now points to reports.Category (the same table, intake_category):
state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_alter_figurebucket_area"),
        ("reports", "0011_catalogue_and_report_parts"),
    ]

    operations = [
        # The state only: the table stays where it is, so no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="figurebucket",
                    name="category",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reports.category",
                    ),
                ),
            ],
        ),
    ]

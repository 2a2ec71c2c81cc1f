"""The routing rule's area now points to places.Area (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("reports", "0009_week_indexes"),
    ]

    operations = [
        # The state only: the table stays where it is, so no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="routingrule",
                    name="area",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="routing_rules",
                        to="places.area",
                        verbose_name="area",
                    ),
                ),
            ],
        ),
    ]

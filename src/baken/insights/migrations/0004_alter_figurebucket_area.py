"""The figure bucket's area now points to places.Area (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_figures"),
        ("places", "0001_initial"),
    ]

    operations = [
        # The state only: the table stays where it is, so no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="figurebucket",
                    name="area",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="places.area",
                    ),
                ),
            ],
        ),
    ]

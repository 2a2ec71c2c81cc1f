"""Areas and the address register now belong to the places app (places 0001): removed from
this app's state only; their tables stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_alter_figurebucket_area"),
        ("reports", "0010_alter_routingrule_area"),
        ("subjects", "0005_search_report_mentions"),
    ]

    operations = [
        # The state only: the table stays where it is, so no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Area",
                ),
                migrations.DeleteModel(
                    name="RegisteredAddress",
                ),
            ],
        ),
    ]

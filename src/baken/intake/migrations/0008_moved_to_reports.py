"""The category catalogue and the parts of a report the Meldpunt stores now belong to the
reports app (reports 0011): removed from this app's state only; their tables stay as they
are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0005_alter_figurebucket_category"),
        ("intake", "0007_category_motorbendes_dutch_name"),
        ("reports", "0011_catalogue_and_report_parts"),
    ]

    operations = [
        # The state only: the tables stay where they are, so no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Indicator"),
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="Category"),
                migrations.DeleteModel(name="Message"),
                migrations.DeleteModel(name="Attachment"),
                migrations.DeleteModel(name="Receipt"),
                migrations.DeleteModel(name="ReporterContact"),
            ],
        ),
    ]

"""The triage queue as a column the database keeps (a stored generated column), with an index
per team and per person, so the inbox reads the oldest reports of the queue in order.

Adding a stored generated column makes Django rebuild the table on SQLite, which dropped the
hand-made partial index of 0004; that index is now declared on the model (so that later
rebuilds keep it) and made again here (the search triggers come back after every migrate:
subjects/search_index.py)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("intake", "0005_triage"),
        ("reports", "0006_routing_rule_area"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="in_queue",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.ExpressionWrapper(
                    models.Q(
                        ("merged_into__isnull", True),
                        ("status__in", ("received", "in_triage", "awaiting_reporter", "weighed")),
                    ),
                    output_field=models.BooleanField(),
                ),
                output_field=models.BooleanField(),
                verbose_name="in the triage queue",
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["team", "in_queue", "received_at"], name="report_team_queue_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["assignee", "in_queue", "received_at"], name="report_assignee_queue_idx"
            ),
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS report_queue_team_idx",
            reverse_sql=migrations.RunSQL.noop,
            elidable=False,
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["team", "status", "received_at"],
                name="report_queue_team_idx",
            ),
        ),
    ]

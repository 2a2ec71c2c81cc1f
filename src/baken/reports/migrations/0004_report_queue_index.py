"""An index for the inbox's counts per state: the work queue (reports not merged into
another) of a team by state, so that counting a team's queue reads the index only.

Partial (WHERE merged_into_id IS NULL, the same SQL on SQLite and PostgreSQL), which Django's
Index can express, but kept out of the model state on purpose: models.py is not this change's,
and the index changes no behaviour, only plans.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS report_queue_team_idx ON reports_report (team_id, status, received_at) "
    "WHERE merged_into_id IS NULL"
)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_default_criteria")]

    operations = [
        migrations.RunSQL(
            CREATE, reverse_sql="DROP INDEX IF EXISTS report_queue_team_idx", elidable=False
        )
    ]

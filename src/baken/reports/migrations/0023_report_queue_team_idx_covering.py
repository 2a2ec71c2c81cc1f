"""The index a team's counts per state read (report_queue_team_idx) carries the columns they
also test (restricted_at, in_queue, category), so that they read no table row: at 5 million
reports "in triage and overdue" and-ed the whole state's index with the team's queue
instead (43-149 ms; with these columns an index-only scan of 1,001 entries, 0.7 ms).
PostgreSQL builds it anew (with cases 0015, 24 s at 4,980,305 reports; writes to the report
table wait meanwhile: CHANGELOG.md); SQLite has no INCLUDE and keeps the same index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0022_report_team_postcode_idx"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="report", name="report_queue_team_idx"),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["team", "status", "received_at"],
                include=("restricted_at", "in_queue", "category"),
                name="report_queue_team_idx",
            ),
        ),
    ]

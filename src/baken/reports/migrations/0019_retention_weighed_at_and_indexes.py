"""Retention at scale (issue 18, ADR 0029 addendum): a decided report's period is counted from
`weighed_at`, the moment of its decision, instead of grouping every decided report's decisions.

`weighed_at` was written with every decision since 0002; reports loaded without it (the demo
generator before this change) or whose decisions were moved are filled in from their latest
decision, so that no report becomes due later, or earlier, than it did. Two partial indexes:
the decided reports per state by that moment, and the reports never weighed by their receipt
(the privacy officer's list, oldest first)."""

from django.db import migrations, models

# One pass over the decisions grouped per report (a correlated MAX per report was planned as a
# backward walk of the decisions' date index for each one); UPDATE … FROM works on PostgreSQL
# and SQLite 3.33+.
FILL = """
UPDATE reports_report
SET weighed_at = latest.at
FROM (SELECT report_id, MAX(at) AS at FROM reports_decision GROUP BY report_id) AS latest
WHERE latest.report_id = reports_report.id
AND (reports_report.weighed_at IS NULL OR reports_report.weighed_at <> latest.at)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0018_report_signs"),
    ]

    operations = [
        # Before the indexes, so that the updates stay heap-only (no index holds weighed_at
        # yet): with the indexes first the fill took minutes at 100,000 reports. An index
        # built over rows just updated is used by PostgreSQL once every transaction older
        # than the migration has ended (indcheckxmin).
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["status", "weighed_at"],
                name="report_decided_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("received", "in_triage", "awaiting_reporter", "weighed"))
                ),
                fields=["received_at"],
                name="report_unweighed_idx",
            ),
        ),
    ]

"""Each case report keeps a copy of its report's team (CaseReport.report_team, ADR 0035)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_teams(apps, schema_editor):
    """One UPDATE: every case report takes its report's team."""
    CaseReport = apps.get_model("cases", "CaseReport")
    Report = apps.get_model("reports", "Report")
    team = Report.objects.filter(pk=OuterRef("report_id")).values("team_id")[:1]
    CaseReport.objects.update(report_team_id=Subquery(team))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_sso"),
        ("cases", "0011_casekey"),
        ("reports", "0018_report_signs"),
    ]

    operations = [
        migrations.AddField(
            model_name="casereport",
            name="report_team",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.team",
                verbose_name="team of the report",
            ),
        ),
        migrations.RunPython(copy_teams, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="casereport",
            index=models.Index(
                fields=["case", "report_team", "report"], name="case_report_team_idx"
            ),
        ),
    ]

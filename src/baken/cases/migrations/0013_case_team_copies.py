"""Each case report and each membership keeps a copy of its case's team (`case_team`), and the
few case reports of another team than their case's (`outside_case_team`, a column the database
computes) are in a partial index (ADR 0035)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_teams(apps, schema_editor):
    """One UPDATE per table: every case report and membership takes its case's team."""
    Case = apps.get_model("cases", "Case")
    team = Case.objects.filter(pk=OuterRef("case_id")).values("team_id")[:1]
    for name in ("CaseReport", "CaseMember"):
        apps.get_model("cases", name).objects.update(case_team_id=Subquery(team))


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE cases_casereport, cases_casemember")


def team_field(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="accounts.team",
        verbose_name="team of the case",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_sso"),
        ("cases", "0012_case_report_team"),
    ]

    operations = [
        migrations.AddField(model_name="casereport", name="case_team", field=team_field(True)),
        migrations.AddField(model_name="casemember", name="case_team", field=team_field(True)),
        migrations.RunPython(copy_teams, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(model_name="casereport", name="case_team", field=team_field(False)),
        migrations.AlterField(model_name="casemember", name="case_team", field=team_field(False)),
        migrations.AddField(
            model_name="casereport",
            name="outside_case_team",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(report_team=models.F("case_team"), then=models.Value(False)),
                    default=models.Value(True),
                ),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(
            model_name="casereport",
            index=models.Index(
                condition=models.Q(outside_case_team=True),
                fields=["case_team", "case", "report"],
                name="case_report_outside_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="casemember",
            index=models.Index(
                condition=models.Q(removed_at__isnull=True),
                fields=["user", "case_team", "case"],
                name="case_member_team_idx",
            ),
        ),
        # The planner's statistics of the new columns now, not at the next autovacuum: how
        # few case reports are outside their case's team decides the inbox's plan.
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]

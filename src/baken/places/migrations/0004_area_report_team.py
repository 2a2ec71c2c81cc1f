"""Each area membership keeps a copy of its report's team (AreaReport.team, issue 18).

Fast at any size: a nullable column and a flag on the areas (no rewrite), an index, and on
PostgreSQL the joint statistics of area and team. The memberships there are keep NULL and
their areas say their teams are not known (Area.teams_known), so the filter by area reads
them as before; `baken areas teams` fills them in afterwards, in batches, while the
application runs (places/areas.py area_report_teams_fill). The joint statistics let the
planner see that a team has next to no reports in an area far from its patch (area and team
are far from independent), so that it reads the few memberships rather than every report of
the team."""

import django.db.models.deletion
from django.db import migrations, models


def statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS places_areareport_area_team (mcv) "
            "ON area_id, team_id FROM places_areareport"
        )


def statistics_dropped(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS places_areareport_area_team")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_sso"),
        ("places", "0003_area_report_fill"),
    ]

    operations = [
        migrations.AddField(
            model_name="area",
            name="teams_known",
            field=models.BooleanField(default=False, verbose_name="teams of its reports known"),
        ),
        migrations.AddField(
            model_name="areareport",
            name="team",
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
        migrations.AddIndex(
            model_name="areareport",
            index=models.Index(fields=["area", "team", "report"], name="area_report_team_idx"),
        ),
        migrations.RunPython(statistics, statistics_dropped),
    ]

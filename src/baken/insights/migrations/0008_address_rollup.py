"""The address hotspots' rollup (AddressBucket, issue 18). The figures' watermark is set back to
0, so the next refresh rebuilds every week, these rows with the others."""

import django.db.models.deletion
from django.db import migrations, models


def rebuild_all(apps, schema_editor):
    apps.get_model("insights", "FigureState").objects.filter(pk=1).update(seen_report_id=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_sso"),
        ("insights", "0007_awareness_marks_consumed"),
    ]

    operations = [
        migrations.CreateModel(
            name="AddressBucket",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("week", models.DateField(verbose_name="week")),
                ("postcode", models.CharField(max_length=6, verbose_name="postcode")),
                ("house_number", models.PositiveIntegerField(verbose_name="house number")),
                ("street", models.CharField(blank=True, max_length=200, verbose_name="street")),
                ("city", models.CharField(blank=True, max_length=200, verbose_name="city")),
                ("reports", models.PositiveIntegerField(verbose_name="reports")),
                (
                    "team",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.team",
                    ),
                ),
            ],
            options={
                "verbose_name": "address figure bucket",
                "verbose_name_plural": "address figure buckets",
                "indexes": [
                    models.Index(fields=["team", "week"], name="address_team_week_idx"),
                    models.Index(fields=["week"], name="address_week_idx"),
                ],
            },
        ),
        migrations.RunPython(rebuild_all, migrations.RunPython.noop),
    ]

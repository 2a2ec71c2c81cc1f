"""Areas and the address register move here from the subjects app (issue 14): in the state
only, keeping the tables subjects_area and subjects_registeredaddress, so no data moves."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("subjects", "0005_search_report_mentions"),
    ]

    operations = [
        # The state only: the table stays where it is, so no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Area",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=32, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("kind", models.CharField(blank=True, max_length=32, verbose_name="kind")),
                        ("geometry", models.JSONField(verbose_name="geometry")),
                        ("min_lat", models.FloatField()),
                        ("min_lon", models.FloatField()),
                        ("max_lat", models.FloatField()),
                        ("max_lon", models.FloatField()),
                    ],
                    options={
                        "verbose_name": "area",
                        "verbose_name_plural": "areas",
                        "db_table": "subjects_area",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="RegisteredAddress",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("postcode", models.CharField(max_length=6, verbose_name="postcode")),
                        ("house_number", models.PositiveIntegerField(verbose_name="house number")),
                        (
                            "house_letter",
                            models.CharField(blank=True, max_length=1, verbose_name="house letter"),
                        ),
                        (
                            "addition",
                            models.CharField(blank=True, max_length=10, verbose_name="addition"),
                        ),
                        ("street", models.CharField(max_length=200, verbose_name="street")),
                        ("city", models.CharField(max_length=200, verbose_name="town")),
                        ("lat", models.FloatField(blank=True, null=True, verbose_name="latitude")),
                        ("lon", models.FloatField(blank=True, null=True, verbose_name="longitude")),
                    ],
                    options={
                        "verbose_name": "registered address",
                        "verbose_name_plural": "registered addresses",
                        "db_table": "subjects_registeredaddress",
                        "ordering": ["postcode", "house_number", "house_letter", "addition"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("postcode", "house_number", "house_letter", "addition"),
                                name="registered_address_unique",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]

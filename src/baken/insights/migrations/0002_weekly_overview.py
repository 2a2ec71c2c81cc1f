# The weekly overview (issue 7): one snapshot per ISO week, the subscribers, and who was mailed
# which week.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WeeklyOverview",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("week", models.CharField(max_length=8, unique=True, verbose_name="week")),
                ("week_start", models.DateField(unique=True, verbose_name="first day")),
                ("data", models.JSONField(verbose_name="content")),
                ("digest", models.CharField(max_length=64, verbose_name="fingerprint")),
                ("built_at", models.DateTimeField(verbose_name="built at")),
            ],
            options={
                "verbose_name": "weekly overview",
                "verbose_name_plural": "weekly overviews",
                "ordering": ["-week_start"],
            },
        ),
        migrations.CreateModel(
            name="OverviewSubscription",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subscribed_at", models.DateTimeField(verbose_name="subscribed at")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="overview_subscription",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "weekly overview subscription",
                "verbose_name_plural": "weekly overview subscriptions",
            },
        ),
        migrations.CreateModel(
            name="OverviewMailing",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_at", models.DateTimeField(verbose_name="sent at")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "overview",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mailings",
                        to="insights.weeklyoverview",
                        verbose_name="weekly overview",
                    ),
                ),
            ],
            options={
                "verbose_name": "weekly overview mailing",
                "verbose_name_plural": "weekly overview mailings",
                "ordering": ["overview", "user"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("overview", "user"), name="overview_mailing_unique"
                    )
                ],
            },
        ),
    ]

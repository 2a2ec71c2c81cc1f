"""The category catalogue and the parts of a report the Meldpunt stores (receipt, contact
details, attachments, messages) move here from the intake app (issue 14, ADR 0026): in the
state only, keeping their tables intake_category, intake_indicator, intake_question,
intake_receipt, intake_reportercontact, intake_attachment and intake_message, so no data
moves. Their content types follow them, so that permissions and admin log entries that name
them still resolve."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = (
    "category",
    "indicator",
    "question",
    "receipt",
    "reportercontact",
    "attachment",
    "message",
)


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # made by an earlier run; the old one stays behind, unused
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_to_reports(apps, schema_editor) -> None:
    _relabel(apps, "intake", "reports")


def content_types_to_intake(apps, schema_editor) -> None:
    _relabel(apps, "reports", "intake")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0007_category_motorbendes_dutch_name"),
        ("reports", "0010_alter_routingrule_area"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The state only: the tables stay where they are, so no data moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Category",
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
                        ("code", models.SlugField(max_length=64, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "position",
                            models.PositiveIntegerField(default=0, verbose_name="position"),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "deadline_days",
                            models.PositiveSmallIntegerField(
                                default=10,
                                help_text="Reports of this category not weighed within this many days are overdue.",
                                verbose_name="days to first weighing",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "category",
                        "verbose_name_plural": "categories",
                        "db_table": "intake_category",
                        "ordering": ["position", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Receipt",
                    fields=[
                        (
                            "report",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="receipt",
                                serialize=False,
                                to="reports.report",
                            ),
                        ),
                        ("code_hash", models.CharField(max_length=64, unique=True)),
                    ],
                    options={
                        "verbose_name": "receipt",
                        "verbose_name_plural": "receipts",
                        "db_table": "intake_receipt",
                    },
                ),
                migrations.CreateModel(
                    name="ReporterContact",
                    fields=[
                        (
                            "report",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="contact",
                                serialize=False,
                                to="reports.report",
                            ),
                        ),
                        ("ciphertext", models.BinaryField()),
                    ],
                    options={
                        "verbose_name": "reporter contact",
                        "verbose_name_plural": "reporter contacts",
                        "db_table": "intake_reportercontact",
                    },
                ),
                migrations.CreateModel(
                    name="Attachment",
                    fields=[
                        ("id", models.UUIDField(editable=False, primary_key=True, serialize=False)),
                        (
                            "content_type",
                            models.CharField(max_length=64, verbose_name="content type"),
                        ),
                        ("size", models.PositiveIntegerField(verbose_name="size")),
                        (
                            "original_name",
                            models.CharField(blank=True, max_length=200, verbose_name="file name"),
                        ),
                        (
                            "uploaded_at",
                            models.DateTimeField(db_index=True, verbose_name="uploaded at"),
                        ),
                        (
                            "added_later",
                            models.BooleanField(
                                default=False, verbose_name="added later by the reporter"
                            ),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="reports.report",
                                verbose_name="report",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "attachment",
                        "verbose_name_plural": "attachments",
                        "db_table": "intake_attachment",
                        "ordering": ["uploaded_at"],
                    },
                ),
                migrations.AlterField(
                    model_name="report",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reports",
                        to="reports.category",
                        verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="routingrule",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reports.category",
                        verbose_name="category",
                    ),
                ),
                migrations.CreateModel(
                    name="Indicator",
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
                        ("text", models.CharField(max_length=300, verbose_name="text")),
                        (
                            "position",
                            models.PositiveIntegerField(default=0, verbose_name="position"),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="indicators",
                                to="reports.category",
                                verbose_name="category",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "indicator",
                        "verbose_name_plural": "indicators",
                        "db_table": "intake_indicator",
                        "ordering": ["category", "position"],
                    },
                ),
                migrations.CreateModel(
                    name="Message",
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
                        (
                            "author",
                            models.CharField(
                                choices=[("team", "Team"), ("reporter", "Reporter")],
                                max_length=16,
                                verbose_name="author",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="text")),
                        (
                            "is_question",
                            models.BooleanField(default=False, verbose_name="question"),
                        ),
                        ("sent_at", models.DateTimeField(verbose_name="sent at")),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="messages",
                                to="reports.report",
                                verbose_name="report",
                            ),
                        ),
                        (
                            "sender",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="sent by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "message",
                        "verbose_name_plural": "messages",
                        "db_table": "intake_message",
                        "ordering": ["report", "sent_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Question",
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
                        ("code", models.SlugField(verbose_name="code")),
                        ("text", models.CharField(max_length=300, verbose_name="question")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("text", "Free text"),
                                    ("yes_no", "Yes or no"),
                                    ("choice", "One of a list"),
                                ],
                                default="text",
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "choices",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="For 'one of a list': the options.",
                                verbose_name="choices",
                            ),
                        ),
                        ("required", models.BooleanField(default=False, verbose_name="required")),
                        (
                            "position",
                            models.PositiveIntegerField(default=0, verbose_name="position"),
                        ),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="reports.category",
                                verbose_name="category",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "extra question",
                        "verbose_name_plural": "extra questions",
                        "db_table": "intake_question",
                        "ordering": ["category", "position"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("category", "code"), name="question_code_unique"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_to_reports, content_types_to_intake),
    ]

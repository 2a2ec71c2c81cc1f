"""Each report's own key (crypto-shredding, issue 15, ADR 0031): the key store, the
attachments' file keys and the messages' encrypted text. 0014 fills them from the data
under the old scheme; 0015 drops the messages' plain text."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0012_closed_receipt"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportKey",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="own_key",
                        serialize=False,
                        to="reports.report",
                    ),
                ),
                ("wrapped", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "report key",
                "verbose_name_plural": "report keys",
            },
        ),
        migrations.AddField(
            model_name="attachment",
            name="file_key",
            field=models.BinaryField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="message",
            name="ciphertext",
            field=models.BinaryField(editable=False, null=True),
        ),
        # Emptied by 0014 once encrypted (a default, so that 0015 can be reversed).
        migrations.AlterField(
            model_name="message",
            name="text",
            field=models.TextField(blank=True, default="", verbose_name="text"),
        ),
    ]

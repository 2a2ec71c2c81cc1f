"""The messages' text is only kept encrypted under the report's key (0014, ADR 0031)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0014_report_keys_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="message", name="text"),
        migrations.AlterField(
            model_name="message",
            name="ciphertext",
            field=models.BinaryField(editable=False),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="file_key",
            field=models.BinaryField(editable=False),
        ),
    ]

# The insights app's first migration: its models come in the migrations after it.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0008_partial_assignee_indexes"),
        ("cases", "0005_tasks"),
    ]

    operations = []

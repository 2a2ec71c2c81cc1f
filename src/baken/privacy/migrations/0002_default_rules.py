"""The default retention rules, in force from the start (privacy/rules.py says where each
comes from). A municipality changes them as new versions on the rules page."""

from django.db import migrations
from django.utils import timezone

from baken.privacy.rules import DEFAULTS


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    now = timezone.now()
    for default in DEFAULTS:
        if RetentionRule.objects.filter(kind=default.kind).exists():
            continue
        RetentionRule.objects.create(
            kind=default.kind,
            version=1,
            period_amount=default.amount,
            period_unit=default.unit,
            legal_source=default.legal_source,
            explanation="Standaardregel van Baken.",
            state="in_force",
            proposed_at=now,
            decided_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]

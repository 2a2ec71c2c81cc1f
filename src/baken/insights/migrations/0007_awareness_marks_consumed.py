"""The awareness rollup consumes its stale-week marks (FigureStaleWeek.awareness_done) instead of
reading those above an id watermark (FigureState.awareness_seen_mark_id, removed): on
PostgreSQL ids are handed out before commit, so a mark committed out of order lay below the
watermark and was skipped. The marks present now are left to be read (their weeks rebuilt once
more)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0006_awareness_rollup"),
    ]

    operations = [
        migrations.AddField(
            model_name="figurestaleweek",
            name="awareness_done",
            field=models.BooleanField(default=False),
        ),
        migrations.RemoveField(
            model_name="figurestate",
            name="awareness_seen_mark_id",
        ),
    ]

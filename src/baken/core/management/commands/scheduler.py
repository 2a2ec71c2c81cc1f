from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from baken.core import scheduling


class Command(BaseCommand):
    help = (
        "Enqueue the scheduled tasks (settings SCHEDULE) when they come due; the tasks worker "
        "(`baken db_worker`) runs them. --once: enqueue what is due now and stop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then stop")
        parser.add_argument(
            "--list",
            action="store_true",
            dest="show",
            help="show the schedule with the next due times",
        )

    @no_translations
    def handle(self, *args, once: bool, show: bool, **options):
        try:
            entries = scheduling.entries()
        except scheduling.ScheduleError as error:
            raise CommandError(str(error)) from None
        now = timezone.now()
        if show:
            for entry in entries:
                due = scheduling.next_due(entry, now)
                self.stdout.write(f"{entry.name:24} {entry.cron:16} next {due:%Y-%m-%d %H:%M %Z}")
            return
        if once:
            # As a cron job: what came due in the last minute.
            runs = scheduling.tick(now=now, since=now - timedelta(minutes=1))
            for run in runs:
                self.stdout.write(f"enqueued {run.name} (due {run.due_at:%Y-%m-%d %H:%M})")
            return
        self.stdout.write(f"Scheduler running: {', '.join(e.name for e in entries) or 'nothing'}")
        scheduling.run_forever()

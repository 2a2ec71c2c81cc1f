from django.core.management.base import BaseCommand
from django.utils import translation

from baken.privacy.presenting import line_rows
from baken.privacy.retention import lower_priority, run


class Command(BaseCommand):
    help = (
        "Retention. `baken retention run` applies every rule in force (docs/retention.md); "
        "`--dry-run` only prints what is due and held."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("run", help="apply the rules in force")
        run.add_argument("--dry-run", action="store_true", help="only count, change nothing")

    def handle(self, *args, subcommand, dry_run=False, **options):
        if not dry_run:
            lower_priority()  # the web first (settings.RETENTION_NICE)
        with translation.override("nl"):
            record, lines = run(dry_run=dry_run)
            heading = "Proefrun: er is niets veranderd." if dry_run else f"Run {record.pk}."
            self.stdout.write(heading)
            for row in line_rows(lines):
                self.stdout.write(row)

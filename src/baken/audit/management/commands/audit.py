from django.core.management.base import BaseCommand, CommandError

from baken.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. `baken audit verify` checks the whole hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="check the hash chain; exit 1 at the first broken entry")

    def handle(self, *args, subcommand, **options):
        verdict = verify_chain()
        if not verdict.ok:
            self.stderr.write(
                f"Audit log broken at entry #{verdict.broken_seq}: {verdict.reason} "
                f"({verdict.checked} entries before it are intact)."
            )
            raise CommandError("audit log verification failed", returncode=1)
        self.stdout.write(f"Audit log intact: {verdict.checked} entries verified.")

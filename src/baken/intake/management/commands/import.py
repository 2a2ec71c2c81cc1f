import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baken.intake.importing import UnreadableFile, import_file


class Command(BaseCommand):
    help = "Import a legacy register (CSV or XLSX) as reports. All rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--channel", default="import", choices=["import", "phone", "email", "partner"]
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, import nothing"
        )

    def handle(self, *args, file: Path, channel: str, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        if file.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("Only .csv and .xlsx files can be imported.")

        def progress(count: int) -> None:
            sys.stderr.write(f"\rchecked {count} rows…")
            sys.stderr.flush()

        try:
            outcome = import_file(file, channel=channel, dry_run=dry_run, progress=progress)
        except UnreadableFile as exc:
            raise CommandError(f"{file} cannot be read as a register: {exc}") from exc
        sys.stderr.write("\r")
        for row, name, reason in outcome.rejected:
            self.stderr.write(f"row {row}: {name}: {reason}")
        if outcome.rejected:
            rows = len({row for row, _name, _reason in outcome.rejected})
            raise CommandError(
                f"{rows} of {outcome.total} rows rejected; nothing was imported.", returncode=1
            )
        if dry_run:
            self.stdout.write(
                f"{outcome.total} rows checked; all valid. Nothing imported (dry run)."
            )
            return
        self.stdout.write(
            f"{outcome.imported} reports imported"
            + (f", {outcome.skipped} already imported before" if outcome.skipped else "")
            + f" (of {outcome.total} rows)."
        )

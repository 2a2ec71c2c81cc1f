import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baken.subjects.services import addresses_load, csv_rows


class Command(BaseCommand):
    help = "Address register. `baken addresses import FILE` loads a BAG extract (CSV)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("import", help="replace the register with a CSV extract")
        load.add_argument("file", type=Path)

    def handle(self, *args, subcommand, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")

        def progress(count: int) -> None:
            sys.stderr.write(f"\rread {count} addresses…")

        loaded, rejected = addresses_load(csv_rows(file), progress=progress)
        sys.stderr.write("\r")
        for row, reason in rejected[:50]:
            self.stderr.write(f"row {row}: {reason}")
        if rejected:
            raise CommandError(f"{len(rejected)} rows rejected; the register was not changed.")
        self.stdout.write(f"{loaded} addresses loaded.")

import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from baken.core.backup import BackupRefused
from baken.core.backup_db import DatabaseToolFailed
from baken.core.restore import restore_run, unpacked


class Command(BaseCommand):
    help = (
        "Restore a backup made by `baken backup` into an empty database and empty file "
        "folders, with the data key of the installation it came from."
    )
    # The database is empty before a restore: no check may need its tables.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup's folder, or a tar file of it")

    def handle(self, *args, path, **options):
        try:
            with unpacked(path) as folder:
                restored = restore_run(folder)
        except (BackupRefused, DatabaseToolFailed, tarfile.TarError) as exc:
            raise CommandError(str(exc), returncode=1) from None
        except DatabaseError as exc:
            raise CommandError(f"The database cannot be used: {exc}", returncode=1) from None
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (Baken {manifest['baken_version']}, "
            f"{manifest['database']['engine']}): database and {restored.files} files; "
            f"data key checked ({restored.proof})."
        )
        if restored.pending_migrations:
            self.stdout.write(
                f"This Baken has {restored.pending_migrations} migrations the backup has not: "
                "run `baken migrate` next."
            )
        self.stdout.write("Check the audit chain with `baken audit verify`.")

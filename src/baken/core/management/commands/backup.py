from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from baken.core.backup import BackupRefused, backup_create
from baken.core.backup_db import DatabaseToolFailed


class Command(BaseCommand):
    help = (
        "Write a backup (database, encrypted files, manifest with SHA-256 hashes) into a new "
        "folder. The data key is never in it: keep that apart (docs/backup-and-restore.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a folder that does not exist yet, or is empty")

    def handle(self, *args, path, **options):
        try:
            manifest = backup_create(path)
        except (BackupRefused, DatabaseToolFailed) as exc:
            raise CommandError(str(exc), returncode=1) from None
        except DatabaseError as exc:
            raise CommandError(f"The database cannot be used: {exc}", returncode=1) from None
        self.stdout.write(
            f"Backup written to {path}: {manifest['database']['engine']} database, "
            f"{len(manifest['files'])} files, {manifest['created_at']}. "
            "The data key is not in it; keep it apart from the backup."
        )
        self.stdout.write(
            f"The key store ({manifest['key_store']['keys']} report keys) is the file "
            f"{path / manifest['key_store']['path']}: move it out of the backup to where you "
            "keep the data key, replacing the previous one. Keep only the newest: an old key "
            "store would bring destroyed reports back (docs/backup-and-restore.md)."
        )

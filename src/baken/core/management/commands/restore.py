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
        parser.add_argument(
            "--key-store",
            type=Path,
            default=None,
            help=(
                "the newest key store file you keep (each report's own key, ADR 0031); by "
                "default the one in the backup"
            ),
        )

    def handle(self, *args, path, key_store=None, **options):
        try:
            with unpacked(path) as folder:
                restored = restore_run(folder, key_store=key_store)
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
        if restored.key_store is not None:
            self.stdout.write(f"Keys loaded from {restored.key_store}: {_counts(restored.keys)}.")
        if left_out := {name: n for name, n in restored.left_out.items() if n}:
            self.stdout.write(
                f"Left out of this backup: {_counts(left_out)}. Their key is not in that key "
                "store, so their rows cannot be opened: destroyed after this backup was made. "
                "If none was destroyed since, the key store is older than the backup: restore "
                "again with the newest one."
            )
        if without := {name: n for name, n in restored.without_key.items() if n}:
            self.stdout.write(
                f"Without a key in that key store: {_counts(without)} (a backup from before "
                "sealed rows): their contact details, messages and attachments cannot be read "
                "(the next retention run destroys them again, if they were destroyed since). "
                "If none was destroyed since, the key store is older than the backup: restore "
                "again with the newest one."
            )
        if restored.pending_migrations:
            self.stdout.write(
                f"This Baken has {restored.pending_migrations} migrations the backup has not: "
                "run `baken migrate` next."
            )
        self.stdout.write("Check the audit chain with `baken audit verify`.")


def _counts(by_name: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in by_name.items()) or "none"

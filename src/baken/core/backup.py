"""`baken backup PATH`: the database, the encrypted files and a manifest with their hashes.

What a backup holds and what it does not (the data key) is told in docs/backup-and-restore.md.
The database is saved first and the files after it: every file a saved row names was written
before that row, so it is in the backup too (a file newer than the dump is harmless).

The key store (each report's, subject's and case's own key, ADR 0031 and 0032) is not in the
saved database: its rows are written to a file of their own, KEY_STORE. Nor are the rows that
belong to a report, subject or case: they are written to sealed files, each owner's rows under its
key (core/sealing.py), from the same snapshot as the database. The operator keeps only
the newest key store, apart from the backups; a restore takes the key store it is given. An
old backup restored with today's key store brings back nothing of what was destroyed since.
"""

import datetime
import hashlib
import importlib.metadata
import json
import os
import shutil
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings

from baken.core import backup_db, crypto, sealing

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
KEY_STORE = "key-store.json"
KEY_STORE_FORMAT = 1
REQUIRED = ("baken_version", "created_at", "database", "migrations", "files", "key_check")
KEY_CHECK_PURPOSE = "baken.core.backup.key-check.v1"
# Unfinished exports (a worker's scratch files) are no part of a backup.
SKIPPED_FOLDERS = {"exports": {"work"}}


class BackupRefused(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator.

    Not a core.refusals.Refused (ADR 0027): no request ever meets it. Only `baken backup`
    and `baken restore` meet it, run from the operator's shell; the commands answer it as
    Django's CommandError (exit status 1), together with the database tool's and the
    archive's own failures. A Refused would add an HTTP status and a translated message
    that nothing shows; this message is English, for the operator and the log, naming paths
    and versions as they are."""


@dataclass(frozen=True)
class Folder:
    role: str
    path: Path


def folders() -> list[Folder]:
    """The folders of encrypted files, by the role they have (their place may be configured)."""
    return [
        Folder("attachments", Path(settings.ATTACHMENT_DIR)),
        Folder("exports", Path(settings.EXPORT_DIR)),
        Folder("models", Path(settings.SUGGESTION_MODEL_FILE).parent),
    ]


def folder_files(folder: Folder) -> list[Path]:
    if not folder.path.is_dir():
        return []
    skipped = SKIPPED_FOLDERS.get(folder.role, set())
    return sorted(
        path
        for path in folder.path.rglob("*")
        if path.is_file() and path.relative_to(folder.path).parts[0] not in skipped
    )


def key_store_modules() -> dict[str, ModuleType]:
    """The modules named by AppConfig.key_store, by app label: each may have OWNER
    (core/sealing.py), DERIVED_TABLES (filled from other rows: left empty in a backup) with
    derived_fill() (fills them again after a restore), and DELETE_WITH: the nullable links
    (`app_label.model.field`) whose row a destruction deletes rather than unlinks."""
    return {
        config.label: import_module(config.key_store)  # type: ignore[attr-defined]
        for config in apps.get_app_configs()
        if getattr(config, "key_store", "")
    }


def key_stores() -> dict[str, sealing.Owner]:
    """The owners of sealed rows, by app label, in the order they claim rows."""
    return {
        label: module.OWNER
        for label, module in key_store_modules().items()
        if hasattr(module, "OWNER")
    }


def sealed_file(label: str) -> str:
    return f"sealed-{label}.jsonl"


def key_store_write(path: Path, stores: dict[str, list[dict]]) -> int:
    """Write the key stores to `path` (a new file, readable by the owner only); returns how
    many keys it holds. The keys stay wrapped: the file is of no use without the data key."""
    content = {
        "format": KEY_STORE_FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "key_check": key_check(),
        "stores": stores,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps(content) + "\n")
    return sum(len(rows) for rows in stores.values())


def key_check() -> str:
    """A fingerprint of the data key that reveals nothing of it: a restore compares it first."""
    return hashlib.sha256(crypto.derived_key(KEY_CHECK_PURPOSE)).hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def entry(root: Path, path: Path) -> dict:
    return {
        "path": path.relative_to(root).as_posix(),
        "sha256": sha256(path),
        "bytes": path.stat().st_size,
    }


def baken_version() -> str:
    try:
        return importlib.metadata.version("baken")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def backup_create(target: Path) -> dict:
    """Write a backup into the folder `target` (new or empty) and return its manifest."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupRefused(f"{target} exists and is not an empty folder; choose a new one.")
    engine = backup_db.engine()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)
    started = datetime.datetime.now(datetime.UTC)
    database_file = target / backup_db.FILE_NAMES[engine]
    migrations = backup_db.applied_migrations()
    modules = key_store_modules()
    owners = key_stores()
    for owner in owners.values():
        sealing.keys_ensure_all(owner)
    listed = sealing.sealed_models(list(owners.values()))
    tables = tuple(
        table
        for label, owner in owners.items()
        for table in (
            owner.key_model._meta.db_table,
            *(model._meta.db_table for model, _path in listed[owner]),
        )
    ) + tuple(
        table for module in modules.values() for table in getattr(module, "DERIVED_TABLES", ())
    )
    key_rows: dict[str, list[dict]] = {}
    sealed: list[dict] = []
    fresh: list = []

    def apart() -> None:
        # Read from the dump's own snapshot: every sealed row's key is in the key store.
        for label, owner in owners.items():
            stored = sealing.key_store_rows(owner)
            keys = sealing.keys_of(owner, stored)
            made = len(fresh)
            with (target / sealed_file(label)).open("x") as handle:
                rows = sealing.rows_write(owner, listed[owner], handle, keys=keys, fresh=fresh)
            key_rows[label] = stored + [
                sealing.key_store_row(owner, getattr(row, f"{owner.field}_id"), row.wrapped)
                for row in fresh[made:]
            ]
            sealed.append({"app": label, "rows": rows, "path": sealed_file(label)})

    backup_db.dump(database_file, without_rows=tables, during=apart)
    for owner in owners.values():  # keys of owners made during the backup, saved now
        sealing.keys_save(owner, [row for row in fresh if isinstance(row, owner.key_model)])
    keys = key_store_write(target / KEY_STORE, key_rows)
    files = []
    for folder in folders():
        for path in folder_files(folder):
            copy = target / FILES / folder.role / path.relative_to(folder.path)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            files.append(entry(target, copy))
    manifest = {
        "format": FORMAT,
        "baken_version": baken_version(),
        "created_at": started.isoformat(timespec="seconds"),
        "database": {"engine": engine, **entry(target, database_file)},
        "migrations": migrations,
        "files": files,
        "key_check": key_check(),
        "data_key_included": False,
        # Not among `files`: the operator moves it out of the backup (ADR 0031).
        "key_store": {"path": KEY_STORE, "keys": keys, "in_database": False},
        # Rows sealed under their owner's key, apart from the database (ADR 0032).
        "sealed": [{**item, **entry(target, target / str(item["path"]))} for item in sealed],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def manifest_read(source: Path) -> dict:
    """The manifest of the backup in `source`, with every file checked against its hash."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupRefused(f"{source} holds no {MANIFEST}: this is not a Baken backup.") from None
    except (OSError, ValueError) as exc:
        raise BackupRefused(f"{source / MANIFEST} cannot be read: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{source / MANIFEST} is not a manifest of backup format {FORMAT}.")
    missing = [key for key in REQUIRED if key not in manifest]
    if missing:
        raise BackupRefused(f"{source / MANIFEST} is incomplete: no {', '.join(missing)}.")
    wrong = []
    for item in [manifest["database"], *manifest["files"], *manifest.get("sealed", [])]:
        path = source / item["path"]
        if not path.resolve().is_relative_to(source.resolve()):
            wrong.append(f"{item['path']} (outside the backup)")
        elif not path.is_file():
            wrong.append(f"{item['path']} (missing)")
        elif sha256(path) != item["sha256"]:
            wrong.append(f"{item['path']} (SHA-256 does not match the manifest)")
    if wrong:
        raise BackupRefused(
            "The backup is damaged; nothing was restored. These files differ from the "
            "manifest:\n  " + "\n  ".join(wrong)
        )
    return manifest

"""`baken restore PATH`: a backup into an empty database and empty file folders.

Everything that can be checked before writing is checked first (the hashes, the database
engine, the data key, the migrations), so a refused restore leaves the target as it was.
After writing, a sample of encrypted data is decrypted as proof that the key fits the data.

The key store (each report's, subject's and case's own key, ADR 0031 and 0032) is not in the
database of a backup: it is loaded from the key store file the operator names, by default the
one in the backup. The rows sealed under those keys are loaded for the owners whose key it
holds; an owner destroyed since the backup has none in a newer key store, and its rows stay
out (crypto-shredding), with what pointed to them.
"""

import contextlib
import datetime
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string

from baken.core import backup_db, sealing
from baken.core.backup import (
    FILES,
    KEY_STORE,
    KEY_STORE_FORMAT,
    MANIFEST,
    BackupRefused,
    folder_files,
    folders,
    key_check,
    key_store_modules,
    key_stores,
    manifest_read,
)


@dataclass(frozen=True)
class Restored:
    manifest: dict
    files: int
    proof: str
    pending_migrations: int
    # Per owner (core/sealing.py), by its app's label: reports, subjects, cases.
    keys: dict[str, int] = field(default_factory=dict)  # keys loaded from the key store
    without_key: dict[str, int] = field(default_factory=dict)  # present, but no key for it
    left_out: dict[str, int] = field(default_factory=dict)  # sealed rows not opened: destroyed
    key_store: Path | None = None


def restore_run(source: Path, *, key_store: Path | None = None) -> Restored:
    """Restore the backup in `source`, with the key store file `key_store` (by default the
    one in the backup; keep and name the newest one, ADR 0031)."""
    manifest = manifest_read(source)
    _refuse_unless_fits(manifest)
    key_store = key_store or (source / KEY_STORE if "key_store" in manifest else None)
    stores, stores_made = _key_store_read(key_store) if key_store else (None, None)
    _refuse_unless_empty()
    sealed = manifest.get("sealed", [])
    if sealed:
        if stores is None:
            raise BackupRefused("This backup has sealed rows and no key store; name one.")
        _refuse_unless_sealable(manifest, key_store_made=stores_made or "")
    left_out: dict[str, int] = {}

    def sealed_load() -> None:
        # Before the key store: only the owners whose key it holds come back (ADR 0032).
        owners = key_stores()
        for item in sealed:
            owner = owners[item["app"]]
            keys = sealing.keys_of(owner, (stores or {}).get(item["app"], []))
            with (source / item["path"]).open() as lines:
                try:
                    _rows, gone = sealing.rows_load(owner, lines, keys=keys)
                except sealing.SealedRowsUnreadable as exc:
                    raise BackupRefused(
                        f"The sealed rows of {exc} do not open with the key that key store "
                        f"holds for it ({key_store}): it is the key store of another "
                        "installation with the same data key. Restore again, into an empty "
                        "installation, with this installation's newest key store."
                    ) from None
            left_out[item["app"]] = len(gone)
        if any(left_out.values()):
            delete_with = [
                link
                for module in key_store_modules().values()
                for link in getattr(module, "DELETE_WITH", ())
            ]
            sealing.orphans_let_go(list(owners.values()), delete_with=delete_with)

    backup_db.load(source / manifest["database"]["path"], between=sealed_load)
    for module in key_store_modules().values():
        if fill := getattr(module, "derived_fill", None):
            fill()
    loaded, without_key = _key_store_load(stores) if stores is not None else ({}, {})
    by_role = {folder.role: folder.path for folder in folders()}
    for item in manifest["files"]:
        role, *rest = Path(item["path"]).relative_to(FILES).parts
        target = by_role[role].joinpath(*rest)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / item["path"], target)
    return Restored(
        manifest=manifest,
        files=len(manifest["files"]),
        proof=sample_decrypt(),
        pending_migrations=len(_pending_migrations()),
        keys=loaded,
        without_key=without_key,
        left_out=left_out,
        key_store=key_store,
    )


def _key_store_read(path: Path) -> tuple[dict, str]:
    """The key stores in the file at `path`, checked before anything is written."""
    try:
        content = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupRefused(
            f"The key store {path} does not exist; nothing was restored. Name the newest "
            "key store file you keep (baken restore --key-store PATH): without it the "
            "reporters' contact details, messages and attachments cannot be read."
        ) from None
    except (OSError, ValueError) as exc:
        raise BackupRefused(f"The key store {path} cannot be read: {exc}") from None
    if not isinstance(content, dict) or content.get("format") != KEY_STORE_FORMAT:
        raise BackupRefused(f"{path} is not a key store of format {KEY_STORE_FORMAT}.")
    if content.get("key_check") != key_check():
        raise BackupRefused(
            f"The key store {path} was not written with this data key "
            f"({settings.DATA_KEY_FILE}); nothing was restored."
        )
    return content.get("stores", {}), str(content.get("created_at", ""))


def _key_store_load(stores: dict) -> tuple[dict[str, int], dict[str, int]]:
    """Load each owner's keys into its (empty, restored) table, if the backup has that
    table: a backup from before the key store has not, and `baken migrate` makes the keys.
    Returns per owner (keys loaded, owners present without a key)."""
    tables = set(connection.introspection.table_names())
    loaded, without_key = {}, {}
    for label, owner in key_stores().items():
        if owner.key_model._meta.db_table in tables:
            done, missing = sealing.key_store_load(owner, stores.get(label, []))
            loaded[label], without_key[label] = done, missing
    return loaded, without_key


@contextlib.contextmanager
def unpacked(source: Path) -> Iterator[Path]:
    """The backup's folder: `source` itself, or a tar file of it unpacked for the restore."""
    if source.is_dir() or not source.is_file() or not tarfile.is_tarfile(source):
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="baken-restore-") as scratch:
        with tarfile.open(source) as archive:
            archive.extractall(scratch, filter="data")
        found = sorted(Path(scratch).rglob(MANIFEST))
        if len(found) != 1:
            raise BackupRefused(f"{source} holds no single {MANIFEST}: not a Baken backup.")
        yield found[0].parent


def _refuse_unless_fits(manifest: dict) -> None:
    engine = backup_db.engine()
    if manifest["database"]["engine"] != engine:
        raise BackupRefused(
            f"This backup holds a {manifest['database']['engine']} database; this Baken uses "
            f"{engine}. Restore it into a Baken with the same database engine."
        )
    if manifest["key_check"] != key_check():
        raise BackupRefused(
            f"The data key ({settings.DATA_KEY_FILE}) is not the key this backup was made "
            "with: its attachments, reporter contacts and audit chain could not be read. "
            "Nothing was restored. Point BAKEN_DATA_KEY_FILE at the data key of the "
            "installation the backup came from (kept apart from the backups) and try again."
        )
    roles = {folder.role for folder in folders()}
    if strays := [f["path"] for f in manifest["files"] if _role(f["path"]) not in roles]:
        raise BackupRefused(f"The manifest names files outside Baken's folders: {strays[:5]}.")
    unknown = sorted(set(manifest["migrations"]) - backup_db.known_migrations())
    if unknown:
        raise BackupRefused(
            f"This backup was made by a newer Baken ({manifest['baken_version']}): it has "
            f"migrations this version does not know ({', '.join(unknown[:5])}). Install that "
            "version or a newer one and restore with it."
        )


def _refuse_unless_sealable(manifest: dict, *, key_store_made: str) -> None:
    """A backup with sealed rows (ADR 0032) is restored by the Baken that made it: its rows are
    read with this version's models, so this version must have no migration the backup has
    not. And only with a key store at least as new as the backup: an older one lacks the keys
    of what was made in between, and the restore would leave it out as destroyed."""
    if pending := sorted(backup_db.known_migrations() - set(manifest["migrations"])):
        raise BackupRefused(
            f"This backup was made by an older Baken ({manifest['baken_version']}): this "
            f"version has migrations it has not ({', '.join(pending[:5])}), and its sealed "
            "rows are read with the models of the version that made it. Nothing was "
            "restored. Restore it with that version, then upgrade (`baken migrate`)."
        )
    made = datetime.datetime.fromisoformat(manifest["created_at"])
    if key_store_made and datetime.datetime.fromisoformat(key_store_made) < made:
        raise BackupRefused(
            f"The key store was written at {key_store_made}, before this backup "
            f"({manifest['created_at']}): it lacks the keys of what was made in between, "
            "which the restore would leave out. Nothing was restored. Name the newest key "
            "store you keep (baken restore --key-store PATH)."
        )


def _role(path: str) -> str:
    parts = Path(path).parts
    return parts[1] if len(parts) > 2 and parts[0] == FILES else ""


def _refuse_unless_empty() -> None:
    if not backup_db.is_empty():
        raise BackupRefused(
            "The database is not empty. Restore into a new, empty database (and do not run "
            "`baken migrate` on it first); nothing was restored."
        )
    full = [str(folder.path) for folder in folders() if folder_files(folder)]
    if full:
        raise BackupRefused(
            f"These folders already hold files: {', '.join(full)}. Restore into an "
            "installation with empty folders; nothing was restored."
        )


def sample_decrypt() -> str:
    """Decrypt one encrypted value of the restored data; say which. An app that keeps
    encrypted data names its check in its AppConfig (`decrypt_sample`, a dotted path to a
    function that decrypts one value and says which, or returns "" when it has none)."""
    try:
        for config in apps.get_app_configs():
            check = getattr(config, "decrypt_sample", "")
            if check and (proof := import_string(check)()):
                return proof
    except InvalidTag:
        raise BackupRefused(
            "The restored data cannot be decrypted with this data key "
            f"({settings.DATA_KEY_FILE}). Restore again, into an empty installation, with the "
            "data key of the installation the backup came from."
        ) from None
    return "nothing encrypted to decrypt"


def _pending_migrations() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())

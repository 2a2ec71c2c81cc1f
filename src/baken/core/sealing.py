"""Rows sealed under their owner's own key in a backup: crypto-shredding that reaches every
backup (issue 15, ADR 0031 and ADR 0032).

An *owner* is what the retention rules destroy as a whole — a report, a case, a registered
subject. Each has a key of its own in a key table (one row per owner, deleted with it) kept
out of the saved database and written as the backup's key store file. `baken backup` also
leaves out of the saved database every row that belongs to an owner, and writes those rows
to a file of their own: one line per owner with all of its rows, compressed (zlib) and
encrypted under its owner's key. An old backup restored with
today's key store (the only one the operator keeps) brings back no row of an owner
destroyed since: its key is gone.

Which rows belong to an owner is read from the models: the owner's own rows, and those with
a required foreign key to one of its rows, at any depth. A model reachable from two owners
belongs to the first (reports, then subjects, then cases). What only may point to an owner
(a nullable foreign key) stays in the saved database; on restore, what points to a row that
did not come back is let go as a destruction would (`orphans_let_go`).

This module knows no app: each app that has owners names them (AppConfig.key_store, a module
with OWNER) and core/backup.py and core/restore.py do the rest.
"""

import base64
import json
import secrets
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Exists, F, OuterRef

from baken.core import crypto

BATCH = 1000


class SealedRowsUnreadable(Exception):
    """An owner's sealed rows do not open with the key the key store holds for it: the key
    store is of another installation with the same data key, or a key was replaced."""

    def __init__(self, owner: "Owner", owner_id: int) -> None:
        super().__init__(f"{owner.model._meta.label_lower} {owner_id}")
        self.owner, self.owner_id = owner, owner_id


@dataclass(frozen=True)
class Owner:
    """What is destroyed as a whole, and its key table: `key_model` has a one-to-one primary
    key `field` to `model` (CASCADE) and `wrapped` (the key, AES-GCM under a key derived from
    the data key for `purpose`)."""

    model: type[models.Model]
    key_model: type[models.Model]
    field: str
    purpose: str

    @property
    def row_purpose(self) -> str:
        return f"{self.purpose}.backup-rows.v2"

    def context(self, owner_id: int) -> bytes:
        return f"{self.field}:{owner_id}".encode()


# --- keys -------------------------------------------------------------------------------


def wrap(owner: Owner, owner_id: int, key: bytes) -> bytes:
    return crypto.encrypt_with(
        crypto.derived_key(owner.purpose), key, context=owner.context(owner_id)
    )


def unwrap(owner: Owner, owner_id: int, wrapped: bytes) -> bytes:
    return crypto.decrypt_with(
        crypto.derived_key(owner.purpose), wrapped, context=owner.context(owner_id)
    )


def key_new(owner: Owner, owner_id: int) -> tuple[bytes, models.Model]:
    """A fresh key for the owner, and its key row (not saved)."""
    key = secrets.token_bytes(crypto.KEY_BYTES)
    row = owner.key_model(**{f"{owner.field}_id": owner_id, "wrapped": wrap(owner, owner_id, key)})
    return key, row


def keys_ensure_all(owner: Owner) -> int:
    """Give every owner that has none its key; returns how many were made."""
    keyed = owner.key_model._base_manager.filter(**{f"{owner.field}_id": OuterRef("pk")})
    keyless = list(owner.model._base_manager.exclude(Exists(keyed)).values_list("pk", flat=True))
    for start in range(0, len(keyless), BATCH):
        rows = [key_new(owner, pk)[1] for pk in keyless[start : start + BATCH]]
        owner.key_model._base_manager.bulk_create(rows, ignore_conflicts=True)
    return len(keyless)


def keys_save(owner: Owner, rows: list[models.Model]) -> None:
    """Save keys made during a backup, of the owners that still exist (one destroyed in the
    meantime needs none; one that got a key meanwhile keeps it)."""
    present = set(
        owner.model._base_manager.filter(
            pk__in=[getattr(row, f"{owner.field}_id") for row in rows]
        ).values_list("pk", flat=True)
    )
    kept = [row for row in rows if getattr(row, f"{owner.field}_id") in present]
    owner.key_model._base_manager.bulk_create(kept, ignore_conflicts=True)


def key_store_row(owner: Owner, owner_id: int, wrapped: bytes) -> dict:
    """One key of the key store file, still wrapped."""
    return {owner.field: owner_id, "wrapped": base64.b64encode(bytes(wrapped)).decode()}


def key_store_rows(owner: Owner) -> list[dict]:
    """Every owner's key, still wrapped (of no use without the data key)."""
    return [
        key_store_row(owner, owner_id, wrapped)
        for owner_id, wrapped in owner.key_model._base_manager.order_by(
            f"{owner.field}_id"
        ).values_list(f"{owner.field}_id", "wrapped")
    ]


def keys_of(owner: Owner, rows: list[dict]) -> dict[int, bytes]:
    """The key store's rows, unwrapped: owner id -> key."""
    return {
        row[owner.field]: unwrap(owner, row[owner.field], base64.b64decode(row["wrapped"]))
        for row in rows
    }


def key_store_load(owner: Owner, rows: list[dict]) -> tuple[int, int]:
    """Put the keys of the owners this database holds into the (empty) key table; keys of
    owners it does not hold are left out. Returns (keys loaded, owners left without a key)."""
    present = set(owner.model._base_manager.values_list("pk", flat=True))
    loaded = [
        owner.key_model(
            **{f"{owner.field}_id": row[owner.field]},
            wrapped=base64.b64decode(row["wrapped"]),
        )
        for row in rows
        if row[owner.field] in present
    ]
    owner.key_model._base_manager.bulk_create(loaded, batch_size=BATCH)
    return len(loaded), len(present) - len(loaded)


# --- which rows belong to an owner ------------------------------------------------------


def _belongs(field, parents) -> bool:
    return bool(field.is_relation and not field.null and field.related_model in parents)


def sealed_models(owners: list[Owner]) -> dict[Owner, list[tuple[type[models.Model], str]]]:
    """Per owner, each model whose rows belong to it, with the lookup of the owner's id from
    a row; parents before children (the order rows are written and loaded in)."""
    key_models = {owner.key_model for owner in owners}
    every = [m for m in apps.get_models(include_auto_created=True) if m not in key_models]
    roots = {owner.model for owner in owners}
    claimed: set[type[models.Model]] = set(roots)
    found = {}
    for owner in owners:
        paths: dict[type[models.Model], str] = {owner.model: "pk"}
        found[owner] = [(owner.model, "pk")]
        grown = True
        while grown:
            grown = False
            for model in every:
                if model in claimed:
                    continue
                for field in model._meta.concrete_fields:
                    if _belongs(field, paths):
                        parent = paths[field.related_model]  # type: ignore[index]
                        paths[model] = f"{field.name}__{parent}"
                        found[owner].append((model, paths[model]))
                        claimed.add(model)
                        grown = True
                        break
    return found


# --- writing and loading ----------------------------------------------------------------


def _batches(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_write(
    owner: Owner,
    listed: list[tuple[type[models.Model], str]],
    handle: IO[str],
    *,
    keys: dict[int, bytes],
    fresh: list[models.Model],
) -> int:
    """Write every row of `listed`: one line per owner with all of its rows, compressed and
    sealed under its key from `keys`. An owner without one (made after
    the keys were ensured) gets a new key, added to `keys` and its row to `fresh` for the
    caller to save. Returns how many rows."""
    written = 0
    serializer = serializers.get_serializer("python")
    ids = owner.model._base_manager.order_by("pk").values_list("pk", flat=True)
    for chunk in _batches(ids.iterator(chunk_size=BATCH)):
        bundles: dict[int, list[dict]] = {owner_id: [] for owner_id in chunk}
        for model, path in listed:
            rows: list = list(  # each with its owner's id annotated
                model._base_manager.annotate(sealed_owner=F(path))
                .filter(**{f"{path}__in": chunk})
                .order_by("pk")
            )
            for obj, data in zip(rows, serializer().serialize(rows), strict=True):
                bundles[obj.sealed_owner].append(data)
        for owner_id, rows_of_owner in bundles.items():
            if owner_id not in keys:
                keys[owner_id], row = key_new(owner, owner_id)
                fresh.append(row)
            plain = zlib.compress(json.dumps(rows_of_owner, cls=DjangoJSONEncoder).encode())
            subkey = crypto.subkey(keys[owner_id], owner.row_purpose)
            sealed = crypto.encrypt_with(subkey, plain, context=owner.context(owner_id))
            line = {"owner": owner_id, "rows": base64.b64encode(sealed).decode()}
            handle.write(json.dumps(line) + "\n")
            written += len(rows_of_owner)
    return written


def rows_load(owner: Owner, lines: Iterable[str], *, keys: dict[int, bytes]) -> tuple[int, set]:
    """Load the rows of each owner whose key is in `keys` (the foreign keys are checked once
    all are in: the restore defers them). Returns (rows loaded, the owners whose rows were
    left out because their key is gone: destroyed since the backup)."""
    loaded, left_out = 0, set()
    pending: dict[type[models.Model], list[models.Model]] = {}

    def flush(model: type[models.Model]) -> None:
        model._base_manager.bulk_create(pending.pop(model, []), batch_size=500)

    for line in lines:
        item = json.loads(line)
        owner_id = item["owner"]
        if owner_id not in keys:
            left_out.add(owner_id)
            continue
        subkey = crypto.subkey(keys[owner_id], owner.row_purpose)
        try:
            plain = crypto.decrypt_with(
                subkey, base64.b64decode(item["rows"]), context=owner.context(owner_id)
            )
        except InvalidTag:
            raise SealedRowsUnreadable(owner, owner_id) from None
        for found in serializers.deserialize("python", json.loads(zlib.decompress(plain))):
            obj = found.object
            pending.setdefault(type(obj), []).append(obj)
            loaded += 1
            if len(pending[type(obj)]) >= BATCH:
                flush(type(obj))
    for model in list(pending):
        flush(model)
    return loaded, left_out


def orphans_let_go(owners: list[Owner], *, delete_with: Collection[str] = ()) -> int:
    """After a restore that left rows out: what pointed to a row that is not there goes as it
    would with a destruction — deleted where it goes with it (CASCADE, a required link, or a
    field named in `delete_with` as "app_label.model.field"), unlinked where it may stay
    without it. Repeated until nothing points to a missing row; returns how many rows."""
    sealed = {model for listed in sealed_models(owners).values() for model, _path in listed}
    touched, total = 1, 0
    while touched:
        touched = 0
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model not in sealed:
                    continue
                there = field.related_model._base_manager.filter(pk=OuterRef(field.attname))
                # NOT EXISTS: an anti-join, also on tables without their indexes yet.
                missing = model._base_manager.filter(**{f"{field.attname}__isnull": False}).exclude(
                    Exists(there)
                )
                cascades = getattr(field.remote_field, "on_delete", None) is models.CASCADE
                named = f"{model._meta.label_lower}.{field.name}" in delete_with
                if field.null and not cascades and not named:
                    touched += missing.update(**{field.attname: None})
                else:
                    touched += missing._raw_delete(missing.db)
        total += touched
    return total

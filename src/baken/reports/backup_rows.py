"""A backup's report rows, each sealed under its report's own key (issue 15, ADR 0032).

`baken backup` saves the database without the rows that belong to a report — the report
itself, the subjects it names and their matches, its versions (the original among them),
notes, weighing answers, decisions, status changes, links, receipt, contact, messages and
idempotency records — and writes them to a file of their own, ROWS_FILE: one line per row,
its fields encrypted under the key of the report it belongs to. The key store is written
apart (ADR 0031); the operator keeps only the newest. Restoring an old backup with today's
key store therefore brings back no row of a report destroyed since: its key is gone, so its
rows cannot be opened, and the rows elsewhere that pointed to it are let go as a
destruction would (`orphans_let_go`).

Which rows belong to a report is read from the models: those with a required foreign key
that deletes them with the report (CASCADE), directly or through another such row. What
only may point to a report (an attachment before its report is filed, a legal hold, a
relation's source, a case's report link) stays in the saved database, and is let go or
unlinked on restore when its report is not there.
"""

import base64
import json
from collections.abc import Iterable, Iterator
from typing import IO

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F

from . import keys
from .models import Report, ReportKey

ROWS_FILE = "report-rows.jsonl"
ROWS_FORMAT = 1
PURPOSE = "baken.reports.backup-row.v1"
BATCH = 1000


def sealed_models() -> list[tuple[type[models.Model], str]]:
    """Each model whose rows belong to a report, with the lookup of that report's id from a
    row; parents before children (the order rows are written and loaded in)."""
    found: list[tuple[type[models.Model], str]] = [(Report, "pk")]
    paths: dict[type[models.Model], str] = {Report: "pk"}
    every = [m for m in apps.get_models(include_auto_created=True) if m is not ReportKey]
    grown = True
    while grown:
        grown = False
        for model in every:
            if model in paths:
                continue
            for field in model._meta.concrete_fields:
                parent = field.related_model
                cascades = getattr(field.remote_field, "on_delete", None) is models.CASCADE
                if field.is_relation and parent in paths and not field.null and cascades:
                    paths[model] = f"{field.name}__{paths[parent]}"
                    found.append((model, paths[model]))
                    grown = True
                    break
    return found


def sealed_tables() -> tuple[str, ...]:
    return tuple(model._meta.db_table for model, _path in sealed_models())


def _batches(rows: Iterable, size: int = BATCH) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_write(handle: IO[str], *, using: str, report_keys: dict[int, bytes]) -> int:
    """Write every row that belongs to a report, as the database `using` holds it, each
    sealed under its report's key from `report_keys`; returns how many rows."""
    written = 0
    serializer = serializers.get_serializer("python")
    for model, path in sealed_models():
        rows = (
            model._base_manager.using(using)
            .annotate(sealed_report=F(path))
            .order_by("pk")
            .iterator(chunk_size=BATCH)
        )
        for batch in _batches(rows):
            for obj, data in zip(batch, serializer().serialize(batch), strict=True):
                report_id = obj.sealed_report
                plain = json.dumps(data, cls=DjangoJSONEncoder).encode()
                sealed = keys.seal(report_keys[report_id], report_id, plain, purpose=PURPOSE)
                line = {"report": report_id, "row": base64.b64encode(sealed).decode()}
                handle.write(json.dumps(line) + "\n")
                written += 1
    return written


def rows_load(lines: Iterable[str], *, report_keys: dict[int, bytes]) -> tuple[int, set[int]]:
    """Load the rows of a ROWS_FILE whose report has its key in `report_keys`, in the order
    they were written (by model, parents first). Returns (rows loaded, the reports whose
    rows were left out because their key is gone: destroyed since the backup)."""
    loaded, left_out = 0, set()
    pending: list[models.Model] = []

    def flush() -> None:
        if pending:
            type(pending[0])._base_manager.bulk_create(pending, batch_size=500)
            pending.clear()

    for line in lines:
        item = json.loads(line)
        report_id = item["report"]
        if report_id not in report_keys:
            left_out.add(report_id)
            continue
        plain = keys.open_sealed(
            report_keys[report_id], report_id, base64.b64decode(item["row"]), purpose=PURPOSE
        )
        (found,) = serializers.deserialize("python", [json.loads(plain)])
        obj = found.object
        if pending and (type(obj) is not type(pending[0]) or len(pending) == BATCH):
            flush()
        pending.append(obj)
        loaded += 1
    flush()
    return loaded, left_out


def orphans_let_go(using: str = "default") -> int:
    """After a restore that left rows out: what pointed to a report (or a row of one) that is
    not there goes as it would with a destruction — deleted where it goes with it, unlinked
    where it may stay without it. Repeated until nothing points to a missing row."""
    sealed = {model for model, _path in sealed_models()}
    touched, total = 1, 0
    while touched:
        touched = 0
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model not in sealed:
                    continue
                targets = field.related_model._base_manager.using(using).values("pk")
                missing = (
                    model._base_manager.using(using)
                    .filter(**{f"{field.attname}__isnull": False})
                    .exclude(**{f"{field.attname}__in": targets})
                )
                if (
                    field.null
                    and getattr(field.remote_field, "on_delete", None) is not models.CASCADE
                ):
                    touched += missing.update(**{field.attname: None})
                else:
                    touched += missing._raw_delete(using)
        total += touched
    return total

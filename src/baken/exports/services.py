"""Writes of the exports app: request an export, build its file (run by the background task),
record a download, and delete what has passed its time (ADR 0013).

Every step is in the audit log with ids and counts, never content: `export.request` (kind,
format, filter names), `export.rows` (the ids of each batch written, as `report.list` logs
the ids a page showed), `export.finish` / `export.fail`, `export.download`,
`export.download_refused` (the reason's code) and `export.expire`.

Need-to-know follows the file: an export records the scope it was asked under (the user's
role and team); it is made, and its file given, only while the user is active, may still
export that kind of list and has that same role and team.
"""

import logging
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.audit.services import Target, audit_record
from baken.cases.models import Case, Intervention
from baken.core.actors import SYSTEM
from baken.core.refusals import Kind as RefusalKind
from baken.core.refusals import Refused
from baken.reports.models import Report

from . import figures, kinds, storage, writers
from .kinds import ExportRefused
from .models import Export, Format, Kind, State

logger = logging.getLogger(__name__)

# What a failed export tells its user (Export.failure holds the code).
FAILURES = {
    "not_allowed": _("You may no longer export this list."),
    "filters": _("The filters no longer fit this list (a category or team may have gone)."),
    "too_many": _("The list has more rows than one export may hold; narrow the filters."),
    "scope": _(
        "Your role or team changed after you asked for this export. Start a new export if "
        "you need it."
    ),
    "expired": _("The export did not finish in time."),
    "stalled": _(
        "The export stopped while it was being made (the background worker was restarted). "
        "Start a new export."
    ),
    "error": _("Something went wrong while making the file. Try again later."),
    # An expired export's reason, not a failure: its file went before its time (issue 15).
    "destroyed": _(
        "The file was deleted early: it held rows of reports or cases that have since been "
        "destroyed at the end of their retention period. Start a new export if you need it "
        "again."
    ),
}


# Why a finished file is not given to its owner (any more), by code (download_refusal).
WITHHELD = {
    "inactive": _("Your account is no longer active."),
    "not_allowed": _("You may no longer export this list, so this file is no longer given to you."),
    "scope": _(
        "Your role or team changed after this export was made. The file holds what you could "
        "see before, so it is no longer given to you. Start a new export if you need it."
    ),
}


class DownloadRefused(Refused):
    """The file is not given to this user (any more): 403, code `export_withheld` for API
    clients; `reason` is a key of WITHHELD (logged as the refusal's reason), the message its
    text. A core.refusals.Refused, so the API answers it as it is; the export's own page
    catches it to show the export with the reason."""

    kind = RefusalKind.FORBIDDEN

    def __init__(self, reason: str):
        super().__init__("export_withheld", WITHHELD[reason])
        self.reason = reason


def scope_of(user: User) -> tuple[str, int | None]:
    """What an export's rows depend on besides the filters: the user's role and team."""
    return user.role, user.team_id


def download_refusal(user: User, export: Export) -> str:
    """Why this user may not have this export's file (any more), as a key of WITHHELD; ""
    when they may. No queries: `user` as the caller has them (the request's user)."""
    if not user.is_authenticated or not user.is_active:
        return "inactive"
    if not kinds.may_export(user, export.kind):
        return "not_allowed"
    if scope_of(user) != (export.scope_role, export.scope_team_id):
        return "scope"
    return ""


def export_request(
    *, user: User, kind: str, fmt: str, filters: kinds.Params, language: str
) -> Export:
    """Queue an export of a list for this user, and hand it to the tasks worker.

    Refused (ExportRefused) for a kind or format that does not exist, a kind this user may
    not export, and filters the list would not take."""
    if kind not in Kind.values or not kinds.may_export(user, kind):
        raise ExportRefused({"kind": [str(_("You cannot export this list."))]})
    if fmt not in Format.values:
        raise ExportRefused({"format": [str(_("Choose CSV or XLSX."))]})
    checked = kinds.check_filters(kind, filters)  # FiltersInvalid: an ExportRefused
    now = timezone.now()
    role, team_id = scope_of(user)
    with transaction.atomic():
        export = Export.objects.create(
            user=user,
            kind=kind,
            format=fmt,
            filters=checked,
            scope_role=role,
            scope_team_id=team_id,
            language=language[:8],
            created_at=now,
            expires_at=now + timedelta(days=settings.EXPORT_RETENTION_DAYS),
        )
        audit_record(
            actor=user,
            action=AuditAction.EXPORT_REQUEST,
            target=export,
            detail={"kind": kind, "format": fmt, "filters": sorted(checked)},
        )
    from .tasks import export_build

    # With the database backend the task row is committed with the export (or not at all).
    export_build.enqueue(str(export.pk))
    return export


def export_run(*, export_id: uuid.UUID) -> Export | None:
    """Build the file of a queued export: the body of tasks.export_build.

    The user's rights are checked again now, not only when it was queued: a user who lost
    their role, or whose role or team changed since then, gets nothing. Rows are read and written in
    batches of settings.EXPORT_BATCH_SIZE, the progress saved after each."""
    with transaction.atomic():
        export = Export.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.state != State.QUEUED:
            return export  # gone, or a second delivery of the same task
        now = timezone.now()
        export.state, export.started_at, export.progress_at = State.RUNNING, now, now
        export.save(update_fields=["state", "started_at", "progress_at"])
    user = User.objects.get(pk=export.user_id)  # as they are now
    if not kinds.may_export(user, export.kind):
        return _fail(export, "not_allowed")
    if scope_of(user) != (export.scope_role, export.scope_team_id):
        return _fail(export, "scope")
    try:
        kinds.check_filters(export.kind, export.filters)
    except kinds.FiltersInvalid:
        return _fail(export, "filters")
    sink = storage.EncryptedWriter(export.pk)
    try:
        with translation.override(export.language):
            code = _write(export, user, sink)
        if not code:
            sink.close()
    except Exception:
        logger.exception("Export %s failed.", export.pk)
        code = "error"
    if code:
        sink.abort()
        return _fail(export, code)
    return _finish(export, size=sink.size)


def _write(export: Export, user: User, sink: storage.EncryptedWriter) -> str:
    """Write the rows; a failure code, or "" when all went well."""
    title = str(Kind(export.kind).label)
    out = writers.writer_for(export.format, sink, title=title)
    if export.kind == Kind.FIGURES:
        try:
            headers, rows = figures.table(user, export.filters)
        except (ValueError, OverflowError):  # a date the figures cannot count from or to
            return "filters"
        _total(export, len(rows))
        out.header(headers)
        out.rows(rows)
        _progress(export, len(rows), ids=None)
        out.close()
        return ""
    spec = kinds.KINDS[export.kind]
    ids = spec.ids(user, kinds.query_of(export.filters))
    if len(ids) > settings.EXPORT_MAX_ROWS:
        return "too_many"
    _total(export, len(ids))
    out.header(spec.headers())
    size = settings.EXPORT_BATCH_SIZE
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        rows = spec.rows(user, batch)
        out.rows(rows)
        _progress(export, start + len(batch), ids=batch)
    out.close()
    return ""


def _total(export: Export, total: int) -> None:
    export.rows_total = total
    export.save(update_fields=["rows_total"])


def _progress(export: Export, done: int, *, ids: list[int] | None) -> None:
    """Save how far the export is, and log which rows it read (ids only)."""
    with transaction.atomic():
        Export.objects.filter(pk=export.pk).update(rows_done=done, progress_at=timezone.now())
        if ids:
            audit_record(
                actor=export.user,
                action=AuditAction.EXPORT_ROWS,
                target=export,
                detail={"kind": export.kind, "ids": ids},
            )
    export.rows_done = done


def _finish(export: Export, *, size: int) -> Export:
    now = timezone.now()
    with transaction.atomic():
        # Only while it is still running: an export given up as stalled (exports_expire)
        # whose worker came back after all stays failed, and its file goes.
        if not Export.objects.filter(pk=export.pk, state=State.RUNNING).update(
            state=State.DONE, size_bytes=size, finished_at=now
        ):
            storage.delete(export.pk)
            export.refresh_from_db()
            return export
        export.state, export.size_bytes, export.finished_at = State.DONE, size, now
        audit_record(
            actor=export.user,
            action=AuditAction.EXPORT_FINISH,
            target=export,
            detail={"kind": export.kind, "rows": export.rows_done, "bytes": size},
        )
    return export


def _fail(export: Export, code: str) -> Export:
    with transaction.atomic():
        # Not when it was given up meanwhile (exports_expire): it failed once, and its
        # record says why.
        now = timezone.now()
        if not Export.objects.filter(pk=export.pk, state=State.RUNNING).update(
            state=State.FAILED, failure=code, finished_at=now
        ):
            export.refresh_from_db()
            return export
        export.state, export.failure, export.finished_at = State.FAILED, code, now
        audit_record(
            actor=export.user,
            action=AuditAction.EXPORT_FAIL,
            target=export,
            detail={"failure": code},
        )
    storage.delete(export.pk)
    return export


def export_open(*, user: User, export: Export) -> Iterator[bytes] | None:
    """The file's bytes for its owner (the caller got `export` from selectors.export_get),
    the download logged; None when there is no file: not ready, or deleted.

    DownloadRefused (logged as `export.download_refused`) when the user, as they are in the
    database now, is no longer active, may no longer export this kind of list, or has
    another role or team than when they asked for it: the file holds what they could see
    then, which may no longer be theirs to see."""
    if export.state != State.DONE or not storage.path_for(export.pk).exists():
        return None
    current = User.objects.filter(pk=user.pk).first()
    refusal = download_refusal(current, export) if current is not None else "inactive"
    if refusal:
        with transaction.atomic():
            audit_record(
                actor=user,
                action=AuditAction.EXPORT_DOWNLOAD_REFUSED,
                target=export,
                detail={"kind": export.kind, "reason": refusal},
            )
        raise DownloadRefused(refusal)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.EXPORT_DOWNLOAD,
            target=export,
            detail={"kind": export.kind, "rows": export.rows_done},
        )
    return storage.read_segments(export.pk)


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their time (settings.EXPORT_RETENTION_DAYS), and
    give up on exports that never finished by then; the rows stay, without a file, as the
    record of what was exported. Returns how many exports were expired.

    Also gives up on exports that lost their worker (exports_stalled)."""
    now = now or timezone.now()
    exports_stalled(now=now)
    due = list(
        Export.objects.filter(expires_at__lte=now)
        .exclude(state__in=[State.EXPIRED, State.FAILED])
        .values_list("pk", "state")
    )
    for pk, state in due:
        storage.delete(pk)
        with transaction.atomic():
            if state in (State.QUEUED, State.RUNNING):
                Export.objects.filter(pk=pk).update(
                    state=State.FAILED, failure="expired", finished_at=now
                )
            else:
                Export.objects.filter(pk=pk).update(state=State.EXPIRED)
    _expired_record([pk for pk, _state in due])
    return len(due)


def _expired_record(ids: list[uuid.UUID], **detail: str) -> None:
    """One `export.expire` entry for the exports whose files went (ids only)."""
    if ids:
        with transaction.atomic():
            audit_record(
                actor=SYSTEM,
                action=AuditAction.EXPORT_EXPIRE,
                target=Target("exports.export", "*"),
                detail={"ids": [str(pk) for pk in ids], **detail},
            )


def exports_stalled(*, now: datetime | None = None) -> list[uuid.UUID]:
    """Give up on running exports that showed no progress for settings.EXPORT_STALLED_MINUTES:
    their worker died (a restart, a crash) and the task is not run again, so without this
    they would read "being made" until they expire. Each is failed with the reason its
    user sees and logged; what the worker left behind (the partial file, XlsxWriter's
    temporary files once no export is running any more) is removed. Returns their ids."""
    now = now or timezone.now()
    before = now - timedelta(minutes=settings.EXPORT_STALLED_MINUTES)
    silent = Q(progress_at__lt=before) | Q(progress_at__isnull=True, started_at__lt=before)
    given_up = []
    for pk in Export.objects.filter(silent, state=State.RUNNING).values_list("pk", flat=True):
        with transaction.atomic():
            # Again with the state: the worker may have finished or written a batch since the
            # list was read; then it is left alone, its file too.
            if not Export.objects.filter(silent, pk=pk, state=State.RUNNING).update(
                state=State.FAILED, failure="stalled", finished_at=now
            ):
                continue
            audit_record(
                actor=SYSTEM,
                action=AuditAction.EXPORT_FAIL,
                target=Target("exports.export", str(pk)),
                detail={"failure": "stalled"},
            )
        given_up.append(pk)
        storage.delete(pk)
    if not Export.objects.filter(state=State.RUNNING).exists():
        storage.sweep_work(older_than=before)
    return given_up


# The rows each kind of export holds, by the ids its `export.rows` entries name.
ROW_MODELS = {Kind.REPORTS: Report, Kind.CASES: Case, Kind.INTERVENTIONS: Intervention}


def exports_with_destroyed_rows_expire() -> int:
    """Delete, before their time, the files of exports that hold a row of a report, case or
    intervention that no longer exists: the retention run destroyed it (issue 15), and a
    copy in a file on disk may not outlive it. Run after each retention run; exports being
    made while it ran are caught by the next run. Which rows a file holds is read from its
    `export.rows` audit entries (ids only). The export stays as the record, expired with the
    reason `destroyed`. Returns how many were deleted."""
    deleted = []
    live = Export.objects.filter(state=State.DONE, kind__in=list(ROW_MODELS))
    for export in live.only("pk", "kind"):
        ids: set[int] = set()
        for detail in AuditEntry.objects.filter(
            action=AuditAction.EXPORT_ROWS,
            object_type=Target.of(export).type,
            object_id=str(export.pk),
        ).values_list("detail", flat=True):
            ids.update(detail.get("ids", []))
        model = ROW_MODELS[Kind(export.kind)]
        if ids and model._default_manager.filter(pk__in=ids).count() < len(ids):
            deleted.append(export.pk)
    for pk in deleted:
        storage.delete(pk)
        Export.objects.filter(pk=pk, state=State.DONE).update(
            state=State.EXPIRED, failure="destroyed"
        )
    _expired_record(deleted, reason="destroyed")
    return len(deleted)

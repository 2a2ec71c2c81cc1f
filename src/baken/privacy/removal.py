"""Removal on a request of the person concerned (AVG art. 17; issue 16): the items the
privacy officer confirmed to be about the requester and decided to remove are destroyed by
the retention machinery — the same functions, the same completeness, the same proof.

A removal is a run of its own (`RetentionRun` with the request's reference in place of a
rule, started by the officer, without lines per rule): its statement of destruction lists
every report, case, hand-over and registered subject that went, with a fingerprint written
in the audit log, and is read and downloaded where the runs' statements are
(privacy/statement.py, /bewaren/runs/<id>). As after a run, the full-text indexes are
rewritten without what went, SQLite's write-ahead log is emptied and exports that hold a
destroyed row are deleted (signals.run_finished).

A legal hold in force still blocks: when one of the items (or what it takes along) is held,
nothing is removed and the refusal names what is held and until when. The request and the
confirmation of each item are the rights app's to check (rights/changes.py).
"""

from collections.abc import Collection
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core import dates
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.reports.access import NOT_FOUND, may_act_on_request
from baken.subjects.search_index import search_index_purge

from . import signals
from .destruction import Held, Requested, destroy_requested, held_of
from .models import RetentionRun
from .retention import log_truncate, statement_digest


class RemovalHeld(Refused):
    """A legal hold keeps one of the items (409): nothing was removed."""

    kind = Kind.CONFLICT

    def __init__(self, held: list[Held]):
        names = ", ".join(
            _("%(reference)s (until %(until)s)")
            % {"reference": h.reference, "until": dates.long(h.until)}
            for h in held
        )
        super().__init__(
            "held",
            _(
                "A legal hold keeps %(items)s: nothing was removed. Leave it out, or remove "
                "it once the hold has ended or is lifted."
            )
            % {"items": names},
        )
        self.held = held


def removal_on_request(
    *,
    actor: Actor,
    reference: str,
    reports: Collection[int] = (),
    subjects: Collection[int] = (),
    cases: Collection[int] = (),
    now: datetime | None = None,
) -> tuple[RetentionRun, Requested]:
    """Destroy `reports`, `subjects` and `cases` (ids) on the request `reference`, all in one
    transaction, as a run whose statement names the request. Refused: not_found unless the
    actor carries out requests (the privacy officer), invalid when nothing is named,
    RemovalHeld (409) when a legal hold keeps any of it."""
    if not (isinstance(actor, User) and may_act_on_request(actor)):
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    reference = (reference or "").strip()
    if not reference:
        raise Refused("required", _("Name the request."), field="reference")
    if not (reports or subjects or cases):
        raise Refused("required", _("Choose what is to be removed."), field="items")
    now = now or timezone.now()
    with transaction.atomic():
        # Under the row locks, over what will be destroyed (merged reports at any depth).
        held = held_of(reports=reports, subjects=subjects, cases=cases, now=now, lock=True)
        if held:
            raise RemovalHeld(held)
        run = RetentionRun.objects.create(
            started_at=now, started_by=actor, request_reference=reference[:32]
        )
        audit_record(
            actor=actor,
            action=AuditAction.RETENTION_RUN_START,
            target=run,
            detail={"request": run.request_reference},
        )
        done = destroy_requested(
            run=run, actor=actor, reports=reports, subjects=subjects, cases=cases, now=now
        )
        run.finished_at = timezone.now()
        run.digest = statement_digest(run)
        run.save(update_fields=["finished_at", "digest"])
        audit_record(
            actor=actor,
            action=AuditAction.RETENTION_RUN_FINISH,
            target=run,
            detail={
                "digest": run.digest,
                "request": run.request_reference,
                "reports": done.reports,
                "subjects": done.subjects,
                "cases": done.cases,
            },
        )
        # Once it is committed (also when a caller's transaction holds this one): what went
        # leaves the full-text index, SQLite's log and the exports too.
        transaction.on_commit(lambda: _after(run))
    return run, done


def _after(run: RetentionRun) -> None:
    search_index_purge(connection)
    log_truncate()
    signals.run_finished.send(sender=RetentionRun, run=run)

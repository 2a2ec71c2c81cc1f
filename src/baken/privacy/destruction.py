"""Destroying a report whose term has passed (docs/retention.md, "What is destroyed").

One report at a time, in a transaction of its own: the report is read again under a row lock
and destroyed only if it is still due (same state, no legal hold, not part of a case). With
it go the reports merged into it (the originals of a merge), everything that cascades from
the report's row (versions, subjects named and their matches, notes, weighing answers,
decisions, status changes, links, the receipt, the reporter's contact, messages, attachments'
rows, the resend record), the relations whose only source it was, the subjects it named
that nothing names any more (no report, relation, hand-over notice or hold), and — once the
transaction has committed — the attachments' files. A report split from it keeps its own
life and loses only the pointer back.

The receipt code's keyed hash is kept as closed, so the reporter who follows the report up
reads that it is closed, nothing more.

What stays is the statement of destruction: a line per report with its reference, category
code, dates, decision and, when it was shared, with whom; and one audit entry per report with
ids and codes only, so the audit chain still verifies.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.cases.models import Case, CaseReport, Handover, HandoverNotice
from baken.core.actors import SYSTEM
from baken.places.areas import area_for
from baken.reports import attachments as files
from baken.reports.models import Attachment, ClosedReceipt, Receipt, Report, StatusChange
from baken.reports.workflow import Status
from baken.subjects.models import Mention, Relation, Subject

from .models import (
    DestroyedItem,
    DestroyedReportFigure,
    DestructionProposal,
    LegalHold,
    ProposalState,
    RetentionRule,
    RetentionRun,
)


@dataclass(frozen=True)
class Outcome:
    destroyed: int  # reports destroyed, merged originals included
    kept: bool  # True when the report turned out not to be due any more
    subjects: int = 0  # subjects destroyed because nothing names them any more


def _held(report_ids: list[int], now: datetime) -> bool:
    return LegalHold.objects.active(now).filter(report_id__in=report_ids).exists()


def _group(report: Report) -> list[Report]:
    """The report and every report merged into it, at any depth."""
    group, frontier = [report], [report.pk]
    while frontier:
        merged = list(Report.objects.select_for_update().filter(merged_into_id__in=frontier))
        group += merged
        frontier = [r.pk for r in merged]
    return group


def _item(run: RetentionRun, rule: RetentionRule, report: Report, now: datetime) -> DestroyedItem:
    decision = report.decisions.order_by("-at").first()
    return DestroyedItem(
        run=run,
        rule=rule,
        object_type="report",
        reference=report.reference,
        category=report.category.code if report.category else "",
        received_on=timezone.localdate(report.received_at),
        decided_on=timezone.localdate(decision.at) if decision else None,
        decision=decision.kind if decision else "",
        shared_with=decision.recipient if decision else "",
        destroyed_at=now,
    )


def _record_destroyed(obj, *, rule: RetentionRule, run: RetentionRun) -> None:
    """The audit entry of one destroyed object: its type and id, the rule, its version and
    the run — ids and codes only, so the chain still verifies once the object is gone."""
    audit_record(
        actor=SYSTEM,
        action=AuditAction.RETENTION_DESTROY,
        target=Target.of(obj),
        detail={"rule": rule.kind, "version": rule.version, "run": run.pk},
    )


def _discard(attachment_ids: list[uuid.UUID]) -> None:
    for attachment_id in attachment_ids:
        files.discard(attachment_id)


DECIDED = (Status.NO_ACTION, Status.REFERRED, Status.FORWARDED, Status.IN_ANALYSIS)


def _figure(report: Report) -> DestroyedReportFigure:
    """What the dashboard keeps counting of `report` once it is gone."""
    firsts = dict(
        StatusChange.objects.filter(report=report, to_status__in=[Status.WEIGHED, *DECIDED])
        .order_by()
        .values_list("to_status")
        .annotate(first=Min("at"))
    )
    decided = [at for status, at in firsts.items() if status != Status.WEIGHED]
    area = area_for(report.lat, report.lon)
    return DestroyedReportFigure(
        received_at=report.received_at,
        team_id=report.team_id,
        category_id=report.category_id,
        channel=report.channel,
        area_id=area.pk if area else None,
        status=report.status,
        merged=report.merged_into_id is not None,
        first_weighed_at=firsts.get(Status.WEIGHED),
        first_decided_at=min(decided) if decided else None,
    )


def destroy_report(
    *, pk: int, statuses: Sequence[str], run: RetentionRun, rule: RetentionRule, now: datetime
) -> Outcome:
    """Destroy report `pk` if it is still due under `rule` (its status one of `statuses`, not
    held, not in a case); the reports merged into it go with it."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .filter(pk=pk, status__in=statuses, merged_into__isnull=True)
            .first()
        )
        if report is None:
            return Outcome(0, kept=True)
        group = _group(report)
        ids = [r.pk for r in group]
        if _held(ids, now) or CaseReport.objects.filter(report_id__in=ids).exists():
            return Outcome(0, kept=True)
        subjects = _destroy_group(group, run=run, rule=rule, now=now)
    return Outcome(len(group), kept=False, subjects=subjects)


def _destroy_group(
    group: list[Report], *, run: RetentionRun, rule: RetentionRule, now: datetime
) -> int:
    """Destroy these reports (a report and the reports merged into it), inside the caller's
    transaction; returns how many subjects went with them."""
    ids = [r.pk for r in group]
    attachment_ids: list[uuid.UUID] = list(
        Attachment.objects.filter(report_id__in=ids).values_list("pk", flat=True)
    )
    DestroyedItem.objects.bulk_create([_item(run, rule, r, now) for r in group])
    DestroyedReportFigure.objects.bulk_create([_figure(r) for r in group])
    ClosedReceipt.objects.bulk_create(
        [
            ClosedReceipt(code_hash=code_hash, closed_at=now)
            for code_hash in Receipt.objects.filter(report_id__in=ids).values_list(
                "code_hash", flat=True
            )
        ],
        ignore_conflicts=True,
    )
    named = set(
        Mention.objects.filter(report_subject__report_id__in=ids).values_list(
            "subject_id", flat=True
        )
    )
    Report.objects.filter(split_from_id__in=ids).exclude(pk__in=ids).update(split_from=None)
    Relation.objects.filter(source_report_id__in=ids).delete()
    # Merged originals first: they point at the report that is deleted last.
    for member in reversed(group):
        _record_destroyed(member, rule=rule, run=run)
        member.delete()
    subjects = _unnamed_subjects_destroy(named, run=run, rule=rule, now=now)
    transaction.on_commit(lambda: _discard(attachment_ids))
    return subjects


def _unnamed_subjects_destroy(
    candidates: set[int], *, run: RetentionRun, rule: RetentionRule, now: datetime
) -> int:
    """Destroy the subjects a destroyed report named that nothing names any more: no report
    (a mention), no relation (either end), no case's hand-over notice, no subject merged
    into it, and no legal hold. Inside the report's transaction."""
    unnamed = list(
        Subject.objects.select_for_update()
        .filter(pk__in=candidates)
        .exclude(Exists(Mention.objects.filter(subject=OuterRef("pk"))))
        .exclude(Exists(Relation.objects.filter(source=OuterRef("pk"))))
        .exclude(Exists(Relation.objects.filter(target=OuterRef("pk"))))
        .exclude(Exists(HandoverNotice.objects.filter(subject=OuterRef("pk"))))
        .exclude(Exists(Subject.objects.filter(merged_into=OuterRef("pk"))))
        .exclude(Exists(LegalHold.objects.active(now).filter(subject=OuterRef("pk"))))
    )
    for subject in unnamed:
        DestroyedItem.objects.create(
            run=run,
            rule=rule,
            object_type="subject",
            reference=f"#{subject.pk}",
            destroyed_at=now,
        )
        _record_destroyed(subject, rule=rule, run=run)
        subject.delete()
    return len(unnamed)


ORPHAN_AGE = timedelta(hours=1)


def orphan_files_remove(*, now: datetime) -> int:
    """Remove attachment files whose row is gone: a run killed between a destruction's commit
    and the deletion of its files leaves them behind, and the next run removes them. Files
    younger than an hour are left alone (an upload writes its file before its row)."""
    folder = settings.ATTACHMENT_DIR
    if not folder.is_dir():
        return 0
    before = (now - ORPHAN_AGE).timestamp()
    removed = 0
    batch: dict[uuid.UUID, Path] = {}
    for path in folder.glob("*.bin"):
        try:
            batch[uuid.UUID(path.stem)] = path
        except ValueError:
            continue
        if len(batch) >= 1000:
            removed += _remove_orphans(batch, before)
            batch = {}
    return removed + _remove_orphans(batch, before)


def _remove_orphans(batch: dict[uuid.UUID, Path], before: float) -> int:
    kept = set(Attachment.objects.filter(pk__in=list(batch)).values_list("pk", flat=True))
    removed = 0
    for attachment_id, path in batch.items():
        if attachment_id not in kept and path.stat().st_mtime < before:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def destroy_case(
    *, pk: int, run: RetentionRun, rule: RetentionRule, before: datetime, now: datetime
) -> Outcome:
    """Destroy closed case `pk` if it is still due (closed before `before`, not held), with
    its notes, tasks, interventions, consultations, decisions, members and hand-overs, and
    its reports that no other case holds. The sharing register keeps that it shared: a
    statement line per hand-over (to whom, on which legal basis, when), not what."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .filter(pk=pk, closed_at__isnull=False, closed_at__lt=before)
            .first()
        )
        if case is None or LegalHold.objects.active(now).filter(case=case).exists():
            return Outcome(0, kept=True)
        report_ids = list(CaseReport.objects.filter(case=case).values_list("report_id", flat=True))
        shared = list(Handover.objects.filter(case=case).order_by("at"))
        DestroyedItem.objects.create(
            run=run,
            rule=rule,
            object_type="case",
            reference=case.reference,
            received_on=timezone.localdate(case.opened_at),
            decided_on=timezone.localdate(case.closed_at) if case.closed_at else None,
            decision=case.result.code if case.result else "",
            destroyed_at=now,
        )
        DestroyedItem.objects.bulk_create(
            [
                DestroyedItem(
                    run=run,
                    rule=rule,
                    object_type="handover",
                    reference=case.reference,
                    decided_on=timezone.localdate(handover.at),
                    decision="handover",
                    shared_with=f"{handover.recipient} ({handover.legal_basis})"[:200],
                    destroyed_at=now,
                )
                for handover in shared
            ]
        )
        DestructionProposal.objects.filter(case=case, state=ProposalState.APPROVED).update(
            state=ProposalState.DESTROYED
        )
        HandoverNotice.objects.filter(handover__case=case).delete()
        Handover.objects.filter(case=case).delete()
        CaseReport.objects.filter(case=case).delete()
        _record_destroyed(case, rule=rule, run=run)
        case.delete()
        destroyed = 0
        for report in Report.objects.select_for_update().filter(
            pk__in=report_ids, merged_into__isnull=True
        ):
            if CaseReport.objects.filter(report=report).exists():
                continue  # another case still holds it: that case's term decides
            group = _group(report)
            _destroy_group(group, run=run, rule=rule, now=now)
            destroyed += len(group)
    return Outcome(destroyed, kept=False)

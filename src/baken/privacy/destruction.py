"""Destroying a report whose term has passed (docs/retention.md, "What is destroyed").

A batch of reports at a time, in one transaction (all of the batch or nothing): the reports
are read again under a row lock and each is destroyed only if it is still due (same state, no
legal hold, not part of a case); one that is not stays, and the rest of the batch goes. The
work is set-based, one statement per kind of row for the whole batch rather than per report,
so that a night's run costs the people at work as little as possible.

With each report go the reports merged into it (the originals of a merge), everything that
cascades from the report's row (versions, subjects named and their matches, notes, weighing
answers, decisions, status changes, links, the receipt, the reporter's contact, messages,
attachments' rows, the resend record), the relations whose only source it was, the subjects
it named that nothing names any more (no report, relation, hand-over notice or hold), and —
once the transaction has committed — the attachments' files. A report split from it keeps
its own life and loses only the pointer back.

The receipt code's keyed hash is kept as closed, so the reporter who follows the report up
reads that it is closed, nothing more.

What stays is the statement of destruction: a line per report with its reference, category
code, dates, decision and, when it was shared, with whom; and one audit entry per report with
ids and codes only, so the audit chain still verifies.
"""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record_many
from baken.cases.models import Case, CaseNote, CaseReport, Handover, HandoverNotice
from baken.core.actors import SYSTEM
from baken.places.areas import area_for
from baken.places.models import Area
from baken.reports import attachments as files
from baken.reports.models import (
    Attachment,
    Category,
    ClosedReceipt,
    Decision,
    Receipt,
    Report,
    StatusChange,
)
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
    kept: bool  # True when the report (or case) turned out not to be due any more
    subjects: int = 0  # subjects destroyed because nothing names them any more


@dataclass(frozen=True)
class BatchOutcome:
    destroyed: int  # reports destroyed, merged originals included
    kept: int  # reports of the batch that turned out not to be due any more (nothing done)
    subjects: int = 0  # subjects destroyed because nothing names them any more


# What a destruction reads of a report itself (the rest goes with the row).
_FIELDS = (
    "pk",
    "reference",
    "category_id",
    "received_at",
    "team_id",
    "channel",
    "lat",
    "lon",
    "status",
    "merged_into_id",
)


def _groups(reports: list[Report]) -> list[list[Report]]:
    """Each report with every report merged into it, at any depth: one locking read per
    level of merging for the whole batch."""
    groups = {report.pk: [report] for report in reports}
    root_of = {report.pk: report.pk for report in reports}
    frontier = list(groups)
    while frontier:
        merged = list(
            Report.objects.select_for_update()
            .filter(merged_into_id__in=frontier)
            .only(*_FIELDS)
            .order_by("pk")
        )
        for member in merged:
            root_of[member.pk] = root_of[cast(int, member.merged_into_id)]  # as filtered
            groups[root_of[member.pk]].append(member)
        frontier = [member.pk for member in merged]
    return list(groups.values())


def _last_decisions(ids: list[int]) -> dict[int, tuple]:
    """Per report its last decision: (at, kind, recipient)."""
    last: dict[int, tuple] = {}
    for report_id, at, kind, recipient in (
        Decision.objects.filter(report_id__in=ids)
        .order_by("report_id", "at", "pk")
        .values_list("report_id", "at", "kind", "recipient")
    ):
        last[report_id] = (at, kind, recipient)
    return last


def _items(
    reports: list[Report], *, run: RetentionRun, rule: RetentionRule | None, now: datetime
) -> list[DestroyedItem]:
    """The statement's line of each report: reference, category code, dates, decision."""
    ids = [r.pk for r in reports]
    decisions = _last_decisions(ids)
    codes = dict(
        Category.objects.filter(pk__in={r.category_id for r in reports if r.category_id})
        .order_by()
        .values_list("pk", "code")
    )
    items = []
    for report in reports:
        decided = decisions.get(report.pk)
        items.append(
            DestroyedItem(
                run=run,
                rule=rule,
                object_type="report",
                reference=report.reference,
                category=codes.get(report.category_id, "") if report.category_id else "",
                received_on=timezone.localdate(report.received_at),
                decided_on=timezone.localdate(decided[0]) if decided else None,
                decision=decided[1] if decided else "",
                shared_with=decided[2] if decided else "",
                destroyed_at=now,
            )
        )
    return items


def _audited(obj, *, rule: RetentionRule | None, run: RetentionRun) -> tuple[Target, dict]:
    """The audit entry of one destroyed object: its type and id, the rule, its version and
    the run — ids and codes only, so the chain still verifies once the object is gone. On a
    request (no rule): the request's reference and the run."""
    if rule is None:
        return Target.of(obj), {"request": run.request_reference, "run": run.pk}
    return Target.of(obj), {"rule": rule.kind, "version": rule.version, "run": run.pk}


def _discard(attachment_ids: list[uuid.UUID]) -> None:
    for attachment_id in attachment_ids:
        files.discard(attachment_id)


DECIDED = (Status.NO_ACTION, Status.REFERRED, Status.FORWARDED, Status.IN_ANALYSIS)


def _figures(reports: list[Report]) -> list[DestroyedReportFigure]:
    """What the dashboard keeps counting of these reports once they are gone."""
    firsts: dict[int, dict[str, datetime]] = {}
    for report_id, status, first in (
        StatusChange.objects.filter(
            report_id__in=[r.pk for r in reports], to_status__in=[Status.WEIGHED, *DECIDED]
        )
        .order_by()
        .values_list("report_id", "to_status")
        .annotate(first=Min("at"))
    ):
        firsts.setdefault(report_id, {})[status] = first
    # The areas that may hold one of the reports (the batch's bounding box), read once.
    lats = [r.lat for r in reports if r.lat is not None and r.lon is not None]
    lons = [r.lon for r in reports if r.lat is not None and r.lon is not None]
    areas = (
        list(
            Area.objects.filter(
                min_lat__lte=max(lats),
                max_lat__gte=min(lats),
                min_lon__lte=max(lons),
                max_lon__gte=min(lons),
            )
        )
        if lats
        else []
    )
    figures = []
    for report in reports:
        own = firsts.get(report.pk, {})
        decided = [at for status, at in own.items() if status != Status.WEIGHED]
        area = area_for(report.lat, report.lon, areas)
        figures.append(
            DestroyedReportFigure(
                received_at=report.received_at,
                team_id=report.team_id,
                category_id=report.category_id,
                channel=report.channel,
                area_id=area.pk if area else None,
                status=report.status,
                merged=report.merged_into_id is not None,
                first_weighed_at=own.get(Status.WEIGHED),
                first_decided_at=min(decided) if decided else None,
            )
        )
    return figures


def destroy_reports(
    *,
    pks: Sequence[int],
    statuses: Sequence[str],
    run: RetentionRun,
    rule: RetentionRule,
    now: datetime,
) -> BatchOutcome:
    """Destroy the reports `pks` that are still due under `rule` (status one of `statuses`,
    not held, not in a case), each with the reports merged into it — all in one transaction,
    so the batch is destroyed completely or not at all. A report that is no longer due is
    left alone and counted as kept."""
    with transaction.atomic():
        reports = list(
            Report.objects.select_for_update()
            .filter(pk__in=pks, status__in=statuses, merged_into__isnull=True)
            .only(*_FIELDS)
            .order_by("pk")
        )
        groups = _groups(reports)
        ids = [r.pk for group in groups for r in group]
        kept_ids = set(
            LegalHold.objects.active(now)
            .filter(report_id__in=ids)
            .values_list("report_id", flat=True)
        ) | set(
            CaseReport.objects.filter(report_id__in=ids)
            .order_by()
            .values_list("report_id", flat=True)
        )
        due = [group for group in groups if not any(r.pk in kept_ids for r in group)]
        subjects, audited = _destroy_groups(due, run=run, rule=rule, now=now)
        # Last, just before the commit: see _destroy_groups.
        audit_record_many(actor=SYSTEM, action=AuditAction.RETENTION_DESTROY, entries=audited)
    return BatchOutcome(
        destroyed=sum(len(group) for group in due),
        kept=len(pks) - len(due),
        subjects=subjects,
    )


def _destroy_groups(
    groups: list[list[Report]], *, run: RetentionRun, rule: RetentionRule | None, now: datetime
) -> tuple[int, list[tuple[Target, dict]]]:
    """Destroy these reports (each group a report and the reports merged into it), inside the
    caller's transaction, with a fixed number of statements for the whole batch (plus one
    insert per report: the dashboard's stale week, which Report's post_delete writes);
    returns how many subjects went with them, and the audit entries of all that was
    destroyed.

    The caller appends those entries last, just before it commits: appending takes the lock
    on the audit chain's head, which every request that reads personal data also needs, so
    it is held for milliseconds instead of for the whole batch."""
    if not groups:
        return 0, []
    reports = [r for group in groups for r in group]
    ids = [r.pk for r in reports]
    merged = [r.pk for r in reports if r.merged_into_id is not None]
    attachment_ids: list[uuid.UUID] = list(
        Attachment.objects.filter(report_id__in=ids).order_by().values_list("pk", flat=True)
    )
    DestroyedItem.objects.bulk_create(_items(reports, run=run, rule=rule, now=now))
    DestroyedReportFigure.objects.bulk_create(_figures(reports))
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
    # A report split from one of these keeps its own life and loses only the pointer back;
    # the merged originals let go of their leading report, so that all go in one delete.
    Report.objects.filter(split_from_id__in=ids).update(split_from=None)
    if merged:
        Report.objects.filter(pk__in=merged).update(merged_into=None)
    Relation.objects.filter(source_report_id__in=ids).delete()
    # Merged originals first in the audit log, as they point at the report that leads them.
    audited = [_audited(r, rule=rule, run=run) for group in groups for r in reversed(group)]
    Report.objects.filter(pk__in=ids).delete()  # with what hangs off them, set-based
    subjects = _unnamed_subjects_destroy(named, run=run, rule=rule, now=now)
    audited += [_audited(subject, rule=rule, run=run) for subject in subjects]
    transaction.on_commit(lambda: _discard(attachment_ids))
    return len(subjects), audited


def _unnamed_subjects_destroy(
    candidates: set[int], *, run: RetentionRun, rule: RetentionRule | None, now: datetime
) -> list[Subject]:
    """Destroy the subjects a destroyed report named that nothing names any more: no report
    (a mention), no relation (either end), no case's hand-over notice, no subject merged
    into it, and no legal hold. Inside the report's transaction; returns them (for the
    audit log, which the caller writes)."""
    if not candidates:
        return []
    unnamed = list(
        Subject.objects.select_for_update()
        .filter(pk__in=candidates)
        .exclude(Exists(Mention.objects.filter(subject=OuterRef("pk"))))
        .exclude(Exists(Relation.objects.filter(source=OuterRef("pk"))))
        .exclude(Exists(Relation.objects.filter(target=OuterRef("pk"))))
        .exclude(Exists(HandoverNotice.objects.filter(subject=OuterRef("pk"))))
        .exclude(Exists(Subject.objects.filter(merged_into=OuterRef("pk"))))
        .exclude(Exists(LegalHold.objects.active(now).filter(subject=OuterRef("pk"))))
        .only("pk")
        .order_by("pk")
    )
    if not unnamed:
        return []
    DestroyedItem.objects.bulk_create(
        [
            DestroyedItem(
                run=run,
                rule=rule,
                object_type="subject",
                reference=f"#{subject.pk}",
                destroyed_at=now,
            )
            for subject in unnamed
        ]
    )
    Subject.objects.filter(pk__in=[subject.pk for subject in unnamed]).delete()
    return unnamed


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
        # Held itself, or through a report that would go with it (one merged into one of
        # its reports too): the hold's row would go with it.
        if case is None or held_of(reports=(), subjects=(), cases=[pk], now=now, lock=True):
            return Outcome(0, kept=True)
        destroyed, audited = _case_destroy(case, run=run, rule=rule, now=now)
        audit_record_many(actor=SYSTEM, action=AuditAction.RETENTION_DESTROY, entries=audited)
    return Outcome(destroyed, kept=False)


def _case_destroy(
    case: Case, *, run: RetentionRun, rule: RetentionRule | None, now: datetime
) -> tuple[int, list[tuple[Target, dict]]]:
    """Destroy the locked `case` inside the caller's transaction (see destroy_case); returns
    how many reports went with it and the audit entries, which the caller writes last."""
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
    # On a request (no rule) the case goes whether or not it was on the list yet.
    listed = [ProposalState.APPROVED] if rule else [ProposalState.PROPOSED, ProposalState.APPROVED]
    DestructionProposal.objects.filter(case=case, state__in=listed).update(
        state=ProposalState.DESTROYED
    )
    HandoverNotice.objects.filter(handover__case=case).delete()
    Handover.objects.filter(case=case).delete()
    CaseReport.objects.filter(case=case).delete()
    audited = [_audited(case, rule=rule, run=run)]
    case.delete()
    reports = list(
        Report.objects.select_for_update()
        .filter(pk__in=report_ids, merged_into__isnull=True)
        .only(*_FIELDS)
        .order_by("pk")
    )
    # A report another case still holds stays: that case's term decides.
    other_cases = set(
        CaseReport.objects.filter(report_id__in=[r.pk for r in reports])
        .order_by()
        .values_list("report_id", flat=True)
    )
    groups = _groups([r for r in reports if r.pk not in other_cases])
    _subjects, destroyed = _destroy_groups(groups, run=run, rule=rule, now=now)
    audited += destroyed
    return sum(len(group) for group in groups), audited


# --- on a request of the person concerned (AVG art. 17; privacy/removal.py) ----------------


@dataclass(frozen=True)
class Held:
    """What a legal hold keeps of what was asked to be removed."""

    reference: str  # a report's or case's reference, a subject's number (#412)
    until: date


def _members(roots: dict[int, str], *, lock: bool) -> dict[int, str]:
    """`roots` (report id: the reference it goes with) with every report merged into one of
    them, at any depth, each with its root's reference: what `_groups` takes along. One
    read per level of merging (locking, with `lock`)."""
    found = dict(roots)
    frontier = list(roots)
    while frontier:
        merged = Report.objects.filter(merged_into_id__in=frontier)
        if lock:
            merged = merged.select_for_update()
        rows = list(merged.order_by("pk").values_list("pk", "merged_into_id"))
        frontier = [pk for pk, _into in rows if pk not in found]
        for pk, into in rows:
            found.setdefault(pk, found[into])
    return found


def removal_scope(
    *, reports: Collection[int], subjects: Collection[int], cases: Collection[int], lock: bool
) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """What a removal of `reports`, `subjects` and `cases` destroys, as destroy_requested
    destroys it, each with the reference of the item asked for that takes it along: the
    reports (each asked report with the reports merged into it; of each case the reports
    no other case holds, with theirs), the cases, and the subjects (each with the subjects
    merged into it). The subjects swept because nothing names them any more are left out:
    a held one is never swept. With `lock`, inside the removal's transaction, the cases and
    reports are read under a row lock, in the order destroy_requested locks them."""
    case_rows = Case.objects.filter(pk__in=cases)
    if lock:
        case_rows = case_rows.select_for_update()
    case_refs = dict(case_rows.order_by("pk").values_list("pk", "reference"))
    asked = Report.objects.filter(pk__in=reports)
    if lock:
        asked = asked.select_for_update()
    roots = dict(asked.order_by("pk").values_list("pk", "reference"))
    in_cases = list(
        CaseReport.objects.filter(case_id__in=case_refs)
        .order_by("case_id", "report_id")
        .values_list("report_id", "case_id")
    )
    elsewhere = set(
        CaseReport.objects.filter(report_id__in=[r for r, _c in in_cases])
        .exclude(case_id__in=case_refs)
        .values_list("report_id", flat=True)
    )
    theirs = Report.objects.filter(pk__in=[r for r, _c in in_cases], merged_into__isnull=True)
    if lock:
        theirs = theirs.select_for_update()
    unmerged = set(theirs.order_by("pk").values_list("pk", flat=True))
    for report_id, case_id in in_cases:
        if report_id in unmerged and report_id not in elsewhere:
            roots.setdefault(report_id, case_refs[case_id])
    subjects = set(subjects)
    subject_rows = Subject.objects.filter(Q(pk__in=subjects) | Q(merged_into_id__in=subjects))
    if lock:
        subject_rows = subject_rows.select_for_update()
    subject_refs = {
        pk: f"#{pk if pk in subjects else into}"
        for pk, into in subject_rows.order_by("pk").values_list("pk", "merged_into_id")
    }
    return _members(roots, lock=lock), case_refs, subject_refs


def held_of(
    *,
    reports: Collection[int],
    subjects: Collection[int],
    cases: Collection[int],
    now: datetime,
    lock: bool = False,
) -> list[Held]:
    """The items asked to be removed that a legal hold in force keeps, by what the removal
    would destroy (removal_scope): a report held itself, through a report merged into it
    (at any depth) or through a case that holds it; a case held itself, through one of the
    reports that would go with it or a report merged into one of those; a subject held
    itself or through a subject merged into it. A handful of queries, whatever the number
    of items."""
    report_refs, case_refs, subject_refs = removal_scope(
        reports=reports, subjects=subjects, cases=cases, lock=lock
    )
    # A case that keeps one of the reports that go loses it: its hold keeps the report too.
    holding: dict[int, str] = {}
    for case_id, report_id in CaseReport.objects.filter(report_id__in=report_refs).values_list(
        "case_id", "report_id"
    ):
        holding.setdefault(case_id, report_refs[report_id])
    found: dict[str, date] = {}
    for report_id, case_id, subject_id, until in (
        LegalHold.objects.active(now)
        .filter(
            Q(report_id__in=report_refs)
            | Q(case_id__in=[*case_refs, *holding])
            | Q(subject_id__in=subject_refs)
        )
        .values_list("report_id", "case_id", "subject_id", "until")
    ):
        if report_id is not None:
            reference = report_refs[report_id]
        elif case_id is not None:
            reference = case_refs.get(case_id) or holding[case_id]
        else:
            reference = subject_refs[subject_id]
        found[reference] = max(until, found.get(reference, until))
    return [Held(reference, until) for reference, until in sorted(found.items())]


@dataclass(frozen=True)
class Requested:
    reports: int  # destroyed, merged originals and those of a destroyed case included
    subjects: int  # the registered subjects asked for, those merged into them, and those
    # that nothing names any more once the reports went
    cases: int


def destroy_requested(
    *,
    run: RetentionRun,
    actor: User,
    reports: Collection[int],
    subjects: Collection[int],
    cases: Collection[int],
    now: datetime,
) -> Requested:
    """Destroy what a request of the person concerned asked, inside the caller's transaction
    (privacy/removal.py, which checked the holds), with the same functions and the same
    completeness as the retention run: each case with its notes, tasks, hand-overs and the
    reports no other case holds; each report with the reports merged into it and all that
    hangs off them, and the subjects it named that nothing names any more; each registered
    subject with the subjects merged into it, its mentions, relations, versions and key,
    and then the subjects that nothing names any more once all of it went (the other end of
    a relation, one a removed report named). A
    report that a remaining case holds leaves that case, which gets a note saying so. Every
    line of the statement names the run, which names the request; one audit entry per
    object, by `actor`, ids only."""
    audited: list[tuple[Target, dict]] = []
    destroyed_reports = 0
    # What may be left naming nothing once all of it went (swept last): the subjects the
    # reports named, and the other ends of the subjects' relations.
    in_cases = CaseReport.objects.filter(case_id__in=cases).values("report_id")
    candidates = set(
        Mention.objects.filter(
            Q(report_subject__report_id__in=reports) | Q(report_subject__report_id__in=in_cases)
        ).values_list("subject_id", flat=True)
    )
    for source, target in Relation.objects.filter(
        Q(source_id__in=subjects) | Q(target_id__in=subjects)
    ).values_list("source_id", "target_id"):
        candidates |= {source, target}
    case_rows = list(
        # Only the case's row: PostgreSQL locks no row of an outer join (a case's result).
        Case.objects.select_for_update(of=("self",))
        .filter(pk__in=cases)
        .select_related("result")
        .order_by("pk")
    )
    for case in case_rows:
        count, entries = _case_destroy(case, run=run, rule=None, now=now)
        destroyed_reports += count
        audited += entries
    roots = list(
        Report.objects.select_for_update().filter(pk__in=reports).only(*_FIELDS).order_by("pk")
    )
    groups = _groups(roots)
    # A report asked for that was merged into another one asked for goes with that one.
    members = {r.pk for group in groups for r in group[1:]}
    groups = [group for group in groups if group[0].pk not in members]
    ids = [r.pk for group in groups for r in group]
    for case_id, reference in (
        CaseReport.objects.filter(report_id__in=ids)
        .order_by("case_id", "report_id")
        .values_list("case_id", "report__reference")
    ):
        CaseNote.objects.create(
            case_id=case_id,
            text=_stored(
                "Report %(reference)s was destroyed on a request of the person concerned "
                "(%(request)s)."
            )
            % {"reference": reference, "request": run.request_reference},
            author=actor,
            at=now,
        )
    CaseReport.objects.filter(report_id__in=ids).delete()
    unnamed, entries = _destroy_groups(groups, run=run, rule=None, now=now)
    destroyed_reports += len(ids)
    audited += entries
    gone, entries = _subjects_destroy(subjects, run=run, now=now)
    audited += entries
    swept = _unnamed_subjects_destroy(candidates - set(subjects), run=run, rule=None, now=now)
    audited += [_audited(subject, rule=None, run=run) for subject in swept]
    gone += len(swept)
    audit_record_many(actor=actor, action=AuditAction.RETENTION_DESTROY_ON_REQUEST, entries=audited)
    return Requested(reports=destroyed_reports, subjects=unnamed + gone, cases=len(case_rows))


def _stored(message: str) -> str:
    """A note that is stored: in the product's language, whoever asks."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def _subjects_destroy(
    pks: Collection[int], *, run: RetentionRun, now: datetime
) -> tuple[int, list[tuple[Target, dict]]]:
    """Destroy the registered subjects `pks` and those merged into them (one level: a merge
    into a merged subject is refused), inside the caller's transaction. Mentions, relations,
    versions and the key go with each row; a hand-over notice about one keeps that it was
    given, about the subject's number instead of its name."""
    if not pks:
        return 0, []
    rows = list(
        Subject.objects.select_for_update()
        .filter(Q(pk__in=pks) | Q(merged_into_id__in=pks))
        .only("pk", "merged_into")
        .order_by("pk")
    )
    ids = [subject.pk for subject in rows]
    DestroyedItem.objects.bulk_create(
        [
            DestroyedItem(
                run=run, rule=None, object_type="subject", reference=f"#{pk}", destroyed_at=now
            )
            for pk in ids
        ]
    )
    for notice in HandoverNotice.objects.filter(subject_id__in=ids).only("pk", "subject_id"):
        notice.about = f"#{notice.subject_id}"
        notice.save(update_fields=["about"])
    # The merged let go of the one they were merged into, so that all go in one delete.
    Subject.objects.filter(pk__in=ids, merged_into__isnull=False).update(merged_into=None)
    Subject.objects.filter(pk__in=ids).delete()
    return len(ids), [_audited(subject, rule=None, run=run) for subject in rows]

"""Duplicates: merging two reports about one matter, and splitting one report about two
(issue "Werkruimte I", item 7; docs/product.md#triage-checking-supplementing-improving:
duplicates are merged and split, always keeping the originals).

- A merge only points the duplicate at the leading report (`merged_into`). Nothing is
  copied or deleted: both originals and working versions stay, the duplicate leaves the work
  queue (the inbox shows no merged reports) and the leading report's page lists it.
- A split creates a new report for the second matter (`split_from`), with a copy of the
  original as its own original; the chosen named subjects move to it, which is a new
  version of the first report's working version.
- Each can be undone: unmerge clears `merged_into`; unsplit merges the split-off report back.

Every one of these needs a reason. There is no table of merge events (this change adds no
migration), so the reason is kept where the team reads it: a note on each report involved,
written in the same transaction as the change and its audit rows (which hold ids only).

Each service takes the actor and refuses on its own (access.require, ADR 0027), before it
looks at the reason: not_found unless the actor may know every report involved (both of a
merge, the duplicate and the report it was merged into, the split-off report and the one it
came from), forbidden unless their role may merge (`permissions.Action.MERGE`).
"""

import copy
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.refusals import Refused

from .access import require
from .editing import EDITABLE, original_data, working_data
from .keys import key_ensure
from .models import Note, Report, ReportSubject, ReportVersion, StatusChange
from .permissions import Action
from .services import new_reference
from .workflow import Status

REASON_MAX = 2000


class DuplicateRefused(Refused, ValueError):
    """The merge or split cannot be done; `problems` names the field and why (a
    core.refusals.Refused: the API and the pages show it without translating code)."""

    def __init__(self, problems: dict):
        super().__init__("duplicate_refused", problems=problems)


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DuplicateRefused({"reason": _("Give a reason.")})
    if len(reason) > REASON_MAX:
        raise DuplicateRefused({"reason": _("Keep the reason under 2000 characters.")})
    return reason


def _lock(*pks: int) -> dict[int, Report]:
    """Lock the reports in id order (two merges of one pair never deadlock)."""
    rows = Report.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {report.pk: report for report in rows}


def _note(report: Report, actor: User, text: str) -> Note:
    return Note.objects.create(report=report, text=text, author=actor, at=timezone.now())


def _check_merge(leading: Report, duplicate: Report) -> None:
    if leading.pk == duplicate.pk:
        raise DuplicateRefused({"into": _("A report cannot be merged into itself.")})
    if duplicate.merged_into_id is not None:
        raise DuplicateRefused({"into": _("This report has already been merged.")})
    if leading.merged_into_id is not None:
        raise DuplicateRefused(
            {"into": _("The leading report was itself merged; choose the report it leads to.")}
        )
    if duplicate.merged_reports.exists():
        raise DuplicateRefused(
            {"into": _("Other reports were merged into this one; undo those merges first.")}
        )


def report_merge(*, leading: Report, duplicate: Report, actor: User, reason: str) -> Report:
    """Merge `duplicate` into `leading`; returns the duplicate, now pointing at it."""
    require(actor, duplicate, Action.MERGE)
    require(actor, leading, Action.MERGE)
    return _merge(leading, duplicate, actor, reason)


def _merge(leading: Report, duplicate: Report, actor: User, reason: str) -> Report:
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = _lock(leading.pk, duplicate.pk)
        lead, dup = locked[leading.pk], locked[duplicate.pk]
        _check_merge(lead, dup)
        dup.merged_into = lead
        dup.save(update_fields=["merged_into"])
        notes = [
            _note(
                dup,
                actor,
                _("Merged into %(reference)s. Reason: %(reason)s")
                % {"reference": lead.reference, "reason": reason},
            ),
            _note(
                lead,
                actor,
                _("%(reference)s was merged into this report. Reason: %(reason)s")
                % {"reference": dup.reference, "reason": reason},
            ),
        ]
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_MERGE,
            target=dup,
            detail={"into": lead.pk, "notes": [n.pk for n in notes]},
        )
    return dup


def report_unmerge(*, duplicate: Report, actor: User, reason: str) -> Report:
    """Undo a merge: the duplicate is a report of its own again and returns to the queue."""
    require(actor, duplicate, Action.MERGE)
    # Where it points now (the caller's copy may be older): that report must be known too.
    into = Report.objects.filter(pk=duplicate.pk).values_list("merged_into", flat=True).get()
    if into is not None:
        require(actor, into, Action.MERGE)
    reason = _check_reason(reason)
    not_merged = DuplicateRefused({"report": _("This report has not been merged.")})
    if into is None:
        raise not_merged
    with transaction.atomic():
        # Lock both in id order and check that it still points there.
        locked = _lock(duplicate.pk, into)
        dup = locked[duplicate.pk]
        if dup.merged_into_id != into:
            raise not_merged
        lead = locked[dup.merged_into_id]
        dup.merged_into = None
        dup.save(update_fields=["merged_into"])
        notes = [
            _note(
                dup,
                actor,
                _("No longer merged into %(reference)s. Reason: %(reason)s")
                % {"reference": lead.reference, "reason": reason},
            ),
            _note(
                lead,
                actor,
                _("%(reference)s is no longer merged into this report. Reason: %(reason)s")
                % {"reference": dup.reference, "reason": reason},
            ),
        ]
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_UNMERGE,
            target=dup,
            detail={"from": lead.pk, "notes": [n.pk for n in notes]},
        )
    return dup


def _check_split(report: Report, description: str, positions: list[int]) -> None:
    problems = {}
    if len(description.strip()) < 10:
        problems["description"] = _("Describe the second matter in at least 10 characters.")
    if report.merged_into_id is not None:
        problems["report"] = _("A merged report cannot be split; undo the merge first.")
    known = set(report.subjects.values_list("position", flat=True))
    if not set(positions) <= known:
        problems["subjects"] = _("Choose named subjects of this report.")
    if problems:
        raise DuplicateRefused(problems)


def _new_report(source: Report, description: str) -> Report:
    """The second matter: place and time of the working version, a copy of the original.

    `received_at` stays that of the first report: the information arrived then, and
    retention periods and deadlines count from that moment.
    """
    fields = {
        name: getattr(source, name)
        for name in (
            "channel",
            "category_id",
            "observed_start",
            "observed_end",
            "lat",
            "lon",
            "location_description",
            "answers",
            "is_anonymous",
            "registered_by_id",
            "received_at",
            "team_id",
            "assignee_id",
            *source.ADDRESS_FIELDS,
        )
    }
    split = Report.objects.create(
        reference=new_reference(),
        description=description.strip(),
        original=copy.deepcopy(source.original),
        status=Status.RECEIVED,
        split_from=source,
        **fields,
    )
    key_ensure(split)  # its own key (crypto-shredding, ADR 0031)
    return split


def _move_subjects(source: Report, new: Report, positions: list[int]) -> None:
    moving = list(source.subjects.filter(position__in=positions).order_by("position"))
    for index, subject in enumerate(moving):
        subject.report, subject.position = new, index
    ReportSubject.objects.bulk_update(moving, ["report", "position"])
    staying = list(source.subjects.order_by("position"))
    for index, subject in enumerate(staying):
        subject.position = index
    ReportSubject.objects.bulk_update(staying, ["position"])


def _version(report: Report, before: dict, actor: User, reason: str) -> None:
    """Append a version for the working version's change (editing's rule: who, when, why)."""
    after = working_data(report)
    report.revision += 1
    report.save(update_fields=["revision"])
    ReportVersion.objects.create(
        report=report,
        number=report.revision,
        data=after,
        changed=[key for key in EDITABLE if before.get(key) != after.get(key)],
        reason=reason,
        author=actor,
        at=timezone.now(),
    )


def report_split(
    *,
    report: Report,
    actor: User,
    description: str,
    reason: str,
    subject_positions: Iterable[int | str] = (),
) -> Report:
    """Split a second matter off `report`; returns the new report.

    The new report starts in `received` with the same team, its own reference, and the
    original of `report` as its original. The named subjects at `subject_positions` move to
    it (a new version of `report`).
    """
    require(actor, report, Action.MERGE)
    reason = _check_reason(reason)
    positions = sorted({int(p) for p in subject_positions})
    with transaction.atomic():
        source = _lock(report.pk)[report.pk]
        _check_split(source, description, positions)
        before = working_data(source)
        new = _new_report(source, description)
        StatusChange.objects.create(
            report=new,
            from_status="",
            to_status=Status.RECEIVED,
            at=timezone.now(),
            actor=actor,
            reason=reason,
        )
        if positions:
            _move_subjects(source, new, positions)
            _version(source, before, actor, reason)
        # The new report's working version differs from the original it carries: version 1.
        _version(new, original_data(new), actor, reason)
        _note(
            source,
            actor,
            _("%(reference)s was split off this report. Reason: %(reason)s")
            % {"reference": new.reference, "reason": reason},
        )
        _note(
            new,
            actor,
            _("Split off %(reference)s. Reason: %(reason)s")
            % {"reference": source.reference, "reason": reason},
        )
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_SPLIT,
            target=source,
            detail={"new": new.pk, "subjects": positions},
        )
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_CREATE,
            target=new,
            detail={"channel": new.channel, "split_from": source.pk},
        )
    return new


def report_unsplit(*, report: Report, actor: User, reason: str) -> Report:
    """Undo a split: the split-off `report` is merged back into the report it came from.

    Its subjects stay with it (visible on the first report's page as a merged report), so
    that nothing entered since the split is lost; unmerge brings it back.
    """
    require(actor, report, Action.MERGE)
    if report.split_from_id is None:
        raise DuplicateRefused({"report": _("This report was not split off another one.")})
    require(actor, report.split_from_id, Action.MERGE)
    source = Report.objects.get(pk=report.split_from_id)
    with transaction.atomic():
        merged = _merge(source, report, actor, reason)
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_UNSPLIT,
            target=merged,
            detail={"into": source.pk},
        )
    return merged

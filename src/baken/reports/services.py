"""Writing reports: creating one in the uniform shape, and moving it through the workflow."""

import secrets
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor, person
from baken.core.dates import as_moment

from .keys import key_new
from .models import (
    Category,
    Department,
    DepartmentSize,
    DutchAddress,
    Indicator,
    Report,
    ReportSubject,
    StatusChange,
)
from .rows import NewRows
from .workflow import Status, can_transition

_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def new_reference() -> str:
    """'M-7K4Q-2XPA': random, so that a reporter learns nothing of the report volume."""
    raw = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"M-{raw[:4]}-{raw[4:]}"


def _address_fields(address: dict) -> dict:
    return {key: address[key] for key in DutchAddress.ADDRESS_FIELDS if key in address}


def _subject(report: Report, position: int, data: dict) -> ReportSubject:
    fields = {
        key: data[key]
        for key in ("name", "birth_date", "bsn", "kvk_number", "license_plate", "description")
        if data.get(key)
    }
    if data["type"] == "address":
        fields.update(_address_fields(data["address"]))
    return ReportSubject(report=report, kind=data["type"], position=position, **fields)


def report_build(
    *,
    data: dict,
    category: Category | None,
    registered_by: User | None = None,
    received_at: datetime | None = None,
    department: Department | None = None,
) -> tuple[Report, list[ReportSubject]]:
    """An unsaved Report and its subjects, from checked data in the uniform format.

    `department`: the reporter's (check_report took it out of `data`); its size band is kept
    as it is today, so that a department that grows later does not expose this reporter."""
    location = data.get("location", {})
    point = location.get("point", {})
    observed = data.get("observed_at", {})
    original = {
        key: value for key, value in data.items() if key not in ("reporter", "idempotency_key")
    }
    report = Report(
        reference=new_reference(),
        channel=data["channel"],
        category=category,
        description=data["description"],
        # Datetimes, not the format's ISO text: the unsaved report is used as it is.
        observed_start=as_moment(observed.get("start")),
        observed_end=as_moment(observed.get("end")),
        lat=point.get("lat"),
        lon=point.get("lon"),
        location_description=location.get("description", ""),
        answers=data.get("answers", {}),
        is_anonymous=data["reporter"]["anonymous"],
        original=original,
        registered_by=registered_by,
        received_at=received_at or timezone.now(),
        department=department,
        department_small=department is not None and department.size == DepartmentSize.SMALL,
        **_address_fields(location.get("address", {})),
    )
    subjects = [
        _subject(report, position, subject)
        for position, subject in enumerate(data.get("subjects", []))
    ]
    return report, subjects


def report_create(
    *,
    data: dict,
    category: Category | None,
    actor: Actor,
    registered_by: User | None = None,
    department: Department | None = None,
    signs: list[Indicator] | None = None,
    rows: NewRows | None = None,
) -> Report:
    """Save a new report with its subjects, the reporter's department and recognised signs,
    first status row and audit entry.

    Precondition: `data`, `department` and `signs` passed reports.validation.check_report.
    Runs in the caller's transaction when there is one. `rows`: the caller's batch of new
    rows (reports.rows), which it writes itself after adding its own (the intake's receipt,
    contact, idempotency record); without it the report's rows are written here.
    """
    from .routing import apply_rule, tell_assignee

    report, subjects = report_build(
        data=data, category=category, registered_by=registered_by, department=department
    )
    rule = apply_rule(report)
    batch = rows if rows is not None else NewRows()
    # No savepoint of its own: a failure here fails the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        report.save()
        # Its own key (crypto-shredding, ADR 0031), kept on this instance for the parts the
        # caller encrypts next (reporter.py), which would otherwise read it back.
        report._fresh_key, key_row = key_new(report.pk)  # type: ignore[attr-defined]
        # ... and only until the commit: key material does not outlive the transaction on
        # an instance the caller keeps (intake, import, demo loaders alike).
        transaction.on_commit(partial(report.__dict__.pop, "_fresh_key", None))
        for subject in subjects:
            subject.report_id = report.pk  # set before the save: copied now
        through = Report.signs.through
        # The key, subjects, signs and first status in one statement (PostgreSQL): a new
        # report has no signs yet, so none are read; no signal listens to these rows.
        batch.add(
            key_row,
            *subjects,
            *(through(report_id=report.pk, indicator_id=sign.pk) for sign in signs or ()),
            StatusChange(
                report=report,
                from_status="",
                to_status=Status.RECEIVED,
                at=report.received_at,
                actor=registered_by,
            ),
        )
        if rows is None:
            batch.write()
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_CREATE,
            target=report,
            detail={"channel": report.channel, "rule": rule.pk if rule else None},
        )
        tell_assignee(report, actor)
    return report


class TransitionRefused(ValueError):
    pass


def report_transition(*, report: Report, to_status: str, actor: Actor, reason: str) -> Report:
    """Move a report to `to_status` if the workflow allows it; append status and audit rows.

    Every move carries its reason: the status history is how the team accounts for it.

    A step, not a way in: no page, API call or command moves a report by itself. It checks
    no actor, because its callers did by their own rule — the weighing services
    (access.require), the reporter's answer (intake, by the receipt code), Baken itself
    (waiting.overdue_return, SYSTEM) and a case taking the report in (cases.access.require).
    """
    if not reason.strip():
        raise TransitionRefused("a status change needs a reason")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        from_status = locked.status
        if not can_transition(from_status, to_status):
            raise TransitionRefused(f"{from_status} → {to_status} is not allowed")
        StatusChange.objects.create(
            report=locked,
            from_status=from_status,
            to_status=to_status,
            at=timezone.now(),
            actor=person(actor),
            reason=reason,
        )
        locked.status = to_status
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_TRANSITION,
            target=locked,
            detail={"from": from_status, "to": to_status},
        )
    return locked

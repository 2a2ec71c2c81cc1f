"""Checking, supplementing and improving a report: each change a new version (who, when,
why), the reporter's original never touched, and no change silently overwriting another.

Each write service takes the actor and refuses on its own (access.require, ADR 0027):
not_found when they may not know the report, forbidden when their role may not improve it or
add a note (permissions.Action)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.dates import as_moment
from baken.core.refusals import Kind, Refused

from . import attachments as files
from .access import NOT_FOUND, may_act_on_request, require
from .attachments import attachment_upload
from .models import Attachment, Category, DutchAddress, Note, Report, ReportSubject, ReportVersion
from .permissions import Action
from .services import _address_fields, _subject
from .validation import Checked, check_report

# The parts of the uniform format that the team may correct; channel, reporter and answers
# stay as received.
EDITABLE = ("category", "description", "observed_at", "location", "subjects")


class StaleRevision(Refused):
    """Someone else changed the report since this user opened it (409)."""

    kind = Kind.CONFLICT

    def __init__(self, current: int):
        super().__init__(
            "stale",
            _("The report is at revision %(revision)s; reload and apply your change again.")
            % {"revision": current},
            field="revision",
        )
        self.current = current


class NothingChanged(Exception):
    pass


class ReportMerged(Refused):
    """The report was merged into another: the team works on the leading report (409)."""

    kind = Kind.CONFLICT

    def __init__(self) -> None:
        super().__init__(
            "merged",
            _("The report was merged into another; work on the leading report."),
            field="report",
        )


def _lock_for_work(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.merged_into_id is not None:
        raise ReportMerged
    return locked


def _address(obj: DutchAddress) -> dict:
    return {
        key: getattr(obj, key)
        for key in DutchAddress.ADDRESS_FIELDS
        if getattr(obj, key) not in ("", None)
    }


def moment(value: datetime | str | None) -> datetime | None:
    """A moment of a report's "when" as an aware datetime in Dutch local time, from a
    datetime or the ISO 8601 text of the uniform format; None for no moment."""
    parsed = as_moment(value)
    return parsed if isinstance(parsed, datetime) else None


def moment_text(value: datetime | str | None) -> str | None:
    """The one way a working version writes a moment: ISO 8601 in Dutch local time.

    The database hands back UTC and a form or client may send any offset; written one way,
    `22:30+01:00` and `21:30+00:00` compare (and diff) as the same moment they are."""
    parsed = moment(value)
    return parsed.isoformat() if parsed else None


def _observed(data: dict) -> dict:
    observed = {key: moment_text(value) for key, value in data.items()}
    return {key: value for key, value in observed.items() if value}


def _subject_data(subject: ReportSubject) -> dict:
    data: dict = {"type": subject.kind}
    for key in ("name", "bsn", "kvk_number", "license_plate", "description"):
        if value := getattr(subject, key):
            data[key] = value
    if subject.birth_date:
        data["birth_date"] = subject.birth_date.isoformat()
    if subject.kind == "address":
        data["address"] = _address(subject)
    return data


def working_data(report: Report) -> dict:
    """The working version in the shape of the uniform format (the editable parts).

    Precondition: `report.subjects` is prefetched when called for many reports.
    """
    location: dict = {}
    if address := _address(report):
        location["address"] = address
    if report.lat is not None and report.lon is not None:
        location["point"] = {"lat": report.lat, "lon": report.lon}
    if report.location_description:
        location["description"] = report.location_description
    observed = _observed({"start": report.observed_start, "end": report.observed_end})
    data: dict = {"description": report.description}
    if report.category is not None:
        data["category"] = report.category.code
    if observed:
        data["observed_at"] = observed
    if location:
        data["location"] = location
    data["subjects"] = [_subject_data(s) for s in report.subjects.all()]
    return data


def original_data(report: Report) -> dict:
    """The editable parts of the report as the reporter sent them."""
    original = report.original
    data = {key: original[key] for key in EDITABLE if key in original}
    data.setdefault("subjects", [])
    return data


def _changed(before: dict, after: dict) -> list[str]:
    return [key for key in EDITABLE if before.get(key) != after.get(key)]


def report_improve(
    *, report: Report, actor: User, revision: int, changes: dict, reason: str, checked: Checked
) -> Report:
    """Apply checked changes to the working version and append a version row.

    `checked` is the intake validation's result for the whole working version with
    `changes` applied (so a corrected BSN or postcode meets the same rules as at intake).
    Raises StaleRevision when the report moved on since `revision`, NothingChanged when the
    result equals the current working version.
    """
    require(actor, report, Action.IMPROVE)
    return _version_add(
        report=report, actor=actor, revision=revision, reason=reason, checked=checked
    )


def report_correct(
    *, report: Report, actor: User, revision: int, changes: dict, reason: str, checked: Checked
) -> Report:
    """A correction on a request of the person the report is about (AVG art. 16): a new
    version exactly as an improvement makes one (report_improve: the same checks, the same
    rerouting, the reporter's original untouched), by the privacy officer, with the request
    in `reason`.

    The privacy officer knows no report through a team's scope: that this report was
    confirmed to be about the requester is the rights app's to check (rights/changes.py).
    Anyone else is refused as not_found, as for a report that does not exist. A sealed or
    restricted report is corrected too: the person's right does not wait for a lift."""
    if not may_act_on_request(actor):
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    if not (reason or "").strip():
        raise Refused("required", _("Give the reason for the correction."), field="reason")
    return _version_add(
        report=report, actor=actor, revision=revision, reason=reason, checked=checked
    )


def checked_changes(report: Report, changes: dict) -> tuple[dict, Checked]:
    """The editable parts of `changes` (what a client sends: parts of the uniform format) and
    the intake check of the whole working version with them applied, for report_correct. A
    named subject's `report_subject` id, which a client gets and sends back, is not content.
    Raises ReportInvalid (400, per field) as at intake."""
    changes = {key: value for key, value in changes.items() if key in EDITABLE}
    if isinstance(changes.get("subjects"), list):
        changes["subjects"] = [
            {k: v for k, v in subject.items() if k != "report_subject"}
            if isinstance(subject, dict)
            else subject
            for subject in changes["subjects"]
        ]
    payload = {
        "channel": report.channel,
        "reporter": {"anonymous": True},
        **working_data(report),
        **changes,
    }
    if not payload.get("subjects"):
        payload.pop("subjects", None)
    return changes, check_report(payload, require_answers=False)


def _version_add(
    *, report: Report, actor: User, revision: int, reason: str, checked: Checked
) -> Report:
    with transaction.atomic():
        locked = _lock_for_work(report)
        if locked.revision != revision:
            raise StaleRevision(locked.revision)
        before = working_data(locked)
        data = checked.data
        after = {key: data[key] for key in EDITABLE if key in data}
        after.setdefault("subjects", [])
        if "observed_at" in after:
            after["observed_at"] = _observed(after["observed_at"])
        changed = _changed(before, after)
        if not changed:
            raise NothingChanged
        _apply(locked, data, checked.category)
        locked.revision += 1
        rerouted = _reroute(locked) if {"category", "location"} & set(changed) else None
        locked.save()
        if "subjects" in changed:
            _subjects_replace(locked, data.get("subjects", []))
        ReportVersion.objects.create(
            report=locked,
            number=locked.revision,
            data=working_data(locked),
            changed=changed,
            reason=reason,
            author=actor,
            at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_IMPROVE,
            target=locked,
            detail={"version": locked.revision, "fields": changed, "rule": rerouted},
        )
    return locked


def _subject_key(subject: ReportSubject) -> tuple:
    fields = ("kind", "name", "birth_date", "bsn", "kvk_number", "license_plate", "description")
    values = [str(getattr(subject, key) or "") for key in fields]
    if subject.kind == "address":
        values += [str(getattr(subject, key) or "") for key in DutchAddress.ADDRESS_FIELDS]
    return tuple(values)


def _subjects_replace(report: Report, subjects: list[dict]) -> None:
    """The named subjects as the new working version lists them.

    A subject that is still named exactly as before keeps its row, and with it the
    team's judgements of which registered subject it is (subjects.Mention); only a subject
    that was removed or changed loses them, because a corrected name or number has to be
    judged again.
    """
    existing: dict[tuple, list[ReportSubject]] = {}
    for row in report.subjects.all():
        existing.setdefault(_subject_key(row), []).append(row)
    kept, new = [], []
    for position, data in enumerate(subjects):
        candidate = _subject(report, position, data)
        if same := existing.get(_subject_key(candidate)):
            row = same.pop(0)
            row.position = position
            kept.append(row)
        else:
            new.append(candidate)
    report.subjects.exclude(pk__in=[row.pk for row in kept]).delete()
    ReportSubject.objects.bulk_update(kept, ["position"])
    ReportSubject.objects.bulk_create(new)


def _reroute(report: Report) -> int | None:
    """A changed category or place routes the report again (issue 4, routing)."""
    from .routing import rule_for

    rule = rule_for(report)
    if rule is None or (report.team_id, report.assignee_id) == (rule.team_id, rule.assignee_id):
        return None
    report.team_id, report.assignee_id = rule.team_id, rule.assignee_id
    return rule.pk


def _apply(report: Report, data: dict, category: Category | None) -> None:
    location = data.get("location", {})
    point = location.get("point", {})
    observed = data.get("observed_at", {})
    report.category = category
    report.description = data["description"]
    # Datetimes, not the format's text: the row is read again for the version (working_data).
    report.observed_start = moment(observed.get("start"))
    report.observed_end = moment(observed.get("end"))
    report.lat, report.lon = point.get("lat"), point.get("lon")
    report.location_description = location.get("description", "")
    address = _address_fields(location.get("address", {}))
    for key in DutchAddress.ADDRESS_FIELDS:
        default = None if key == "house_number" else ""
        setattr(report, key, address.get(key, default))


def note_add(*, report: Report, actor: User, text: str) -> Note:
    """A note on the report by a member of staff who may add one (access.require)."""
    require(actor, report, Action.NOTE)
    return note_write(report=report, actor=actor, text=text)


def note_write(*, report: Report, actor: User, text: str) -> Note:
    """The note and its audit row, for a service that checked its own rule: the cases app's
    notice of a hand-over, which the case's rule allows (cases.access.require)."""
    with transaction.atomic():
        note = Note.objects.create(report=report, text=text, author=actor, at=timezone.now())
        audit_record(
            actor=actor, action=AuditAction.REPORT_NOTE, target=report, detail={"note": note.pk}
        )
    return note


def version_list(*, report: Report) -> list[dict]:
    """Every version from the original on, each with what changed against the one before."""
    versions = [
        {
            "number": 0,
            "data": original_data(report),
            "changed": [],
            "reason": "",
            "author": None,
            "at": report.received_at,
        }
    ]
    for version in report.versions.select_related("author"):
        versions.append(
            {
                "number": version.number,
                "data": version.data,
                "changed": version.changed,
                "reason": version.reason,
                "author": version.author,
                "at": version.at,
            }
        )
    return versions


def attachment_add(*, report: Report, actor: User, data: bytes) -> Attachment:
    """A file the team adds to a report: cleaned and encrypted like the reporter's own.

    The cleaning (re-encoding an image, rewriting a PDF) happens before the report's row is
    locked: on SQLite a write transaction holds the whole database. Refused before anything
    is stored unless the actor may improve this report (access.require)."""
    require(actor, report, Action.IMPROVE)
    attachment = attachment_upload(data=data, name="", actor=actor)  # stored, unattached
    try:
        with transaction.atomic():
            locked = _lock_for_work(report)
            # Its file key is wrapped anew under the report's own key (ADR 0031).
            files.attach(locked, [attachment.id])
            attachment.refresh_from_db(fields=["report", "file_key"])
            audit_record(
                actor=actor,
                action=AuditAction.REPORT_ATTACHMENT_ADD,
                target=locked,
                detail={"attachment": str(attachment.id)},
            )
    except BaseException:
        # Refused or failed: the unattached upload goes, file and row.
        stored = attachment.id
        attachment.delete()  # (which clears attachment.id)
        files.discard(stored)
        raise
    return attachment

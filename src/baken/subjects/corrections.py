"""Correcting a registered subject on a request of the person it is about (AVG art. 16;
issue 16), and its history of versions.

A correction is what an improvement is to a report (reports/editing.py): the subject's
fields change, and a version is appended — who, when, why, which fields — never edited. The
first correction also writes version 0, the subject as it was registered, so the history
always starts from the original. The search key is derived again from the corrected name,
identifiers are normalised as at registration (services.py), and an address's place is
taken again from the address register.

Only the privacy officer corrects (reports.access.may_act_on_request): that the subject was
confirmed to be about the requester is the rights app's to check (rights/changes.py), which
gives the request in `reason`. Anyone else is refused as not_found.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core import dates
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.places.addresses import normalise_postcode
from baken.places.models import RegisteredAddress
from baken.reports.access import NOT_FOUND, may_act_on_request
from baken.reports.identifiers import bsn_is_valid, normalise_kvk, normalise_plate

from .models import Subject, SubjectVersion
from .services import SubjectRefused, subject_name_key

# What may be corrected, per kind of subject (the fields the subject page shows).
CORRECTABLE: dict[str, tuple[str, ...]] = {
    Subject.Kind.PERSON: ("name", "birth_date", "bsn"),
    Subject.Kind.ORGANISATION: ("name", "kvk_number", "legal_form"),
    Subject.Kind.ADDRESS: (
        "name",
        "street",
        "house_number",
        "house_letter",
        "addition",
        "postcode",
        "city",
    ),
    Subject.Kind.VEHICLE: ("name", "license_plate", "make", "colour"),
}
EARLIEST_BIRTH = date(1900, 1, 1)
REASON_MAX = 2000


def subject_data(subject: Subject) -> dict[str, Any]:
    """The correctable fields of `subject` as plain values (a date as ISO 8601 text)."""
    data: dict[str, Any] = {}
    for field in CORRECTABLE[subject.kind]:
        value = getattr(subject, field)
        data[field] = value.isoformat() if isinstance(value, date) else value
    return data


def _text(value) -> str:
    """The value as text, without the spaces around it (never cut short: a value that does
    not fit is refused by its field's check)."""
    return str(value if value is not None else "").strip()


NAME_MAX = 300


def _day(value) -> date | None:
    try:
        return parse_date(str(value or "").strip())
    except ValueError:  # well formed, not a day (30 February)
        return None


Cleaned = tuple[Any, Any]  # the value as stored, and a problem (None: it is right)


def _name(value) -> Cleaned:
    name = _text(value)
    if len(name) > NAME_MAX:
        return name, _("Use at most %(limit)s characters.") % {"limit": NAME_MAX}
    return name, None if name else _("Give the name.")


def _birth_date(value) -> Cleaned:
    day = value if isinstance(value, date) else _day(value)
    if value not in (None, "") and day is None:
        return None, _("Give a date as dd-mm-yyyy.")
    if day is not None and not (EARLIEST_BIRTH <= day <= timezone.localdate()):
        return day, _("Give a date of birth after 1900 and not in the future.")
    return day, None


def _bsn(value) -> Cleaned:
    bsn = _text(value).replace(" ", "").replace(".", "")
    if bsn and not (len(bsn) == 9 and bsn.isdigit() and bsn_is_valid(bsn)):
        return bsn, _("This is not a valid BSN (it fails the 11-test).")
    return bsn, None


def _normalised(normalise, problem, limit: int):
    def clean(value) -> Cleaned:
        raw = _text(value)
        if not raw:
            return "", None
        normal = normalise(raw) if len(raw) <= 20 else None
        if normal is None or len(normal) > limit:
            return raw, problem
        return normal, None

    return clean


def _house_number(value) -> Cleaned:
    raw = _text(value)
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 5 and 1 <= int(raw) <= 99999):
        return None, _("Give a house number between 1 and 99999.")
    return (int(raw) if raw else None), None


def _house_letter(value) -> Cleaned:
    letter = _text(value).upper()
    if len(letter) > 1 or (letter and not letter.isalpha()):
        return letter, _("Give one letter as the house letter.")
    return letter, None


def _plain(field: str):
    limit = getattr(Subject._meta.get_field(field), "max_length", None) or 300

    def clean(value) -> Cleaned:
        text = str(value if value is not None else "").strip()
        if len(text) > limit:
            return text[:limit], _("Use at most %(limit)s characters.") % {"limit": limit}
        return text, None

    return clean


_CLEAN = {
    "name": _name,
    "birth_date": _birth_date,
    "bsn": _bsn,
    "kvk_number": _normalised(normalise_kvk, gettext_lazy("A KvK number has eight digits."), 8),
    "license_plate": _normalised(normalise_plate, gettext_lazy("This is not a licence plate."), 12),
    "postcode": _normalised(
        normalise_postcode, gettext_lazy("Give a Dutch postcode, such as 1234 AB."), 6
    ),
    "house_number": _house_number,
    "house_letter": _house_letter,
}


def _cleaned(kind: str, changes: dict) -> tuple[dict[str, Any], dict[str, str]]:
    """The changed fields as they are stored, and a problem per field that is not right."""
    cleaned: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for field, value in changes.items():
        if field not in CORRECTABLE[kind]:
            problems[field] = _("This cannot be corrected for this kind of subject.")
            continue
        cleaned[field], problem = _CLEAN.get(field, _plain(field))(value)
        if problem:
            problems[field] = problem
    return cleaned, problems


def _place_again(subject: Subject) -> None:
    """An address's place from the address register, again after a correction of it."""
    entry = (
        RegisteredAddress.objects.filter(
            postcode=subject.postcode,
            house_number=subject.house_number,
            house_letter=subject.house_letter,
            addition=subject.addition,
        ).first()
        if subject.postcode and subject.house_number
        else None
    )
    subject.lat, subject.lon = (entry.lat, entry.lon) if entry else (None, None)


class SubjectStale(Refused):
    """The subject was corrected since this correction was begun (409): nothing changed."""

    kind = Kind.CONFLICT

    def __init__(self, current: int):
        super().__init__(
            "stale",
            _(
                "This subject was corrected meanwhile (it is at version %(version)s now). "
                "Yours was not saved: look at it again and correct it once more."
            )
            % {"version": current},
            field="revision",
        )
        self.current = current


def latest_version(subject: Subject) -> int:
    """The number of the subject's latest version: 0 while it was never corrected (version
    0 is the subject as registered). A correction names it, as a report's its revision."""
    last = subject.versions.order_by("-number").values_list("number", flat=True).first()
    return last or 0


def _locked(pk: int, revision: int) -> Subject:
    """The subject under a row lock, if it may be corrected on version `revision`."""
    locked = Subject.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    if locked.merged_into_id is not None:
        raise Refused(
            "merged",
            _("This subject was merged into another one: correct that one."),
            kind=Kind.CONFLICT,
        )
    current = latest_version(locked)
    if revision != current:
        raise SubjectStale(current)
    return locked


def subject_correct(
    *, actor: Actor, subject: Subject | int, revision: int, changes: dict, reason: str
) -> Subject:
    """Correct the fields `changes` names (field: new value) and append a version with
    `reason`, if the subject is still at version `revision` (latest_version), else
    SubjectStale (409): two corrections begun on the same version do not undo each other.
    Refused per field (400) for a value that is not right (one too long too: nothing is cut
    short) or a field this kind has not, with `changes` when nothing changes; not_found
    unless the actor may act on a request; conflict for a subject merged into another
    (correct that one)."""
    if not (isinstance(actor, User) and may_act_on_request(actor)):
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    reason = (reason or "").strip()
    pk = subject if isinstance(subject, int) else subject.pk
    with transaction.atomic():
        locked = _locked(pk, revision)
        cleaned, problems = _cleaned(locked.kind, changes or {})
        if not reason:
            problems["reason"] = _("Give the reason for the correction.")
        elif len(reason) > REASON_MAX:
            problems["reason"] = _("Keep the reason under 2000 characters.")
        if problems:
            raise SubjectRefused(problems)
        before = subject_data(locked)
        for field, value in cleaned.items():
            setattr(locked, field, value)
        after = subject_data(locked)
        changed = [field for field in CORRECTABLE[locked.kind] if before[field] != after[field]]
        if not changed:
            raise SubjectRefused({"changes": _("Nothing was changed.")})
        locked.name_key = subject_name_key(locked)
        if locked.kind == Subject.Kind.ADDRESS and {"postcode", "house_number"} & set(changed):
            _place_again(locked)
        locked.full_clean()
        locked.save()
        version = _version_append(locked, before, after, changed, reason=reason, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.SUBJECT_CORRECT,
            target=locked,
            detail={"version": version.number, "fields": changed},
        )
    return locked


def _shown(field: str, value) -> str:
    """A stored value for people: a date of birth as `3 februari 1971`, nothing as ''."""
    if value in (None, ""):
        return ""
    return dates.long(value) if field == "birth_date" else str(value)


def _version_append(
    subject: Subject, before: dict, after: dict, changed: list[str], *, reason: str, actor: User
) -> SubjectVersion:
    """The new version; with the first correction, first version 0: the subject as it was
    registered, by whom and when."""
    last = subject.versions.order_by("-number").values_list("number", flat=True).first()
    if last is None:
        SubjectVersion.objects.create(
            subject=subject, number=0, data=before, author=subject.created_by, at=subject.created_at
        )
        last = 0
    return SubjectVersion.objects.create(
        subject=subject,
        number=last + 1,
        data=after,
        changed=changed,
        reason=reason,
        author=actor,
        at=timezone.now(),
    )


def version_list(*, subject: Subject) -> list[dict]:
    """Every version from the original on, newest first, each with what changed against the
    one before it (field, before, after). Empty for a subject never corrected.

    Precondition: the caller may show `subject` (its page's read was logged)."""
    versions = list(subject.versions.select_related("author").order_by("number"))
    shown = []
    for earlier, version in zip([None, *versions], versions, strict=False):
        differences = [
            {
                "field": field,
                "label": getattr(Subject._meta.get_field(field), "verbose_name", field),
                "before": _shown(field, earlier.data.get(field)) if earlier else "",
                "after": _shown(field, version.data.get(field)),
            }
            for field in version.changed
        ]
        shown.append({"version": version, "differences": differences})
    return list(reversed(shown))

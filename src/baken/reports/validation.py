"""The rules of the uniform report format beyond its shape: dates not in the future, the
BSN 11-test, known categories and questions, usable attachments, and normalisation of
postcodes, licence plates, KvK numbers and phone numbers."""

import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from baken.core.input_guard import FORBIDDEN
from baken.core.refusals import Kind, Refused
from baken.places.addresses import normalise_postcode

from . import identifiers, process_cache
from .models import Attachment, Category, Department, Indicator
from .schema import bsn_message, shape_errors


class FieldsRefused(Refused):
    """Fields refused each with a code of its own: `errors` are the problem's `invalid_params`
    ([{name, code, reason}]) and the problem's own code is "invalid" (ADR 0027: the API's
    exception handler answers it; a page shows each reason at its field and keeps what was
    typed)."""

    def __init__(self, errors: list[dict], *, kind: Kind = Kind.INVALID):
        problems: dict = {}
        for error in errors:
            problems.setdefault(error["name"], error["reason"])
        super().__init__("invalid", kind=kind, problems=problems)
        self.errors = errors

    def invalid_params(self) -> list[dict]:
        return [
            {"name": error["name"], "code": error["code"], "reason": str(error["reason"])}
            for error in self.errors
        ]

    def messages(self) -> list[str]:
        return [str(error["reason"]) for error in self.errors if str(error["reason"])]


class ReportInvalid(FieldsRefused):
    """The report's fields that the uniform format or its rules refuse, every one named."""


@dataclass
class Checked:
    """A valid report, normalised; `data` has the shape of the uniform format."""

    data: dict
    raw: dict = field(default_factory=dict)  # as sent: what a resend is compared with
    category: Category | None = None
    attachments: list[Attachment] = field(default_factory=list)
    # The reporter's department, taken out of `data` (it is kept on the report, never in the
    # original: an anonymous reporter's department shows wherever the original is shown).
    department: Department | None = None
    signs: list[Indicator] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def fail(self, name: str, code: str, reason: str) -> None:
        self.errors.append({"name": name, "code": code, "reason": reason})


def check_report(payload, *, require_answers: bool = True) -> Checked:
    """Validate and normalise `payload`; raise ReportInvalid naming every bad field.

    `require_answers=False` is for the team correcting a report: the reporter's answers
    stay as given, even when the category changes to one with other questions.
    """
    unstorable = _unstorable(payload)
    errors = shape_errors(payload)
    if errors or unstorable:
        raise ReportInvalid(_first_per_field(unstorable, errors))
    checked = Checked(data=dict(payload), raw=dict(payload))
    checked.data.setdefault("channel", "web")
    _check_category_and_answers(checked, require_answers=require_answers)
    _check_observed(checked)
    _check_location(checked)
    _check_subjects(checked)
    _check_reporter(checked)
    _check_department(checked)
    _check_signs(checked)
    _check_attachments(checked)
    if checked.errors or unstorable:
        raise ReportInvalid(_first_per_field(unstorable, checked.errors))
    return checked


def _unstorable(payload) -> list[dict]:
    """A NUL or a lone surrogate in any text of the report (a key or a value), at its field:
    neither database can store one (core.input_guard refuses it everywhere else; the
    Meldpunt's form lets it through to here so that the page shows it at the field)."""
    found = []
    for name, text in _texts(payload):
        if FORBIDDEN.search(text):
            found.append(
                {
                    "name": FORBIDDEN.sub("\N{REPLACEMENT CHARACTER}", name),
                    "code": "forbidden_character",
                    "reason": _(
                        "This text contains a character that cannot be stored (a null "
                        "character or a broken character code). Remove it and send again."
                    ),
                }
            )
    return found


def _texts(value, path: str = ""):
    """(dotted path, text) for every key and string in the payload."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield name, key
            yield from _texts(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}.{index}" if path else str(index))


def _first_per_field(unstorable: list[dict], errors: list[dict]) -> list[dict]:
    """The unstorable texts, then the other problems of fields that have none of those (a
    NUL in a postcode is one problem, not also "not a postcode")."""
    named = {error["name"] for error in unstorable}
    return unstorable + [error for error in errors if error["name"] not in named]


def _parse(parse, raw):
    """`parse` applied to a string; None for anything unreadable, such as 30 February."""
    if not isinstance(raw, str):
        return None
    try:
        value = parse(raw)
        if isinstance(value, datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)
        if isinstance(value, datetime):
            value.astimezone(UTC)  # years at the edge of the calendar overflow here
    except (ValueError, OverflowError):
        return None
    return value


def _moment(checked: Checked, name: str, raw: str) -> datetime | None:
    moment = _parse(parse_datetime, raw)
    if moment is None or moment.year < 1900:
        checked.fail(name, "format", _("Give a date and time, e.g. 2026-05-01T14:30:00+02:00."))
        return None
    if moment > timezone.now() + timedelta(minutes=5):
        checked.fail(name, "future", _("This moment lies in the future."))
    return moment


def _check_observed(checked: Checked) -> None:
    observed = checked.data.get("observed_at")
    if not observed:
        return
    start = _moment(checked, "observed_at.start", observed["start"])
    end = _moment(checked, "observed_at.end", observed["end"]) if "end" in observed else None
    if start and end and end < start:
        checked.fail("observed_at.end", "before_start", _("The end lies before the start."))
    checked.data["observed_at"] = {
        key: value.isoformat() for key, value in (("start", start), ("end", end)) if value
    }


def _check_address(checked: Checked, name: str, address: dict) -> dict:
    address = dict(address)
    if "postcode" in address:
        postcode = normalise_postcode(address["postcode"])
        if postcode is None:
            checked.fail(
                f"{name}.postcode", "postcode", _("This is not a Dutch postcode (1234 AB).")
            )
        else:
            address["postcode"] = postcode
    if "house_letter" in address:
        address["house_letter"] = address["house_letter"].upper()
    return address


def _check_location(checked: Checked) -> None:
    location = checked.data.get("location")
    point = (location or {}).get("point") or {}
    for axis in ("lat", "lon"):
        if isinstance(point.get(axis), float) and not math.isfinite(point[axis]):
            checked.fail(f"location.point.{axis}", "format", _("This is not a number."))
    if location and "address" in location:
        location = dict(location)
        location["address"] = _check_address(checked, "location.address", location["address"])
        checked.data["location"] = location


def _check_subject(checked: Checked, name: str, subject: dict) -> dict:
    subject = dict(subject)
    if subject.get("bsn") and not identifiers.bsn_is_valid(subject["bsn"]):
        checked.fail(f"{name}.bsn", "bsn", bsn_message())
    if "birth_date" in subject:
        born = _parse(parse_date, subject["birth_date"])
        if born is None or born.year < 1850:
            checked.fail(f"{name}.birth_date", "format", _("Give a date, e.g. 1980-04-23."))
        elif born > timezone.localdate():
            checked.fail(f"{name}.birth_date", "future", _("This date lies in the future."))
    if "kvk_number" in subject:
        subject["kvk_number"] = identifiers.normalise_kvk(subject["kvk_number"])
    if "license_plate" in subject:
        plate = identifiers.normalise_plate(subject["license_plate"])
        if plate is None:
            checked.fail(f"{name}.license_plate", "plate", _("Give the licence plate."))
        subject["license_plate"] = plate
    if subject["type"] == "address":
        subject["address"] = _check_address(checked, f"{name}.address", subject["address"])
    return subject


def _check_subjects(checked: Checked) -> None:
    subjects = checked.data.get("subjects", [])
    checked.data["subjects"] = [
        _check_subject(checked, f"subjects.{index}", subject)
        for index, subject in enumerate(subjects)
    ]


def _check_reporter(checked: Checked) -> None:
    reporter = dict(checked.data.get("reporter") or {"anonymous": True})
    if not reporter["anonymous"]:
        if not reporter["name"].strip():
            checked.fail("reporter.name", "required", _("Give your name, or report anonymously."))
        if reporter.get("email"):
            try:
                validate_email(reporter["email"])
            except DjangoValidationError:
                checked.fail("reporter.email", "email", _("This is not a valid e-mail address."))
        if reporter.get("phone"):
            phone = identifiers.normalise_phone(reporter["phone"])
            if phone is None:
                checked.fail("reporter.phone", "phone", _("This is not a valid phone number."))
            reporter["phone"] = phone
        reporter.setdefault("may_contact", True)
    checked.data["reporter"] = reporter


def _check_department(checked: Checked) -> None:
    code = checked.data["reporter"].pop("department", None)
    if not code:
        return
    # A department switched off since the form was opened is still taken: the reporter chose
    # it when it was offered, and a report waiting in a phone's offline outbox would otherwise
    # be refused, and lost, for a change nobody told them of. An unknown code is refused.
    checked.department = process_cache.department(code)
    if checked.department is None:
        checked.fail("reporter.department", "unknown", _("Choose a department from the list."))


def _check_signs(checked: Checked) -> None:
    ids = checked.data.get("signs", [])
    if not ids or (checked.data.get("category") and checked.category is None):
        return  # none chosen, or the category itself is refused already
    if checked.category is None:
        checked.fail("signs", "no_category", _("Signs belong to a category: choose one first."))
        return
    # The category's signs as the catalogue cache holds them (read again when one changes).
    found = {sign.pk: sign for sign in checked.category.indicators.all()}
    # A sign the administrator removed since the form was opened is left out, for the same
    # reason as a switched-off department (an offline outbox); one of another category is a
    # mistake the reporter is asked about.
    unknown = [pk for pk in ids if pk not in found]
    if unknown and Indicator.objects.filter(pk__in=unknown).exists():
        checked.fail("signs", "unknown", _("Choose only signs of the chosen category."))
        return
    kept = [pk for pk in ids if pk in found]
    checked.data["signs"] = kept
    checked.signs = [found[pk] for pk in kept]


def _check_category_and_answers(checked: Checked, *, require_answers: bool = True) -> None:
    code = checked.data.get("category")
    answers = checked.data.get("answers", {})
    if code:
        checked.category = process_cache.active_categories().get(code)
        if checked.category is None:
            checked.fail("category", "unknown", _("There is no category with this code."))
            return
    questions = {q.code: q for q in checked.category.questions.all()} if checked.category else {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            checked.fail(
                f"answers.{key}", "unknown", _("The chosen category has no such question.")
            )
        elif reason := _answer_problem(question, value):
            checked.fail(f"answers.{key}", "invalid", reason)
    for code_, question in questions.items():
        if require_answers and question.required and code_ not in answers:
            checked.fail(f"answers.{code_}", "required", _("This question must be answered."))


def _answer_problem(question, value) -> str:
    kind = question.Kind
    if question.kind == kind.YES_NO and not isinstance(value, bool):
        return _("Answer with true or false.")
    if question.kind == kind.CHOICE and value not in question.choices:
        return _("Choose one of: %(options)s.") % {"options": ", ".join(question.choices)}
    if question.kind == kind.TEXT and (not isinstance(value, str) or len(value) > 2000):
        return _("Answer with a text of at most 2000 characters.")
    return ""


def _check_attachments(checked: Checked) -> None:
    ids = checked.data.get("attachments", [])
    if not ids:
        return
    found = {
        str(a.id): a for a in Attachment.objects.filter(id__in=_uuids(ids), report__isnull=True)
    }
    for index, raw in enumerate(ids):
        if raw not in found:
            checked.fail(
                f"attachments.{index}", "unknown", _("There is no unused upload with this id.")
            )
    checked.attachments = [found[raw] for raw in ids if raw in found]


def _uuids(ids: list[str]) -> list[str]:
    valid = []
    for raw in ids:
        try:
            valid.append(str(uuid.UUID(raw)))
        except ValueError:
            continue
    return valid

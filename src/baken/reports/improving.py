"""From the improve form to a checked working version: the same rules as at intake (BSN
11-test, postcode, plate), and the form shown again with every problem at its field."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from . import editing
from .diffs import subject_text
from .forms import ImproveForm
from .models import DutchAddress, Report
from .validation import ReportInvalid, check_report


class ImproveInvalid(Exception):
    def __init__(self, form: ImproveForm, status: int = 400):
        super().__init__("the improvement is not valid")
        self.form, self.status = form, status


def subject_choices(report: Report) -> list[tuple[str, str]]:
    return [
        (str(i), subject_text(s)) for i, s in enumerate(editing.working_data(report)["subjects"])
    ]


def improve_form(report: Report, data=None) -> ImproveForm:
    working = editing.working_data(report)
    address = working.get("location", {}).get("address", {})
    initial = {
        "revision": report.revision,
        "category": working.get("category", ""),
        "description": report.description,
        "observed_start": report.observed_start and timezone.localtime(report.observed_start),
        "observed_end": report.observed_end and timezone.localtime(report.observed_end),
        "location_description": report.location_description,
        **{key: address.get(key, "") for key in DutchAddress.ADDRESS_FIELDS},
    }
    return ImproveForm(data, initial=initial, subjects=subject_choices(report))


def _payload(report: Report, data: dict) -> tuple[dict, int]:
    working = editing.working_data(report)
    payload: dict = {
        "channel": report.channel,
        "reporter": {"anonymous": True},
        "description": data["description"],
    }
    if data["category"]:
        payload["category"] = data["category"]
    if data["observed_start"]:
        payload["observed_at"] = {"start": _kept(data["observed_start"], report.observed_start)}
        if data["observed_end"]:
            payload["observed_at"]["end"] = _kept(data["observed_end"], report.observed_end)
    location: dict = {}
    address = {k: data[k] for k in DutchAddress.ADDRESS_FIELDS if data.get(k) not in ("", None)}
    if address:
        location["address"] = address
    if point := working.get("location", {}).get("point"):
        location["point"] = point
    if data["location_description"]:
        location["description"] = data["location_description"]
    if location:
        payload["location"] = location
    removed = {int(i) for i in data["remove_subjects"]}
    subjects = [s for i, s in enumerate(working["subjects"]) if i not in removed]
    new_index = len(subjects)
    if kind := data["new_kind"]:
        subjects.append(_new_subject(kind, data))
    if subjects:
        payload["subjects"] = subjects
    return payload, new_index


def _kept(posted: datetime, current: datetime | None) -> str:
    """The posted moment, or the current one when the form shows it unchanged: the form
    has minutes, a report sent through the API may have seconds that must not be lost."""
    if current is not None and posted == current.replace(second=0, microsecond=0):
        return current.isoformat()
    return posted.isoformat()


def _new_subject(kind: str, data: dict) -> dict:
    subject: dict = {"type": kind}
    if kind == "address":
        subject["address"] = {
            k: data[f"new_{k}"] for k in ("postcode", "house_number") if data[f"new_{k}"]
        }
        return subject
    fields = {
        "person": ("name", "birth_date", "bsn", "description"),
        "organisation": ("name", "kvk_number", "description"),
        "vehicle": ("license_plate", "description"),
    }[kind]
    for key in fields:
        if value := data.get(f"new_{key}"):
            subject[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return subject


def _field(name: str, new_index: int) -> str | None:
    parts = name.split(".")
    if parts[0] == "observed_at":
        return f"observed_{parts[1]}" if len(parts) > 1 else "observed_start"
    if parts[0] == "location":
        return parts[-1] if parts[1] == "address" else "location_description"
    if parts[0] == "subjects" and len(parts) > 2 and int(parts[1]) == new_index:
        return f"new_{parts[-1]}"
    if parts[0] in ("category", "description"):
        return parts[0]
    return None


def improve_from_form(*, request, report: Report, save=None) -> Report | None:
    """Validate and save; None when nothing changed. Raises ImproveInvalid to re-show.

    `save`: the service that writes the version, with report_improve's keywords; the privacy
    officer's correction on a request gives its own (rights/change_views.py)."""
    save = save or editing.report_improve
    form = improve_form(report, request.POST)
    if not form.is_valid():
        raise ImproveInvalid(form)
    payload, new_index = _payload(report, form.cleaned_data)
    try:
        checked = check_report(payload, require_answers=False)
    except ReportInvalid as invalid:
        for error in invalid.errors:
            form.add_error(_field(error["name"], new_index), error["reason"])
        raise ImproveInvalid(form) from None
    try:
        return save(
            report=report,
            actor=request.user,
            revision=form.cleaned_data["revision"],
            changes=payload,
            reason=form.cleaned_data["reason"],
            checked=checked,
        )
    except editing.NothingChanged:
        return None
    except editing.ReportMerged:
        form.add_error(
            None,
            _(
                "This report was merged into another report; work on the leading report, "
                "or undo the merge."
            ),
        )
        raise ImproveInvalid(form, status=409) from None
    except editing.StaleRevision:
        form.add_error(
            None,
            _(
                "Someone else changed this report while you were editing it. Your changes "
                "were not saved; they are still in the form. Compare them with the current "
                "version below and save again."
            ),
        )
        raise ImproveInvalid(form, status=409) from None

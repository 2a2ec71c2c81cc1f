"""Loading the address register from a BAG extract (CSV)."""

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import SYSTEM
from baken.core.names import normalise_name
from baken.core.refusals import Refused
from baken.places.addresses import normalise_postcode
from baken.places.models import RegisteredAddress
from baken.reports.identifiers import (
    house_number,
    normalise_kvk,
    normalise_plate,
)
from baken.reports.models import Report, ReportSubject, SubjectKind
from baken.reports.permissions import Action

from .access import require_report, require_role, require_subjects
from .models import Judgement, Mention, Subject

COLUMNS = {
    "postcode": ("postcode",),
    "house_number": ("huisnummer", "house_number"),
    "house_letter": ("huisletter", "house_letter"),
    "addition": ("huisnummertoevoeging", "toevoeging", "addition"),
    "street": ("openbareruimte", "straat", "openbare_ruimte", "street"),
    "city": ("woonplaats", "plaats", "city"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "longitude", "lengtegraad"),
}


def _pick(row: dict, name: str) -> str:
    for column in COLUMNS[name]:
        if row.get(column):
            return row[column].strip()
    return ""


def _address(row: dict) -> RegisteredAddress | str:
    postcode = normalise_postcode(_pick(row, "postcode"))
    number = house_number(_pick(row, "house_number"))
    if postcode is None or not isinstance(number, int) or not _pick(row, "street"):
        return "postcode, house number and street are required and must be valid"
    lat, lon = _pick(row, "lat"), _pick(row, "lon")
    try:
        coordinates = (
            float(lat.replace(",", ".")) if lat else None,
            float(lon.replace(",", ".")) if lon else None,
        )
    except ValueError:
        return "lat/lon are not numbers"
    return RegisteredAddress(
        postcode=postcode,
        house_number=number,
        house_letter=_pick(row, "house_letter")[:1].upper(),
        addition=_pick(row, "addition")[:10],
        street=_pick(row, "street"),
        city=_pick(row, "city"),
        lat=coordinates[0],
        lon=coordinates[1],
    )


def addresses_load(
    rows: Iterable[dict], *, progress: Callable[[int], None] | None = None
) -> tuple[int, list[tuple[int, str]]]:
    """Replace the register with `rows`; all or nothing. Returns (loaded, rejected rows)."""
    addresses: list[RegisteredAddress] = []
    rejected: list[tuple[int, str]] = []
    for number, row in enumerate(rows, start=2):
        result = _address({k.strip().lower(): (v or "") for k, v in row.items() if k})
        if isinstance(result, str):
            rejected.append((number, result))
        else:
            addresses.append(result)
        if progress and number % 10000 == 0:
            progress(number - 1)
    if rejected:
        return 0, rejected
    with transaction.atomic():
        RegisteredAddress.objects.all().delete()
        RegisteredAddress.objects.bulk_create(addresses, batch_size=5000, ignore_conflicts=True)
        audit_record(
            actor=SYSTEM, action=AuditAction.ADDRESSES_LOAD, detail={"count": len(addresses)}
        )
    return len(addresses), []


def csv_rows(path: Path) -> Iterable[dict]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return csv.DictReader(io.StringIO(text), dialect=dialect)


# --- matching judgements, new subjects, merging (issue 5, items 1 and 2) --------------------
#
# Nothing is merged or linked automatically, however high a matching score: these functions
# run only on a person's explicit judgement (views and API), never from matching.py.


class SubjectRefused(Refused, ValueError):
    """What a subject's registration, judgement or merge does not allow, per field (a
    core.refusals.Refused: the API and the pages show it without translating code)."""

    def __init__(self, problems: dict):
        super().__init__("subject_refused", problems=problems)


def subject_name_key(subject: Subject) -> str:
    """What matching and search compare: the folded name (core/names.py)."""
    return normalise_name(subject.name, subject.kind)[:300]


def _subject_save(subject: Subject) -> Subject:
    """Validate and store a subject with its name key. Precondition: inside the caller's
    transaction, which also writes the audit entry (subject_create_from)."""
    subject.name_key = subject_name_key(subject)
    subject.full_clean()
    subject.save()
    return subject


def _lock_report_for_linking(report_id: int) -> None:
    """Hold the report's row while a judgement is written, and refuse a merged report (a
    record now: its subjects are linked on the leading report)."""
    report = Report.objects.select_for_update().only("pk", "merged_into").get(pk=report_id)
    if report.merged_into_id is not None:
        raise SubjectRefused(
            {
                "report": _(
                    "This report was merged into another report; link subjects on the "
                    "leading report."
                )
            }
        )


def mention_judge(
    *,
    report_subject: ReportSubject,
    subject: Subject,
    judgement: str,
    actor: User,
    score: float | None = None,
    reasons: list | None = None,
) -> Mention:
    """Record (or change) a person's judgement whether a named subject is this registered
    subject. Only `same` links; `not_same` keeps the pair from being offered again.

    Refused (404) unless the actor may see the report and know of the subject, (403) unless
    their role may link (subjects.access)."""
    require_report(actor, report_subject.report_id)
    require_subjects(actor, subject)
    require_role(actor, Action.LINK)
    if judgement not in Judgement.values:
        raise SubjectRefused({"judgement": _("Choose same, not the same or unsure.")})
    with transaction.atomic():
        _lock_report_for_linking(report_subject.report_id)
        locked = Subject.objects.select_for_update().get(pk=subject.pk)
        _check_judgement(report_subject, locked, judgement)
        mention, _created = Mention.objects.update_or_create(
            report_subject=report_subject,
            subject=locked,
            defaults={
                "judgement": judgement,
                "score": score,
                "reasons": list(reasons or []),
                "judged_by": actor,
                "judged_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.SUBJECT_JUDGE,
            target=locked,
            detail={
                "report": report_subject.report_id,
                "report_subject": report_subject.pk,
                "judgement": judgement,
            },
        )
    return mention


def _check_judgement(report_subject: ReportSubject, subject: Subject, judgement: str) -> None:
    if subject.merged_into_id:
        raise SubjectRefused({"subject": _("This subject was merged into another one.")})
    if judgement != Judgement.SAME:
        return
    if subject.kind != report_subject.kind:
        raise SubjectRefused({"subject": _("A subject of another kind cannot be the same.")})
    other = (
        Mention.objects.filter(report_subject=report_subject, judgement=Judgement.SAME)
        .exclude(subject=subject)
        .exists()
    )
    if other:
        raise SubjectRefused(
            {
                "subject": _(
                    "This named subject is already linked to another subject. Judge that "
                    "one first, or merge the two subjects."
                )
            }
        )


def _address_name(report_subject: ReportSubject) -> str:
    number = f"{report_subject.house_number or ''}{report_subject.house_letter}"
    if report_subject.addition:
        number = f"{number}-{report_subject.addition}"
    street = f"{report_subject.street} {number}".strip()
    place = report_subject.city or report_subject.postcode
    return ", ".join(part for part in (street, place) if part)


def _new_subject(report_subject: ReportSubject, actor: User) -> Subject:
    rs = report_subject
    plate = normalise_plate(rs.license_plate) if rs.license_plate else ""
    name = rs.name.strip()
    if rs.kind == SubjectKind.VEHICLE:
        name = name or plate or ""
    elif rs.kind == SubjectKind.ADDRESS:
        name = name or _address_name(rs)
    if not name:
        raise SubjectRefused({"name": _("The report names nothing to register this subject by.")})
    return Subject(
        kind=rs.kind,
        name=name[:300],
        birth_date=rs.birth_date if rs.kind == SubjectKind.PERSON else None,
        bsn=rs.bsn if rs.kind == SubjectKind.PERSON else "",
        kvk_number=(normalise_kvk(rs.kvk_number) or "") if rs.kvk_number else "",
        license_plate=plate or "",
        postcode=(normalise_postcode(rs.postcode) or "") if rs.postcode else "",
        house_number=rs.house_number,
        house_letter=rs.house_letter.upper(),
        addition=rs.addition,
        street=rs.street,
        city=rs.city,
        created_at=timezone.now(),
        created_by=actor,
    )


def subject_create_from(*, report_subject: ReportSubject, actor: User) -> Subject:
    """Register a new subject from what the report names (identifiers normalised) and link
    the named subject to it, judged the same by `actor`.

    Refused (404) unless the actor may see the report, (403) unless their role may link."""
    require_report(actor, report_subject.report_id)
    require_role(actor, Action.LINK)
    with transaction.atomic():
        _lock_report_for_linking(report_subject.report_id)
        linked = Mention.objects.filter(
            report_subject=report_subject, judgement=Judgement.SAME
        ).exists()
        if linked:
            raise SubjectRefused(
                {"subject": _("This named subject is already linked to a subject.")}
            )
        subject = _new_subject(report_subject, actor)
        if subject.kind == SubjectKind.ADDRESS and subject.postcode and subject.house_number:
            _fill_from_register(subject)
        _subject_save(subject)
        Mention.objects.create(
            report_subject=report_subject,
            subject=subject,
            judgement=Judgement.SAME,
            judged_by=actor,
            judged_at=subject.created_at,
        )
        audit_record(
            actor=actor,
            action=AuditAction.SUBJECT_CREATE,
            target=subject,
            detail={"report": report_subject.report_id, "report_subject": report_subject.pk},
        )
    return subject


def _fill_from_register(subject: Subject) -> None:
    """Street, town and coordinates of an address from the address register, when known."""
    if subject.house_number is None:
        return
    entry = RegisteredAddress.objects.filter(
        postcode=subject.postcode,
        house_number=subject.house_number,
        house_letter=subject.house_letter,
        addition=subject.addition,
    ).first()
    if entry is None:
        return
    subject.street = subject.street or entry.street
    subject.city = subject.city or entry.city
    subject.lat, subject.lon = entry.lat, entry.lon


REASON_MAX = 2000


def subject_merge(*, keep: Subject, merge: Subject, actor: User, reason: str) -> Subject:
    """Merge `merge` into `keep`: both rows stay, `merge` points at `keep`, its mentions
    stay on its own row; `subject_unmerge` undoes it exactly.

    Refused (404) unless the actor may know of both subjects (a subject merged already is
    known only as the one it was merged into), (403) unless their role may merge."""
    require_subjects(actor, keep, merge)
    require_role(actor, Action.MERGE)
    reason = (reason or "").strip()
    with transaction.atomic():
        rows = {
            s.pk: s for s in Subject.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])
        }
        problems = _merge_problems(rows.get(keep.pk), rows.get(merge.pk), reason)
        if problems:
            raise SubjectRefused(problems)
        merged = rows[merge.pk]
        merged.merged_into = rows[keep.pk]
        merged.save(update_fields=["merged_into"])
        audit_record(
            actor=actor,
            action=AuditAction.SUBJECT_MERGE,
            target=rows[keep.pk],
            detail={"merged": merged.pk, "reason": reason[:REASON_MAX]},
        )
    return rows[keep.pk]


def _merge_problems(keep: Subject | None, merge: Subject | None, reason: str) -> dict[str, str]:
    if keep is None or merge is None or keep.pk == merge.pk:
        return {"merge": _("Choose another subject to merge.")}
    problems = {}
    if keep.kind != merge.kind:
        problems["merge"] = _("Only subjects of the same kind can be merged.")
    elif keep.merged_into_id or merge.merged_into_id:
        problems["merge"] = _("This subject was already merged into another one.")
    elif merge.merged_subjects.exists():
        # One level only: otherwise undoing one merge would have to rewrite others.
        problems["merge"] = _(
            "Other subjects were merged into this one. Merge the other way round."
        )
    if not reason:
        problems["reason"] = _("Give the reason for this merge.")
    elif len(reason) > REASON_MAX:
        problems["reason"] = _("Keep the reason under 2000 characters.")
    return problems


def subject_unmerge(*, keep: Subject, merged: Subject, actor: User, reason: str) -> Subject:
    """Undo a merge: `merged` is a subject of its own again, with exactly its own mentions.

    Refused (404) unless the actor may know of `keep`, (403) unless their role may merge."""
    require_subjects(actor, keep)
    require_role(actor, Action.MERGE)
    reason = (reason or "").strip()
    with transaction.atomic():
        row = Subject.objects.select_for_update().get(pk=merged.pk)
        if row.merged_into_id != keep.pk:
            raise SubjectRefused({"merged": _("This subject was not merged into this one.")})
        if not reason:
            raise SubjectRefused({"reason": _("Give the reason for undoing this merge.")})
        row.merged_into = None
        row.save(update_fields=["merged_into"])
        audit_record(
            actor=actor,
            action=AuditAction.SUBJECT_UNMERGE,
            target=keep,
            detail={"merged": row.pk, "reason": reason[:REASON_MAX]},
        )
    return row

from django.db.models import QuerySet

from baken.audit.services import audit_record
from baken.intake.identifiers import normalise_postcode

from .models import Judgement, Mention, RegisteredAddress, Subject


def address_lookup(*, postcode: str, house_number: int) -> list[RegisteredAddress]:
    """Register entries for a postcode and number (several when letters or additions exist)."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return []
    return list(
        RegisteredAddress.objects.filter(postcode=normalised, house_number=house_number)[:20]
    )


def subject_list(*, user) -> QuerySet[Subject]:
    """The subjects this user may know of: those confirmed as named in a report the user may
    see (cases will add theirs). Anything else does not exist for this user — not even in a
    count, a search or a network (issue 5, need-to-know)."""
    from baken.reports.selectors import report_list

    visible_reports = report_list(user=user).values("pk")
    linked = Mention.objects.filter(
        judgement=Judgement.SAME, report_subject__report__in=visible_reports
    ).values("subject_id")
    return Subject.objects.filter(pk__in=linked, merged_into__isnull=True)


def subject_get(*, user, pk: int) -> Subject | None:
    """One subject if the user may know of it, and the read logged; None otherwise, exactly
    as for a subject that does not exist."""
    subject = subject_list(user=user).filter(pk=pk).first()
    if subject is not None:
        audit_record(actor=user, action="subject.read", target=subject)
    return subject

from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.reports.models import ReportSubject
from baken.reports.selectors import report_get, report_list

from .models import Judgement, Mention, Subject


def subject_list(*, user: User, reports: QuerySet | RawSQL | None = None) -> QuerySet[Subject]:
    """The subjects this user may know of: those confirmed as named in a report the user may
    see (cases will add theirs). Anything else does not exist for this user — not even in a
    count, a search or a network (issue 5, need-to-know) — and neither does a subject
    restricted on a request of the person it is about (AVG art. 18).

    `reports`: the ids of the reports this user may see (`report_list(user=user)`, as
    `.values("pk")` or `compiled`) when the caller built them already."""
    visible_reports: Any = report_list(user=user).values("pk") if reports is None else reports
    linked = Mention.objects.filter(
        judgement=Judgement.SAME, report_subject__report__in=visible_reports
    ).values("subject_id")
    # A merged subject's mentions stay on its own row (so a merge can be undone exactly);
    # they make the subject it was merged into known to the same users.
    # (Not through one restricted on its own, before merged subjects were refused that.)
    merged_into = Subject.objects.filter(
        pk__in=linked, merged_into__isnull=False, restricted_at__isnull=True
    ).values("merged_into_id")
    # A subject restricted on a request (subjects/restriction.py) is known to nobody.
    return Subject.objects.filter(
        Q(pk__in=linked) | Q(pk__in=merged_into),
        merged_into__isnull=True,
        restricted_at__isnull=True,
    )


def compiled(queryset: QuerySet) -> RawSQL:
    """The ids of `queryset` as SQL compiled once, for `pk__in` in several queries of one
    page: a user's scope (subject_list, report_list) is a large tree of conditions that
    Django would otherwise build into SQL again for every query that names it. The same
    rows, the same need-to-know; only the Python is spent once."""
    # Without an ordering, as Django writes a subquery (a model's default ORDER BY in it
    # would make PostgreSQL sort every visible row before the semi-join).
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return RawSQL(sql, params)  # noqa: S611 (compiled by Django, with its parameters)


def subject_get(
    *, user: User, pk: int, parts: list[str] | None = None, log: bool = True
) -> Subject | None:
    """One subject if the user may know of it, and the read logged with the parts shown
    (`parts`); None otherwise, exactly as for a subject that does not exist. `log=False`
    only where the read is logged already: a panel of a page view that logged it
    (baken.audit.page_views), or a network, whose entry names every subject it shows."""
    subject = subject_list(user=user).filter(pk=pk).first()
    if subject is not None and log:
        detail = {"parts": parts} if parts else None
        audit_record(actor=user, action=AuditAction.SUBJECT_READ, target=subject, detail=detail)
    return subject


def merged_subject_target(*, user: User, pk: int) -> Subject | None:
    """For a subject merged into another: that other subject, when this user may know of the
    merged one (a confirmed mention in a report they may see); None otherwise, exactly as for
    a subject that does not exist."""
    merged = Subject.objects.filter(
        pk=pk, merged_into__isnull=False, restricted_at__isnull=True
    ).first()
    if merged is None or merged.merged_into_id is None:
        return None
    known = Mention.objects.filter(
        subject=merged,
        judgement=Judgement.SAME,
        report_subject__report__in=report_list(user=user).values("pk"),
    ).exists()
    # Not logged: the caller sends the user on to that subject's page, which logs the read.
    return subject_get(user=user, pk=merged.merged_into_id, log=False) if known else None


def report_subject_get(*, user: User, pk: int) -> ReportSubject | None:
    """A subject as named in a report, if the user may see that report (the report read
    logged); None otherwise, exactly as for one that does not exist."""
    report_id = ReportSubject.objects.filter(pk=pk).values_list("report_id", flat=True).first()
    report = report_get(user=user, pk=report_id) if report_id is not None else None
    if report is None:
        return None
    return next((rs for rs in report.subjects.all() if rs.pk == pk), None)

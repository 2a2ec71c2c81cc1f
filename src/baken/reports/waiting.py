"""A report waiting for the reporter's answer, and the way on when no answer comes.

A question to the reporter parks the report (awaiting_reporter). An anonymous reporter may
never come back, so the wait has a deadline, `settings.REPORTER_ANSWER_DAYS` after the
question: the scheduled task `reporter-answer-overdue` (reports/tasks.py) then returns the
report to the team's triage queue with the reason REASON_NO_ANSWER, which the inbox and the
report page show as a mark. The team may also decide without the answer at any time
(weighing.decision_make, with a rationale for not waiting).

The waiting time is derived from the status history (the last move into awaiting_reporter),
not stored: the history is the record of it already.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from baken.core.actors import SYSTEM

from .models import Report, StatusChange
from .services import TransitionRefused, report_transition
from .workflow import REASON_ANSWERED, REASON_NO_ANSWER, Status


def answer_days() -> int:
    return settings.REPORTER_ANSWER_DAYS


def answer_due(*, report: Report) -> datetime | None:
    """Until when the team waits for the reporter's answer; None when it does not wait."""
    if report.status != Status.AWAITING_REPORTER:
        return None
    change = (
        StatusChange.objects.filter(report=report, to_status=Status.AWAITING_REPORTER)
        .order_by("-at", "-pk")
        .first()
    )
    return change.at + timedelta(days=answer_days()) if change else None


def overdue_waiting(*, now: datetime) -> QuerySet[Report]:
    """Reports still waiting whose last question is older than the deadline."""
    asked = (
        StatusChange.objects.filter(report=OuterRef("pk"), to_status=Status.AWAITING_REPORTER)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return (
        Report.objects.filter(status=Status.AWAITING_REPORTER)
        .annotate(asked_at=Subquery(asked))
        .filter(asked_at__lt=now - timedelta(days=answer_days()))
    )


def overdue_return(*, now: datetime | None = None) -> list[str]:
    """Return every report that waited past its deadline to triage; their references.

    Each move is its own transaction (report_transition locks the report and writes the
    status and audit rows, the system as actor); a report answered in the meantime is left
    as the answer left it.
    """
    moment = now or timezone.now()
    returned = []
    for report in overdue_waiting(now=moment).order_by("pk"):
        with transaction.atomic():
            # Under the report's lock, ask again: a new question asked since the list was
            # read starts a new wait, which this run must not cut short.
            Report.objects.select_for_update().filter(pk=report.pk).first()
            if not overdue_waiting(now=moment).filter(pk=report.pk).exists():
                continue
            try:
                report_transition(
                    report=report, to_status=Status.IN_TRIAGE, actor=SYSTEM, reason=REASON_NO_ANSWER
                )
            except TransitionRefused:
                continue
        returned.append(report.reference)
    return returned


def _latest_changes(report_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The latest status change (to, reason) of each of these reports, in one query."""
    latest: dict[int, tuple[str, str]] = {}
    changes = (
        StatusChange.objects.filter(report_id__in=report_ids)
        .order_by("report_id", "-at", "-pk")
        .values_list("report_id", "to_status", "reason")
    )
    for report_id, to_status, reason in changes:
        latest.setdefault(report_id, (to_status, reason))
    return latest


def returned(*, report_ids: list[int]) -> dict[str, set[int]]:
    """Of these reports, those back in triage from waiting and still untouched since:
    `unanswered` because no answer came, `answered` because the reporter answered (so the
    team sees the answer arrived). What the inbox and the report page mark."""
    latest = _latest_changes(report_ids)
    return {
        name: {pk for pk, last in latest.items() if last == (Status.IN_TRIAGE, reason)}
        for name, reason in (("unanswered", REASON_NO_ANSWER), ("answered", REASON_ANSWERED))
    }


def unanswered(*, report_ids: list[int]) -> set[int]:
    return returned(report_ids=report_ids)["unanswered"]

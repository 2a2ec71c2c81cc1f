"""Reports for the figures' tests, written as the services write them (save(), so the
rollup hears of them), with their status history."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from baken.reports.models import Category, Report, StatusChange
from baken.reports.workflow import Status

_numbers = itertools.count(1)
PATHS = {
    Status.RECEIVED: [Status.RECEIVED],
    Status.IN_TRIAGE: [Status.RECEIVED, Status.IN_TRIAGE],
    Status.WEIGHED: [Status.RECEIVED, Status.IN_TRIAGE, Status.WEIGHED],
    Status.NO_ACTION: [Status.RECEIVED, Status.IN_TRIAGE, Status.WEIGHED, Status.NO_ACTION],
    Status.IN_ANALYSIS: [Status.RECEIVED, Status.IN_TRIAGE, Status.WEIGHED, Status.IN_ANALYSIS],
    Status.LINKED_TO_CASE: [
        Status.RECEIVED,
        Status.IN_TRIAGE,
        Status.WEIGHED,
        Status.IN_ANALYSIS,
        Status.LINKED_TO_CASE,
    ],
}


def ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def make_report(
    team,
    *,
    days_ago: float = 1,
    status: str = Status.RECEIVED,
    category: str | None = "drugs",
    channel: str = "web",
    step_hours: int = 24,
    **fields,
) -> Report:
    received = ago(days_ago)
    report = Report.objects.create(
        reference=f"T-{next(_numbers):08d}",
        channel=channel,
        category=Category.objects.get(code=category) if category else None,
        description="Iets klopt niet.",
        received_at=received,
        team=team,
        status=status,
        **fields,
    )
    at, previous = received, ""
    for step in PATHS[status]:
        StatusChange.objects.create(report=report, from_status=previous, to_status=step, at=at)
        previous, at = step, at + timedelta(hours=step_hours)
    return report

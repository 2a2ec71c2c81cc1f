"""What an operator needs to see on the system status page (functional administrator only):
the tasks queue, task failures, the scheduled tasks' last runs, the last audit chain
verification and the heartbeats. Counts, names of tasks and times only: no personal data,
and no task's arguments, return values or tracebacks (they may name people).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from baken.core.roles import Role

from . import health, scheduling
from .models import AuditVerification, ScheduledRun

RETENTION_ENTRY = "retention-run"
STATUS_LABELS = {
    "READY": _("waiting"),
    "RUNNING": _("running"),
    "SUCCESSFUL": _("done"),
    "FAILED": _("failed"),
}


@dataclass(frozen=True)
class Queue:
    waiting: int
    oldest_waiting: datetime | None
    running: int
    failed_day: int
    failed_week: int


@dataclass(frozen=True)
class Failure:
    task: str
    count: int
    last_at: datetime


@dataclass(frozen=True)
class ScheduleRow:
    name: str
    cron: str
    last_due: datetime | None
    status: str  # django-tasks' status of the last run's task, "" when not known
    next_due: datetime

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, ""))


@dataclass(frozen=True)
class SystemStatus:
    queue: Queue
    failures: list[Failure]
    schedule: list[ScheduleRow]
    retention_scheduled: bool
    audit: AuditVerification | None
    audit_scheduled: bool
    heartbeats: list[health.Beat]


def may_see(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def _queue(now: datetime) -> Queue:
    failed = Q(status="FAILED")
    counts = DBTaskResult.objects.aggregate(
        waiting=Count("id", filter=Q(status="READY")),
        oldest=Min("enqueued_at", filter=Q(status="READY")),
        running=Count("id", filter=Q(status="RUNNING")),
        day=Count("id", filter=failed & Q(finished_at__gte=now - timedelta(days=1))),
        week=Count("id", filter=failed & Q(finished_at__gte=now - timedelta(days=7))),
    )
    return Queue(
        counts["waiting"], counts["oldest"], counts["running"], counts["day"], counts["week"]
    )


def _label(task_path: str, names: dict[str, str]) -> str:
    return names.get(task_path, task_path.rsplit(".", 1)[-1])


def _failures(now: datetime, names: dict[str, str]) -> list[Failure]:
    rows = (
        DBTaskResult.objects.filter(status="FAILED", finished_at__gte=now - timedelta(days=7))
        .values("task_path")
        .annotate(count=Count("id"), last_at=Max("finished_at"))
        .order_by("-last_at")
    )
    return [Failure(_label(row["task_path"], names), row["count"], row["last_at"]) for row in rows]


def _schedule(now: datetime) -> list[ScheduleRow]:
    entries = scheduling.entries()
    latest = dict(
        ScheduledRun.objects.filter(name__in=[entry.name for entry in entries])
        .values("name")
        .annotate(last=Max("due_at"))
        .values_list("name", "last")
    )
    wanted = Q(pk__in=[])
    for name, due in latest.items():
        wanted |= Q(name=name, due_at=due)
    runs = {run.name: run.task_result_id for run in ScheduledRun.objects.filter(wanted)}
    ids = [task_id for task_id in runs.values() if task_id]
    statuses = {
        str(pk): status
        for pk, status in DBTaskResult.objects.filter(pk__in=ids).values_list("pk", "status")
    }
    return [
        ScheduleRow(
            name=entry.name,
            cron=entry.cron,
            last_due=latest.get(entry.name),
            status=statuses.get(runs.get(entry.name, ""), ""),
            next_due=scheduling.next_due(entry, now),
        )
        for entry in entries
    ]


def system_status(*, user) -> SystemStatus:
    """Everything the page shows, in a fixed number of queries; refused to anyone but the
    functional administrator."""
    if not may_see(user):
        raise PermissionDenied
    now = timezone.now()
    schedule = _schedule(now)
    names = {entry.task: entry.name for entry in scheduling.entries()}
    return SystemStatus(
        queue=_queue(now),
        failures=_failures(now, names),
        schedule=schedule,
        retention_scheduled=any(row.name == RETENTION_ENTRY for row in schedule),
        audit=AuditVerification.objects.first(),
        audit_scheduled=any(row.name == "audit-verify" for row in schedule),
        heartbeats=health.heartbeats(),
    )

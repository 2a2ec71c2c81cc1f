"""Operational tasks, enqueued by `baken scheduler` (settings SCHEDULE) and run by the tasks
worker (`baken db_worker`).

- `worker_heartbeat`: the worker's sign of life for `/readyz` (core/health.py). Only a task
  the worker actually ran proves that it runs; it jumps the queue (highest priority), and
  clears its own finished rows and schedule rows older than a day so they do not pile up.

The nightly audit chain check is the audit app's (audit/tasks.py), as it uses the audit app.
"""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TASK_MAX_PRIORITY
from django_tasks_db.models import DBTaskResult

from .health import WORKER, WORKER_HEARTBEAT_ENTRY, beat
from .models import ScheduledRun

KEEP = timedelta(days=1)


@task(priority=TASK_MAX_PRIORITY)
def worker_heartbeat() -> str:
    now = timezone.now()
    beat(WORKER, now=now)
    DBTaskResult.objects.filter(
        task_path=f"{__name__}.worker_heartbeat", finished_at__lt=now - KEEP
    ).delete()
    ScheduledRun.objects.filter(name=WORKER_HEARTBEAT_ENTRY, due_at__lt=now - KEEP).delete()
    return now.isoformat()

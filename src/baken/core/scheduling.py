"""Scheduled tasks: `baken scheduler` enqueues each task of `settings.SCHEDULE` when its cron
expression (in the municipality's time zone) comes due; the tasks worker (`baken db_worker`)
runs it. Django's task framework does not schedule by itself.

Each due time is written (`ScheduledRun`, unique per task and time) before its task is
enqueued, so two schedulers, or one restarted, never enqueue it twice. Runs missed while no
scheduler ran are caught up once (the latest), not one by one; due times from before the
scheduler first ran are not.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .health import SCHEDULER, beat
from .models import ScheduledRun

logger = logging.getLogger(__name__)
LONGEST_SLEEP = 60.0


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    name: str
    task: str  # dotted path of a django-tasks task
    cron: str


def entries() -> list[Entry]:
    """The configured schedule; an entry whose cron is empty is switched off."""
    found = []
    for name, spec in settings.SCHEDULE.items():
        cron = spec.get("cron", "").strip()
        if not cron:
            continue
        if not croniter.is_valid(cron):
            raise ScheduleError(f"{name}: {cron!r} is not a cron expression")
        found.append(Entry(name=name, task=spec["task"], cron=cron))
    return found


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def latest_due(entry: Entry, now: datetime) -> datetime:
    """The latest due time at or before `now`."""
    return croniter(entry.cron, _local(now) + timedelta(seconds=1)).get_prev(datetime)


def next_due(entry: Entry, now: datetime) -> datetime:
    return croniter(entry.cron, _local(now)).get_next(datetime)


def run_due(*, now: datetime | None = None, since: datetime) -> list[ScheduledRun]:
    """Enqueue every entry that came due since its last run (or since `since`, the moment
    the scheduler started, for an entry that never ran)."""
    now = now or timezone.now()
    done = []
    for entry in entries():
        due = latest_due(entry, now)
        last = ScheduledRun.objects.filter(name=entry.name).values_list("due_at", flat=True).first()
        if (last is not None and due <= last) or (last is None and due < since):
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=entry.name, due_at=due, enqueued_at=now)
        except IntegrityError:
            continue  # another scheduler took this one
        result = import_string(entry.task).enqueue()
        run.task_result_id = str(result.id)
        run.save(update_fields=["task_result_id"])
        logger.info("Enqueued %s due at %s (task %s).", entry.name, due, result.id)
        done.append(run)
    return done


def seconds_to_next(now: datetime) -> float:
    dues = [next_due(entry, now) for entry in entries()]
    if not dues:
        return LONGEST_SLEEP
    return max(0.5, min(LONGEST_SLEEP, (min(dues) - now).total_seconds()))


def tick(*, since: datetime, now: datetime | None = None) -> list[ScheduledRun]:
    """One round: the scheduler's heartbeat (`/readyz`, core/health.py), then what is due."""
    now = now or timezone.now()
    beat(SCHEDULER, now=now)
    return run_due(now=now, since=since)


def run_forever() -> None:  # pragma: no cover - a loop around tick, stopped by a signal
    since = timezone.now()
    while True:
        tick(since=since)
        time.sleep(seconds_to_next(timezone.now()))

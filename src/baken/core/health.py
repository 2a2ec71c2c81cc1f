"""Health endpoints for a load balancer or monitor: `/healthz` and `/readyz`.

- `/healthz` (liveness): the web process answers. It touches no database, so a database
  outage does not make the load balancer restart every web process.
- `/readyz` (readiness): the database answers, and the scheduler's and the tasks worker's
  heartbeats are recent (core/tasks.py). 200 when all hold, 503 otherwise; the body names
  each check, nothing more (no personal data, no versions, no host names).

The middleware answers them first in the chain, before the SSL redirect, the host check and
the login: a load balancer probes over plain HTTP with its own Host header (often an IP
address), and no answer here depends on the host. ALLOWED_HOSTS stays as strict as it was for
every other path (docs/operations.md).
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Heartbeat

# How the system status page names a heartbeat's state.
BEAT_LABELS = {
    "ok": _("recent"),
    "stale": _("too long ago"),
    "missing": _("never"),
    "off": _("not checked (switched off)"),
}

SCHEDULER, WORKER = "scheduler", "worker"
# The schedule entry that enqueues the worker's heartbeat task (settings SCHEDULE).
WORKER_HEARTBEAT_ENTRY = "worker-heartbeat"
PATHS = {"/healthz", "/readyz"}


@dataclass(frozen=True)
class Beat:
    name: str
    at: datetime | None
    max_age: timedelta | None  # None: not checked (its schedule entry is switched off)

    @property
    def fresh(self) -> bool:
        if self.max_age is None:
            return True
        return self.at is not None and timezone.now() - self.at <= self.max_age

    @property
    def state(self) -> str:
        if self.max_age is None:
            return "off"
        return "ok" if self.fresh else ("missing" if self.at is None else "stale")

    @property
    def state_label(self) -> str:
        return str(BEAT_LABELS[self.state])


def beat(name: str, *, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": now or timezone.now()})


def _worker_checked() -> bool:
    entry = settings.SCHEDULE.get(WORKER_HEARTBEAT_ENTRY, {})
    return bool(entry.get("cron", "").strip())


def heartbeats() -> list[Beat]:
    """The scheduler's and the worker's last beat, with how old each may be (one query)."""
    seen = dict(Heartbeat.objects.filter(name__in=[SCHEDULER, WORKER]).values_list("name", "at"))
    return [
        Beat(SCHEDULER, seen.get(SCHEDULER), timedelta(seconds=settings.READY_SCHEDULER_SECONDS)),
        Beat(
            WORKER,
            seen.get(WORKER),
            timedelta(seconds=settings.READY_WORKER_SECONDS) if _worker_checked() else None,
        ),
    ]


def readiness() -> tuple[bool, dict[str, str]]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beats = heartbeats()
    except Exception:  # noqa: BLE001  (unreachable, or not migrated: either way not ready)
        return False, {"database": "unavailable", SCHEDULER: "unknown", WORKER: "unknown"}
    checks = {"database": "ok", **{item.name: item.state for item in beats}}
    return all(state in {"ok", "off"} for state in checks.values()), checks


def _answer(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answers GET/HEAD /healthz and /readyz before any other middleware (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in PATHS or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if request.path == "/healthz":
            return _answer(200, {"status": "ok"})
        ready, checks = readiness()
        return _answer(200 if ready else 503, {"status": "ok" if ready else "fail", **checks})

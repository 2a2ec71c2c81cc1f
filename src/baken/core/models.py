from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One due time of a scheduled task, written before the task is enqueued: a second
    scheduler (or a restart) finds it and enqueues nothing (core/scheduling.py)."""

    name = models.CharField(_("name"), max_length=64)
    due_at = models.DateTimeField(_("due at"))
    enqueued_at = models.DateTimeField(_("enqueued at"))
    task_result_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        ordering = ["-due_at"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(fields=["name", "due_at"], name="scheduled_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.due_at:%Y-%m-%d %H:%M}"


class Heartbeat(models.Model):
    """The last sign of life of a background process: `scheduler` each round of
    `baken scheduler`, `worker` each time the tasks worker ran the heartbeat task the scheduler
    enqueues (core/tasks.py). `/readyz` and the system status page read them (core/health.py)."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


class AuditVerification(models.Model):
    """One run of the audit chain check by the scheduled `audit-verify` (audit/tasks.py): what
    the administrator's system status page shows as the last verification."""

    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("intact"))
    checked = models.PositiveIntegerField(_("entries checked"))
    broken_seq = models.PositiveBigIntegerField(_("broken at entry"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    seconds = models.FloatField(_("duration in seconds"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit verification")
        verbose_name_plural = _("audit verifications")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"

"""An export: one list a user may see (reports, cases, interventions, figures), written to a
CSV or XLSX file by a background task. The file lives encrypted outside the web root
(exports/storage.py) and is deleted after settings.EXPORT_RETENTION_DAYS (ADR 0013)."""

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORTS = "reports", _("Reports")
    CASES = "cases", _("Cases")
    INTERVENTIONS = "interventions", _("Interventions")
    FIGURES = "figures", _("Figures")


class Format(models.TextChoices):
    CSV = "csv", _("CSV (Excel, semicolons)")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Deleted")


class Export(models.Model):
    # A random id: an export's address says nothing about how many others there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="exports",
    )
    kind = models.CharField(_("list"), max_length=16, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    # The list's own query parameters, validated (exports/kinds.py): the export holds what the
    # list shows with them, all pages.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The scope the file is made under: the user's role and team when they asked for it.
    # The file is made and given only while both are the same (services.download_refusal):
    # a user moved to another team or role never gets the rows of the old one, not even
    # from a file made before the move. The team as its id, not a foreign key: the record
    # outlives the team, and a team that was removed must not read as "no team".
    scope_role = models.CharField(_("role when requested"), max_length=32, blank=True)
    scope_team_id = models.PositiveIntegerField(_("team when requested"), null=True, blank=True)
    # The column headings and values are written in the language the user asked in.
    language = models.CharField(_("language"), max_length=8, default="nl")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows in total"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    size_bytes = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    # A code, shown to the user as a sentence (exports/services.py, FAILURES).
    failure = models.CharField(_("reason of failure"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The last sign of life of the task making the file (its start, each batch written): an
    # export that shows none for settings.EXPORT_STALLED_MINUTES lost its worker and is
    # given up (services.exports_expire).
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("deleted after"), db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["user", "-created_at"], name="export_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="export_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=Format.values), name="export_format_known"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="export_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(rows_total__isnull=True)
                | models.Q(rows_done__lte=models.F("rows_total")),
                name="export_rows_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.pk})"

    @property
    def is_working(self) -> bool:
        return self.state in (State.QUEUED, State.RUNNING)

    @property
    def percent(self) -> int:
        if self.state == State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def file_name(self) -> str:
        """The name the download gets: Dutch, like the workspace's addresses."""
        stem = {"reports": "meldingen", "cases": "casussen", "interventions": "interventies"}
        when = self.created_at.astimezone(_amsterdam()).strftime("%Y%m%d-%H%M")
        return f"baken-{stem.get(self.kind, 'cijfers')}-{when}.{self.format}"


def _amsterdam():
    return ZoneInfo(settings.TIME_ZONE)

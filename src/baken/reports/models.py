"""The report in its one uniform shape (shared/contract/report.schema.json)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .workflow import Status


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    APP = "app", _("App")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    PARTNER = "partner", _("Partner")
    IMPORT = "import", _("Import")


PUBLIC_CHANNELS = {Channel.WEB, Channel.APP}


class DutchAddress(models.Model):
    """The parts of a Dutch address, as the uniform report format has them."""

    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    house_number = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)

    ADDRESS_FIELDS = ("postcode", "house_number", "house_letter", "addition", "street", "city")

    class Meta:
        abstract = True


class Report(DutchAddress):
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        "intake.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    description = models.TextField(_("description"))
    observed_start = models.DateTimeField(_("observed from"), null=True, blank=True)
    observed_end = models.DateTimeField(_("observed until"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    location_description = models.CharField(_("place in words"), max_length=500, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.RECEIVED
    )
    # The report as it arrived, validated and normalised, without the reporter's contact
    # details (those live encrypted in intake.ReporterContact). Never changed afterwards.
    original = models.JSONField(_("original"), default=dict, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The staff member who entered a report received by phone, e-mail or import."),
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    # Set by routing (on arrival, and again when category or place changes).
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_reports",
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(observed_end__isnull=True)
                | models.Q(observed_end__gte=models.F("observed_start")),
                name="report_observed_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="report_channel_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="report_status_idx")]

    def __str__(self) -> str:
        return self.reference


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    VEHICLE = "vehicle", _("Vehicle")
    ADDRESS = "address", _("Address")


class ReportSubject(DutchAddress):
    """A person, organisation, vehicle or address as the report names it (unmatched)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="subjects"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    license_plate = models.CharField(_("licence plate"), max_length=12, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "position"]
        verbose_name = _("named subject")
        verbose_name_plural = _("named subjects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SubjectKind.values), name="report_subject_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class StatusChange(models.Model):
    """Appended on every transition: who, when, why. Never edited."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32)
    at = models.DateTimeField(_("moment"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"

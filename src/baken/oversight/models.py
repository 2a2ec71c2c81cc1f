"""The access review (issue 16): flags of reads that look unusual, found each day in the audit
log (oversight/review.py), and the privacy officer's review of each.

A flag names a user, the kind of pattern, the day and the period it covers, its figures and the
numbers of the audit entries behind it (`AuditEntry.seq`): ids only, like the log itself, never
a name or a text of what was read. One flag per kind, user and day, so running the detection
twice for a day adds nothing. Every review is kept (FlagReview); the flag carries the latest.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FlagKind(models.TextChoices):
    MANY_READS = "many_reads", _("Many reports in a short time")
    OUTSIDE_WORK = "outside_work", _("Reports outside own queue and cases")
    OFF_HOURS = "off_hours", _("Reads at night or at the weekend")
    OWN_NAME = "own_name", _("A subject with the user's own surname")
    LARGE_EXPORT = "large_export", _("Large export")


class ReviewState(models.TextChoices):
    OPEN = "open", _("Not reviewed yet")
    JUSTIFIED = "justified", _("Justified")
    TO_DISCUSS = "to_discuss", _("To discuss")
    INCIDENT = "incident", _("Incident")


# The states a review may give (a review always has a note).
REVIEWED = [ReviewState.JUSTIFIED, ReviewState.TO_DISCUSS, ReviewState.INCIDENT]
REVIEW_CHOICES = [(state.value, state.label) for state in REVIEWED]


class AccessFlag(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=FlagKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The day the detection looked at (Europe/Amsterdam), and the stretch of it the flag
    # covers: the busiest hour for many reads, the first and last entry for the others.
    day = models.DateField(_("day"))
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("until"))
    # What the flag is about in figures: {"reads": 63, "reports": 58, "threshold": 50, ...}.
    figures = models.JSONField(_("figures"), default=dict)
    # The audit entries behind the flag (AuditEntry.seq), in order.
    entries = models.JSONField(_("audit entries"), default=list)
    detected_at = models.DateTimeField(_("detected at"))
    state = models.CharField(
        _("review"), max_length=16, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "kind", "user_id"]
        verbose_name = _("access flag")
        verbose_name_plural = _("access flags")
        constraints = [
            models.UniqueConstraint(fields=["kind", "user", "day"], name="access_flag_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=FlagKind.values), name="access_flag_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ReviewState.values), name="access_flag_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-day"], name="access_flag_state_idx"),
            models.Index(fields=["user", "-day"], name="access_flag_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.day}"

    @property
    def reviewed(self) -> bool:
        return self.state != ReviewState.OPEN


class FlagReview(models.Model):
    """One review of a flag, kept: a flag 'to discuss' is often reviewed again later."""

    flag = models.ForeignKey(AccessFlag, on_delete=models.CASCADE, related_name="reviews")
    state = models.CharField(_("review"), max_length=16, choices=ReviewState.choices)
    note = models.TextField(_("note"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("reviewed at"))

    class Meta:
        ordering = ["flag", "at", "pk"]
        verbose_name = _("review of an access flag")
        verbose_name_plural = _("reviews of access flags")

    def __str__(self) -> str:
        return f"{self.flag_id} {self.state}"

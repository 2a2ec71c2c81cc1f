"""Insights: the weekly overview (issue 7) and what was mailed of it.

The overview of a week is built once into a snapshot (`WeeklyOverview.data`, JSON) from data
timestamps only, so building it again gives the same snapshot; what each reader sees of it
is filtered when they read it (baken/insights/overview_scope.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WeeklyOverview(models.Model):
    """The snapshot of one ISO week (Monday to Sunday in the municipality's time zone)."""

    week = models.CharField(_("week"), max_length=8, unique=True)  # "2026-W47"
    week_start = models.DateField(_("first day"), unique=True)
    data = models.JSONField(_("content"))
    # SHA-256 of the canonical JSON of `data`: a rebuild of an unchanged week keeps it.
    digest = models.CharField(_("fingerprint"), max_length=64)
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly overview")
        verbose_name_plural = _("weekly overviews")

    def __str__(self) -> str:
        return self.week


class OverviewSubscription(models.Model):
    """A user who wants the weekly overview by e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="overview_subscription",
    )
    subscribed_at = models.DateTimeField(_("subscribed at"))

    class Meta:
        verbose_name = _("weekly overview subscription")
        verbose_name_plural = _("weekly overview subscriptions")

    def __str__(self) -> str:
        return str(self.user_id)


class OverviewMailing(models.Model):
    """One weekly overview mailed to one user: written once, so a second send skips them."""

    overview = models.ForeignKey(
        WeeklyOverview,
        verbose_name=_("weekly overview"),
        on_delete=models.CASCADE,
        related_name="mailings",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["overview", "user"]
        verbose_name = _("weekly overview mailing")
        verbose_name_plural = _("weekly overview mailings")
        constraints = [
            models.UniqueConstraint(fields=["overview", "user"], name="overview_mailing_unique")
        ]

    def __str__(self) -> str:
        return f"{self.overview_id} → {self.user_id}"

"""A notification to one user, and each user's choice of e-mail per kind.

A notification holds no content of the object it points to: its kind, the object's id (for
the link) and reference at most; what the user may see is decided when the link is opened.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import SPECS, Kind, path_of


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    # A report's or case's reference (never personal data), to tell notifications apart.
    reference = models.CharField(_("reference"), max_length=32, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The header's unread count on every page: one index-only count.
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["user", "-created_at"], name="notification_list_idx"),
        ]

    def __str__(self) -> str:
        return str(self.sentence)

    @property
    def sentence(self):
        return SPECS[self.kind].sentence

    def target_path(self) -> str:
        return path_of(self.kind, self.object_id)


class NotificationPreference(models.Model):
    """Whether a user wants e-mail for one kind; without a row the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    email = models.BooleanField(_("by e-mail"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.email}"

"""Awareness of the Meldpunt among the municipality's employees (issue 17, docs/awareness.md).

The trainings the team gives, and the practice scenarios an employee can try at
/melden/oefenen. Neither holds anything about a report or a reporter: a training names
departments and a number of participants, never who took part; a practice answer is kept only
as one more in a count per scenario and answer.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Meeting in person")
    ONLINE = "online", _("Online session")
    E_LEARNING = "e_learning", _("E-learning")
    WORKSHOP = "workshop", _("Workshop or game")
    TEAM_MEETING = "team_meeting", _("Part of a team meeting")


class Training(models.Model):
    """An awareness session on ondermijning the team gave, for one or more departments."""

    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    departments = models.ManyToManyField(
        "reports.Department", verbose_name=_("departments"), related_name="trainings"
    )
    participants = models.PositiveIntegerField(_("number of participants"))
    format = models.CharField(_("format"), max_length=16, choices=TrainingFormat.choices)
    trainer = models.CharField(_("trainer"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title or str(self.held_on)


class PracticeAnswer(models.TextChoices):
    REPORT = "report", _("Yes, I would report this")
    DOUBT = "doubt", _("I am not sure")
    NO = "no", _("No, I would not report this")


class PracticeScenario(models.Model):
    """A short situation per theme ('a colleague at the permits desk notices ...') with the
    answer the team advises and why, kept by the functional administrator."""

    category = models.ForeignKey(
        "reports.Category",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="practice_scenarios",
    )
    situation = models.TextField(_("situation"))
    advice = models.CharField(
        _("advised answer"),
        max_length=8,
        choices=PracticeAnswer.choices,
        default=PracticeAnswer.REPORT,
    )
    explanation = models.TextField(_("explanation"))
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("practice scenario")
        verbose_name_plural = _("practice scenarios")

    def __str__(self) -> str:
        return self.situation[:60]


class PracticeTally(models.Model):
    """How many times a scenario was answered one way: the only thing /melden/oefenen keeps
    (no time, no session, no address)."""

    scenario = models.ForeignKey(PracticeScenario, on_delete=models.CASCADE, related_name="tallies")
    answer = models.CharField(max_length=8, choices=PracticeAnswer.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("practice count")
        verbose_name_plural = _("practice counts")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "answer"], name="practice_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.answer}: {self.count}"

"""Cases: the model protocol's stages 3 to 5 (DESIGN.md), as data.

A case type is versioned: the functional administrator changes stages, their criteria and the
closing results by making a new version; a case keeps the version it started with.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("case type")
        verbose_name_plural = _("case types")

    def __str__(self) -> str:
        return self.name


class CaseTypeVersion(models.Model):
    """One frozen version of a case type: its stages, criteria and results never change
    once a case uses it."""

    case_type = models.ForeignKey(
        CaseType, verbose_name=_("case type"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("made at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("what changed"), blank=True)

    class Meta:
        ordering = ["case_type", "-number"]
        verbose_name = _("case type version")
        verbose_name_plural = _("case type versions")
        constraints = [
            models.UniqueConstraint(fields=["case_type", "number"], name="case_type_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_type} v{self.number}"


class Stage(models.Model):
    version = models.ForeignKey(
        CaseTypeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="stages"
    )
    position = models.PositiveIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    # The last stage: a case reaches it only by closing, with a result.
    is_closed = models.BooleanField(_("closing stage"), default=False)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="stage_code_once"),
            models.UniqueConstraint(fields=["version", "position"], name="stage_position_once"),
        ]

    def __str__(self) -> str:
        return self.name


class StageCriterion(models.Model):
    """A check a case must meet before it leaves the stage (mandatory) or may record."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=64)
    question = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("explanation"), blank=True)
    choices = models.JSONField(_("choices"), default=list)
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        ordering = ["stage", "position", "pk"]
        verbose_name = _("stage criterion")
        verbose_name_plural = _("stage criteria")
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="stage_criterion_once")
        ]

    def __str__(self) -> str:
        return self.question


class CaseResult(models.Model):
    """A result a case of this version can close with."""

    version = models.ForeignKey(
        CaseTypeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="results"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("case result")
        verbose_name_plural = _("case results")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="case_result_once")]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    version = models.ForeignKey(
        CaseTypeVersion, verbose_name=_("case type"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.ForeignKey(
        CaseResult,
        verbose_name=_("result"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reports = models.ManyToManyField(
        "reports.Report", through="CaseReport", related_name="cases", verbose_name=_("reports")
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CaseReport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_reports")
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "added_at"]
        verbose_name = _("report of a case")
        verbose_name_plural = _("reports of cases")
        constraints = [models.UniqueConstraint(fields=["case", "report"], name="case_report_once")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.report_id}"


class CaseMember(models.Model):
    """Membership of a case, kept with its history: who added or removed whom, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships"
    )
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.CharField(_("reason for removal"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "added_at"]
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        constraints = [
            # At most one current membership per person and case.
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="case_member_current_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "case"],
                condition=models.Q(removed_at__isnull=True),
                name="case_member_current_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"


class CaseAnswer(models.Model):
    """The answer to one stage criterion for one case, with its motivation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(StageCriterion, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("answer"), max_length=100)
    motivation = models.TextField(_("motivation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["case", "at"]
        verbose_name = _("criterion answer")
        verbose_name_plural = _("criterion answers")
        constraints = [
            models.UniqueConstraint(fields=["case", "criterion"], name="case_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.criterion_id}"


class DecisionKind(models.TextChoices):
    OPEN = "open", _("Opened")
    ADVANCE = "advance", _("To the next stage")
    CLOSE = "close", _("Closed")
    REOPEN = "reopen", _("Reopened")
    ADD_REPORT = "add_report", _("Report added")


class CaseDecision(models.Model):
    """Every step of a case with its rationale, appended, never changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices)
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.ForeignKey(
        CaseResult, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rationale = models.TextField(_("rationale"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = _("case decision")
        verbose_name_plural = _("case decisions")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class CaseReview(models.Model):
    """The privacy officer's review of a case on request: who, when, why (and logged)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["case", "-at"]
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.officer_id}"

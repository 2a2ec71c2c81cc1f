"""Cases: the model protocol's stages 3 to 5 (docs/product.md#cases), as data.

A case type is versioned: the functional administrator changes stages, their criteria and the
closing results by making a new version; a case keeps the version it started with.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from baken.core import dates


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
    once a case uses it.

    A new version is a draft until the functional administrator publishes it: new cases
    start on the newest *published* version, so none starts on a version mid-edit."""

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
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

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


class Fact(models.TextChoices):
    """What Baken knows of a case, from which a criterion can be derived (cases/facts.py)
    instead of being the handler's judgement: the answer is then what the records say."""

    INTERVENTION_RECORDED = "intervention_recorded", _("an intervention is recorded")
    SOURCES_APPROVED = "sources_approved", _("the privacy officer approved the source research")
    HITS_RECORDED = "hits_recorded", _("hit or no hit is recorded for every approved source")
    HANDOVER_REGISTERED = "handover_registered", _("a hand-over is in the sharing register")
    PRIVACY_CHECKS_ANSWERED = (
        "privacy_checks_answered",
        _("privacy checks 2A and 2B of the plan of approach are answered"),
    )


class StageCriterion(models.Model):
    """A check a case must meet before it leaves the stage (mandatory) or may record.

    Answered by the handler's judgement (with a motivation), or derived from a fact the
    case records (`fact`): then nobody answers it, and it is met while the fact holds."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=64)
    question = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("explanation"), blank=True)
    choices = models.JSONField(_("choices"), default=list)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    # Empty: the handler's judgement.
    fact = models.CharField(_("derived from"), max_length=32, choices=Fact.choices, blank=True)

    class Meta:
        ordering = ["stage", "position", "pk"]
        verbose_name = _("stage criterion")
        verbose_name_plural = _("stage criteria")
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="stage_criterion_once"),
            models.CheckConstraint(
                condition=models.Q(fact__in=["", *Fact.values]), name="stage_criterion_fact_known"
            ),
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
        # The weekly overview counts the cases opened and closed in a week.
        indexes = [
            models.Index(fields=["opened_at"], name="case_opened_idx"),
            models.Index(fields=["closed_at"], name="case_closed_idx"),
            # The case list's order (selectors.LIST_ORDER): open cases first. PostgreSQL's
            # DESC is NULLS FIRST (SQLite's index syntax takes no NULLS FIRST; its ORDER BY
            # does, and its lists are small).
            models.Index(
                models.F("closed_at").desc(),
                models.F("opened_at").desc(),
                models.F("id").desc(),
                name="case_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        """Saved with its team: the copies of the team its reports and memberships keep
        (`case_team`, ADR 0035) follow in the same transaction. No page or service moves a
        case to another team today; whatever does so must save the case, not `update()` it."""
        fields = kwargs.get("update_fields")
        if self._state.adding or (fields is not None and not {"team", "team_id"} & set(fields)):
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            super().save(*args, **kwargs)
            for rows in (self.case_reports, self.memberships):
                rows.exclude(case_team_id=self.team_id).update(case_team_id=self.team_id)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


# A case report whose report is of another team than its case (or of none): the few rows
# an analyst's inbox reads from `case_report_outside_idx` for the cases of their own team.
OUTSIDE_CASE_TEAM = models.Q(outside_case_team=True)


class CaseReport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_reports")
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="+")
    # A copy of the report's team, kept when the report is linked and whenever its team
    # changes (cases/signals.py): the inbox of an analyst asks for the reports of their cases
    # *outside* their team (the rest it reads from the team's index), and finds them in the
    # case report index without reading every report of 20,000 cases (ADR 0035).
    report_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team of the report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # A copy of the case's team (Case.save keeps it): almost every case report is of its
    # case's team, and the few that are not are in the partial index
    # `case_report_outside_idx`, from which an analyst's inbox reads the reports of their
    # own team's cases that are of another team, without reading all their cases (ADR 0035).
    case_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team of the case"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Whether the report is of another team than the case (or of none), kept by the
    # database from the two copies. A column of its own, not a condition on the two: the
    # planner knows from its statistics how few rows are true, and reads them from the
    # partial index one by one instead of hash-joining them with every membership.
    outside_case_team = models.GeneratedField(
        expression=models.Case(
            models.When(report_team=models.F("case_team"), then=models.Value(False)),
            default=models.Value(True),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "added_at"]
        verbose_name = _("report of a case")
        verbose_name_plural = _("reports of cases")
        constraints = [models.UniqueConstraint(fields=["case", "report"], name="case_report_once")]
        indexes = [
            # The reports of a member's cases outside a team, from the index alone.
            models.Index(fields=["case", "report_team", "report"], name="case_report_team_idx"),
            # The few case reports of another team than their case's, by the case's team.
            models.Index(
                fields=["case_team", "case", "report"],
                condition=OUTSIDE_CASE_TEAM,
                name="case_report_outside_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.report_id}"

    def save(self, *args, **kwargs) -> None:
        if self.case_team_id is None and self.case_id is not None:
            self.case_team_id = self.case.team_id
        super().save(*args, **kwargs)


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
    # A copy of the case's team (Case.save keeps it): the cases of another team than theirs
    # a user is a member of, from `case_member_team_idx`, without reading all their cases.
    case_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team of the case"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

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
            ),
            models.Index(
                fields=["user", "case_team", "case"],
                condition=models.Q(removed_at__isnull=True),
                name="case_member_team_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"

    def save(self, *args, **kwargs) -> None:
        if self.case_team_id is None and self.case_id is not None:
            self.case_team_id = self.case.team_id
        super().save(*args, **kwargs)


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
    HANDLER = "handler", _("Case handler appointed")


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
    # Who was appointed case handler (kind "handler"); empty for every other kind.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rationale = models.TextField(_("rationale"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = _("case decision")
        verbose_name_plural = _("case decisions")
        # The weekly overview counts the steps of a week.
        indexes = [models.Index(fields=["at"], name="case_decision_at_idx")]

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


class Source(models.Model):
    """A municipal source a case may consult (population register, permits, …)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name


class ConsultationState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the privacy officer")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Consultation(models.Model):
    """Source research: asked with a purpose, approved or refused by the privacy officer with
    a motivation; an approved one is recorded as hit or no hit, and a hit with its findings."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT)
    purpose = models.TextField(_("purpose"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ConsultationState.choices,
        default=ConsultationState.REQUESTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_motivation = models.TextField(_("motivation"), blank=True)
    hit = models.BooleanField(_("hit"), null=True, blank=True)
    hit_recorded_at = models.DateTimeField(_("hit recorded at"), null=True, blank=True)
    hit_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        ordering = ["case", "requested_at"]
        verbose_name = _("source consultation")
        verbose_name_plural = _("source consultations")
        # The privacy officer's queue (cases/work.py pending_consultations): the few still
        # to decide, instead of every consultation ever asked (at 5 million demo reports
        # 60,000, read whole at every visit: 48-55 ms).
        indexes = [
            models.Index(
                fields=["requested_at"],
                condition=models.Q(state="requested"),
                name="consultation_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.source_id}"


class InterventionType(models.Model):
    """An intervention of the catalogue, ordered by the barrier model."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("intervention type")
        verbose_name_plural = _("intervention types")

    def __str__(self) -> str:
        return self.name


class InterventionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class Intervention(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    kind = models.ForeignKey(
        InterventionType, verbose_name=_("intervention"), on_delete=models.PROTECT
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=200)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=InterventionState.choices,
        default=InterventionState.PLANNED,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["case", "start_date", "pk"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind_id}"


class InterventionChange(models.Model):
    """What an intervention was at a moment, by whom: the first when it was recorded, then
    one for every change of its state, end or outcome. Appended, never changed, so the
    timeline and the accountability report show what was known when, not only the latest."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="changes")
    state = models.CharField(_("state"), max_length=16, choices=InterventionState.choices)
    end_date = models.DateField(_("end"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["intervention", "at", "pk"]
        verbose_name = _("change of an intervention")
        verbose_name_plural = _("changes of interventions")

    def __str__(self) -> str:
        return f"{self.intervention_id}: {self.state} ({dates.compact(self.at)})"


class RecipientKind(models.TextChoices):
    DEPARTMENT = "department", _("A municipal department")
    RIEC = "riec", _("The RIEC")
    POLICE = "police", _("The police")
    TAX = "tax", _("The tax office")
    MUNICIPALITY = "municipality", _("Another municipality")
    OTHER = "other", _("Another partner")


class Handover(models.Model):
    """The sharing register: every hand-over of data outside the team — what, to whom, when,
    by whom, on which legal basis — so that a correction or deletion can be passed on."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers")
    recipient_kind = models.CharField(
        _("kind of recipient"), max_length=16, choices=RecipientKind.choices
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    what = models.TextField(_("what was shared"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))
    # The hand-over package made at that moment: its name and SHA-256, not its content.
    package_name = models.CharField(_("package"), max_length=200, blank=True)
    package_sha256 = models.CharField(_("SHA-256 of the package"), max_length=64, blank=True)
    subjects = models.JSONField(_("subjects shared"), default=list)
    reports = models.JSONField(_("reports shared"), default=list)
    # The form's one-time key: the same form sent twice (a second click on "download")
    # records one hand-over, not two. Unique per case: a key says nothing across cases.
    request_key = models.UUIDField(_("request key"), null=True, blank=True)

    class Meta:
        ordering = ["case", "at"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "request_key"], name="handover_request_once_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.recipient}"


class HandoverNotice(models.Model):
    """The recipient of a hand-over was told that a report or subject in it was corrected or
    removed: who told them, when, and about what."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="notices")
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the notice was about, in words: kept when the report or subject is removed.
    about = models.CharField(_("about"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["handover", "at"]
        verbose_name = _("hand-over notice")
        verbose_name_plural = _("hand-over notices")

    def __str__(self) -> str:
        return f"{self.handover_id}: {self.about}"


class CaseNote(models.Model):
    """A note in the case's timeline: what happened that no other record holds."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["case", "at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return self.text[:60]


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="case_tasks",
    )
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=8, choices=TaskState.choices, default=TaskState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("made at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The day the assignee was last reminded by e-mail (at most one reminder a day).
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=["assignee", "state", "deadline"], name="task_mine_idx")]

    def __str__(self) -> str:
        return self.title


class CaseKey(models.Model):
    """A case's own key (crypto-shredding, ADR 0032): 32 random bytes, stored wrapped by a key
    derived from the data key. `baken backup` seals the case's rows (its notes, tasks,
    interventions, consultations, decisions, hand-overs) under it and writes this table apart
    from the database, so deleting this row with the case (CASCADE) makes every backup's copy
    of them unreadable."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="own_key", primary_key=True
    )
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case key")
        verbose_name_plural = _("case keys")

    def __str__(self) -> str:
        return f"key {self.case_id}"

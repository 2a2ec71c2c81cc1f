"""Retention rules, legal holds and the runs that apply them (docs/retention.md).

A rule is data: the functional administrator proposes a new version, the privacy officer
approves it, and only then is it in force; the earlier version stays, superseded, so every
run can say which version it applied.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def _person(verbose_name, *, optional: bool = True) -> models.ForeignKey:
    """Who did something (proposed, decided, placed, lifted, started): a user, kept even
    when the account is gone (PROTECT), never listed from the user's side."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name="+",
    )


class RuleKind(models.TextChoices):
    """What a rule is about, and the moment its period is counted from (rules.py)."""

    REPORT_NO_ACTION = "report_no_action", _("Report decided 'no action'")
    REPORT_REFERRED = "report_referred", _("Report referred or forwarded")
    REPORT_UNWEIGHED = "report_unweighed", _("Report never weighed")
    CASE_CLOSED = "case_closed", _("Closed case")
    IDEMPOTENCY = "idempotency", _("Resend records of the Meldpunt")
    LOGIN_RECORDS = "login_records", _("Records of sign-in attempts")


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class RuleState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    REJECTED = "rejected", _("Rejected")


class RetentionRule(models.Model):
    """One version of the rule for one kind of data."""

    kind = models.CharField(_("kind"), max_length=32, choices=RuleKind.choices)
    # A rule for closed cases may hold for one case type, one result (by its code, which
    # the versions of a case type share), or both; the most specific rule in force governs
    # a case (retention.governs). Blank: every closed case no more specific rule governs.
    case_type = models.ForeignKey(
        "cases.CaseType",
        verbose_name=_("case type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_result = models.SlugField(_("case result"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("version"))
    period_amount = models.PositiveIntegerField(_("period"))
    period_unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices)
    legal_source = models.TextField(_("legal source"))
    explanation = models.TextField(_("why this version"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=RuleState.choices)
    proposed_by = _person(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = _person(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note with the decision"), blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="retention_rule_version"),
            # One version in force, and one proposal, per kind and scope.
            models.UniqueConstraint(
                "kind",
                Coalesce("case_type", Value(0)),
                "case_result",
                condition=Q(state="in_force"),
                name="retention_rule_one_in_force",
            ),
            models.UniqueConstraint(
                "kind",
                Coalesce("case_type", Value(0)),
                "case_result",
                condition=Q(state="proposed"),
                name="retention_rule_one_proposed",
            ),
            models.CheckConstraint(
                condition=Q(kind="case_closed") | Q(case_type__isnull=True, case_result=""),
                name="retention_rule_scope_cases_only",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RuleKind.values), name="retention_rule_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_unit__in=PeriodUnit.values), name="retention_rule_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=RuleState.values), name="retention_rule_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(legal_source=""), name="retention_rule_source_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"

    @property
    def label(self) -> str:
        """The kind, and for a rule of closed cases its scope: 'Gesloten casus (casustype
        Vastgoed, resultaat interventie-uitgevoerd)'."""
        kind = str(self.get_kind_display())
        scope = []
        if self.case_type_id is not None:
            scope.append(_("case type %(name)s") % {"name": self.case_type})
        if self.case_result:
            scope.append(_("result %(code)s") % {"code": self.case_result})
        return f"{kind} ({', '.join(scope)})" if scope else kind

    @property
    def is_scoped(self) -> bool:
        return self.case_type_id is not None or bool(self.case_result)

    @property
    def specificity(self) -> int:
        """Which of two rules that both fit a case governs it: type and result (3) before
        type (2) before result (1) before the rule for every closed case (0)."""
        return 2 * (self.case_type_id is not None) + bool(self.case_result)

    @property
    def period(self) -> str:
        """'1 dag', '6 maanden', '5 jaar': the period as people read it."""
        amount = self.period_amount
        if self.period_unit == PeriodUnit.DAYS:
            return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}
        if self.period_unit == PeriodUnit.MONTHS:
            return ngettext("%(n)d month", "%(n)d months", amount) % {"n": amount}
        return ngettext("%(n)d year", "%(n)d years", amount) % {"n": amount}


class HoldReason(models.TextChoices):
    WOO = "woo", _("Request under the Woo (open government)")
    OBJECTION = "objection", _("Objection or appeal")
    COURT = "court", _("Court case")
    POLICE = "police", _("Request of the police or the public prosecutor")
    DATA_SUBJECT = "data_subject", _("Request of the person concerned")
    OTHER = "other", _("Other")


class LegalHoldQuerySet(models.QuerySet):
    def active(self, now=None) -> "LegalHoldQuerySet":
        """The holds in force at `now` (default: now): not lifted, and not yet ended."""
        return self.filter(lifted_at__isnull=True, until__gte=timezone.localdate(now))


class LegalHold(models.Model):
    """Keeps one report, case or subject past its term until the hold ends or is lifted."""

    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="holds"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="holds"
    )
    subject = models.ForeignKey(
        "subjects.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="holds"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=HoldReason.choices)
    explanation = models.TextField(_("explanation"))
    until = models.DateField(_("until"))
    placed_by = _person(_("placed by"), optional=False)
    placed_at = models.DateTimeField(_("placed at"))
    lifted_by = _person(_("lifted by"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_explanation = models.TextField(_("why lifted"), blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["until", "pk"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(report__isnull=False, case__isnull=True, subject__isnull=True)
                    | Q(report__isnull=True, case__isnull=False, subject__isnull=True)
                    | Q(report__isnull=True, case__isnull=True, subject__isnull=False)
                ),
                name="legal_hold_one_target",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=HoldReason.values), name="legal_hold_reason_valid"
            ),
            models.CheckConstraint(
                condition=~Q(explanation=""), name="legal_hold_explanation_required"
            ),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk}"

    @property
    def reference(self) -> str:
        """What the hold keeps, by its reference (a subject by its number): never content."""
        if self.report is not None:
            return self.report.reference
        if self.case is not None:
            return self.case.reference
        return f"#{self.subject_id}"


class RetentionRun(models.Model):
    """One run of `baken retention run`: what each rule found due, held and dealt with; or
    one removal on a request of the person concerned (`request_reference`), which has no
    lines, only what it destroyed."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = _person(_("started by"))
    # A removal on a request of the person concerned (AVG art. 17, rights/changes.py): the
    # request's reference, as the reason in place of a rule; the officer who carried it out
    # is `started_by`. Blank for a run of the rules.
    request_reference = models.CharField(_("on request"), max_length=32, blank=True)
    # SHA-256 of the statement of destruction's canonical lines, written when the run
    # finishes and also in its audit entry, so a changed statement is seen.
    digest = models.CharField(_("fingerprint"), max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"run {self.pk}"


class RetentionRunLine(models.Model):
    """Per rule of a run: counts only, no content."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="lines")
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    due = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "rule__kind"]
        constraints = [
            models.UniqueConstraint(fields=["run", "rule"], name="retention_run_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.rule_id}"


class DestroyedItem(models.Model):
    """One line of the statement of destruction (verklaring van vernietiging) of a run: what
    was destroyed, by reference and dates, under which rule version and whose approval. It
    names no person, address or text: a reference is a random code, a category a code."""

    run = models.ForeignKey(RetentionRun, on_delete=models.PROTECT, related_name="destroyed")
    # None for what was destroyed on a request (the run names the request).
    rule = models.ForeignKey(
        RetentionRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(_("kind"), max_length=16)  # report, case, subject
    reference = models.CharField(_("reference"), max_length=32)
    category = models.CharField(_("category"), max_length=64, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=64, blank=True)
    # For a referred or forwarded report: to whom (an organisation, as the sharing register
    # names it), so a later correction can still be passed on.
    shared_with = models.CharField(_("shared with"), max_length=200, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"))

    class Meta:
        ordering = ["run", "destroyed_at", "pk"]
        verbose_name = _("destroyed item")
        verbose_name_plural = _("destroyed items")

    def __str__(self) -> str:
        return self.reference


class DestroyedReportFigure(models.Model):
    """What the figures count of a destroyed report, and nothing else: its week's rows are
    rebuilt from the reports (insights/figures_rollup.py), so without this a destroyed report
    would drop out of every count. No reference, no place but the area, no text."""

    received_at = models.DateTimeField(db_index=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        "reports.Category", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=16)
    area = models.ForeignKey("places.Area", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=32)
    merged = models.BooleanField(default=False)
    first_weighed_at = models.DateTimeField(null=True)
    first_decided_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("figure of a destroyed report")
        verbose_name_plural = _("figures of destroyed reports")

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d} {self.status}"


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("On the list")
    APPROVED = "approved", _("Approved for destruction")
    REMOVED = "removed", _("Taken off the list")
    DESTROYED = "destroyed", _("Destroyed")


class DestructionProposal(models.Model):
    """A closed case on the destruction list: the run proposes it when its term has passed,
    the privacy officer approves the list or takes a case off it with a reason, and the next
    run destroys what was approved."""

    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=32)
    proposed_at = models.DateTimeField(_("proposed at"))
    state = models.CharField(_("state"), max_length=16, choices=ProposalState.choices)
    decided_by = _person(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("proposal for destruction")
        verbose_name_plural = _("proposals for destruction")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ProposalState.values), name="destruction_proposal_state"
            ),
            models.CheckConstraint(
                condition=~Q(state="removed") | ~Q(reason=""),
                name="destruction_proposal_removed_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

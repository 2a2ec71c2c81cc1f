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


# --- The dashboard's figures (ADR 0014): a rollup of the reports, rebuilt per week -----------


class FigureBucket(models.Model):
    """How many reports were received in one ISO week, per team, category, channel, area and
    state, with the sums the lead times are averaged from. Derived from the reports alone:
    a week's rows are rebuilt whenever one of its reports changes (insights/figures_rollup.py),
    so the dashboard reads a few thousand rows instead of counting millions of reports."""

    week = models.DateField(_("week"))  # its Monday, in the municipality's time zone
    team = models.ForeignKey("accounts.Team", null=True, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "reports.Category", null=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16)
    area = models.ForeignKey("places.Area", null=True, on_delete=models.CASCADE, related_name="+")
    # open, weighed, decided, case or merged (figures_rollup.STATES)
    state = models.CharField(_("state"), max_length=16)
    reports = models.PositiveIntegerField(_("reports"))
    # Reports with a first weighing, and the seconds from receipt to it, summed.
    weighed = models.PositiveIntegerField(default=0)
    weighed_seconds = models.BigIntegerField(default=0)
    # Reports with a decision (no action, referred, forwarded, further analysis), likewise.
    decided = models.PositiveIntegerField(default=0)
    decided_seconds = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("figure bucket")
        verbose_name_plural = _("figure buckets")
        indexes = [
            models.Index(fields=["team", "week"], name="figure_team_week_idx"),
            models.Index(fields=["week"], name="figure_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.team_id} {self.state}: {self.reports}"


class FigureStaleWeek(models.Model):
    """A week whose rows must be rebuilt before the figures are read: appended when one of its
    reports is saved or deleted, removed (by id) by the rebuild that read it."""

    week = models.DateField(_("week"))
    # Its awareness rows rebuilt (awareness_rollup.awareness_refresh, by id, the marks it read):
    # a consumed flag rather than an id watermark, since a mark whose transaction commits after
    # one with a higher id was read would lie below the watermark and be skipped for good.
    awareness_done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("stale figure week")
        verbose_name_plural = _("stale figure weeks")

    def __str__(self) -> str:
        return str(self.week)


class FigureState(models.Model):
    """One row: the highest report id the rollup has seen. Reports written without `save()`
    (the demo loader's batch inserts) lie above it and mark their weeks stale on the next read.
    Its row lock serialises rebuilds."""

    seen_report_id = models.BigIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    # A refresh too big to run inside a page view, asked of the tasks worker at this moment.
    refresh_asked_at = models.DateTimeField(null=True, blank=True)
    # The awareness figures' rows (AwarenessBucket, issue 18) are rebuilt with the weeks above,
    # and also on their own when only they are read (awareness_rollup.py): up to this report
    # id, and for the FigureStaleWeek marks they set awareness_done of. 0: never built (all
    # weeks rebuilt).
    awareness_seen_report_id = models.BigIntegerField(default=0)
    # The cases' rows (CaseBucket, InterventionBucket, issue 18): up to this case id, and for
    # the CaseStaleWeek marks; cases written without `save()` (the demo loader) lie above it.
    seen_case_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("figure state")
        verbose_name_plural = _("figure states")

    def __str__(self) -> str:
        return f"up to report {self.seen_report_id}"


class CaseBucket(models.Model):
    """The cases opened in one ISO week, per team: the open ones per stage, the closed ones per
    result and week of closing (issue 18, case_rollup.py). Every figure of a case lies under
    the week it was opened in, which never changes, so a change to a case or its interventions
    makes only that week's rows out of date."""

    week = models.DateField(_("week"))  # the Monday of the week the cases were opened in
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    # Open cases: their stage (closed_week empty). Closed ones: their result and week of closing.
    stage = models.ForeignKey("cases.Stage", null=True, on_delete=models.CASCADE, related_name="+")
    result = models.ForeignKey(
        "cases.CaseResult", null=True, on_delete=models.CASCADE, related_name="+"
    )
    closed_week = models.DateField(null=True)
    cases = models.PositiveIntegerField(_("cases"))

    class Meta:
        verbose_name = _("case figure bucket")
        verbose_name_plural = _("case figure buckets")
        indexes = [
            models.Index(fields=["week"], name="case_bucket_week_idx"),
            models.Index(fields=["closed_week"], name="case_bucket_closed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.team_id}: {self.cases}"


class InterventionBucket(models.Model):
    """The interventions of the cases opened in one ISO week, per team of the case, week of the
    intervention's start, kind and state (issue 18, case_rollup.py)."""

    week = models.DateField(_("week"))  # the Monday of the week their cases were opened in
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    start_week = models.DateField()
    kind = models.ForeignKey("cases.InterventionType", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=16)
    interventions = models.PositiveIntegerField(_("interventions"))

    class Meta:
        verbose_name = _("intervention figure bucket")
        verbose_name_plural = _("intervention figure buckets")
        indexes = [
            models.Index(fields=["week"], name="intervention_bucket_week_idx"),
            models.Index(fields=["start_week"], name="intervention_bucket_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.team_id} {self.state}: {self.interventions}"


class CaseStaleWeek(models.Model):
    """A week (of opening) whose case rows must be rebuilt before the figures are read:
    appended when one of its cases or their interventions is saved, or a case deleted;
    removed (by id) by the rebuild that read it."""

    week = models.DateField(_("week"))

    class Meta:
        verbose_name = _("stale case figure week")
        verbose_name_plural = _("stale case figure weeks")

    def __str__(self) -> str:
        return str(self.week)


class AwarenessBucket(models.Model):
    """The awareness figures' rollup (issue 17, awareness/figures.py; issue 18): reports per
    local day of receipt × team × reporter's department × anonymous × small on arrival, with
    the counts the figures need. Built with FigureBucket, week by week, from the reports alone
    (figures_rollup.py, awareness_rollup.py), so a figures page sums a few thousand rows
    instead of grouping a year of reports. The anonymity rule is decided when it is read,
    with the department's band as it is then: the fields are named as the report's, so
    awareness/figures.py's IS_POOLED and IS_NAMED apply to a bucket unchanged."""

    day = models.DateField(_("day"))  # in the municipality's time zone
    team = models.ForeignKey("accounts.Team", null=True, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        "reports.Department", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # False for a named report (the band on arrival does not matter for it) and without a
    # department, so those reports share one row.
    is_anonymous = models.BooleanField(default=False)
    department_small = models.BooleanField(default=False)
    reports = models.PositiveIntegerField(_("reports"))
    first = models.DateTimeField()  # the earliest received_at of these reports
    # Reports whose reporter was offered signs to tick (figures.py HAS_SIGNS_TO_TICK, with the
    # categories that had signs when the week was built: a change of the signs rebuilds all),
    # and of those the ones with a sign ticked.
    offered = models.PositiveIntegerField(default=0)
    signed = models.PositiveIntegerField(default=0)
    # Came in as niet pluis, and of those the ones that reached further analysis.
    niet_pluis = models.PositiveIntegerField(default=0)
    niet_pluis_analysed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("awareness figure bucket")
        verbose_name_plural = _("awareness figure buckets")
        indexes = [
            models.Index(fields=["team", "day"], name="awareness_team_day_idx"),
            models.Index(fields=["day"], name="awareness_day_idx"),
            models.Index(fields=["department", "day"], name="awareness_department_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.team_id} {self.department_id}: {self.reports}"


class AddressBucket(models.Model):
    """The address hotspots' rollup (issue 18): the reports received in one ISO week per team
    and address (postcode and house number), counted as insights/hotspots.py counts them (not
    merged, not restricted; sealed ones included), with the street and city shown beside the
    address. Built with FigureBucket, week by week, from the same marks (figures_rollup.py),
    so the hotspots page sums a team's rows of a few weeks instead of grouping its reports."""

    week = models.DateField(_("week"))  # its Monday, in the municipality's time zone
    team = models.ForeignKey("accounts.Team", null=True, on_delete=models.CASCADE, related_name="+")
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("house number"))
    street = models.CharField(_("street"), max_length=200, blank=True)  # the greatest (Max)
    city = models.CharField(_("city"), max_length=200, blank=True)  # likewise
    reports = models.PositiveIntegerField(_("reports"))

    class Meta:
        verbose_name = _("address figure bucket")
        verbose_name_plural = _("address figure buckets")
        indexes = [
            models.Index(fields=["team", "week"], name="address_team_week_idx"),
            models.Index(fields=["week"], name="address_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.team_id} {self.postcode} {self.house_number}: {self.reports}"

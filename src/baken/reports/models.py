"""The report in its one uniform shape (reports/report.schema.json), the category catalogue,
and the parts of a report the Meldpunt stores: receipt, contact details, attachments, messages."""

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from baken.core import dates

from .workflow import QUEUE, Status


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
        "Category",
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
    # details (those live encrypted in ReporterContact). Never changed afterwards.
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
    # Raised by every change to the working version: a form carries the revision it showed,
    # and a save against an older one is refused (nothing is silently overwritten).
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # Duplicates: a merged report points at the leading one and leaves the work queue.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_reports",
    )
    # A report split off another one keeps a copy of that report's original.
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("split from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_reports",
    )
    # The moment of the report's weighed decision (the latest of its decisions), written with
    # the decision in one transaction (reports/weighing.py decision_make); retention counts a
    # decided report's period from it (privacy/retention.py; migration 0019 filled it in).
    weighed_at = models.DateTimeField(_("weighed at"), null=True, blank=True)
    # The reporter's department as they chose it from the list (issue 17), named or anonymous;
    # empty when they did not say. Never shown by name for an anonymous report from a small
    # department: `department_small` keeps the band the department had when the report came in,
    # so a department that grows later does not expose its earlier reporters
    # (reports/departments.py).
    department = models.ForeignKey(
        "Department",
        verbose_name=_("reporter's department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    department_small = models.BooleanField(_("from a small department"), default=False)
    # The signs of the category the reporter recognised, ticked in the indicator guide
    # (issue 17: the share of reports that chose a sign tells the team whether the guide helps).
    signs = models.ManyToManyField(
        "reports.Indicator", verbose_name=_("signs recognised"), blank=True, related_name="reports"
    )
    # Restricted on a request of the person it is about (AVG art. 18, reports/restriction.py):
    # from this moment the report is sealed as one decided 'no action' is (selectors.SEALED),
    # until the privacy officer lifts it. `restricted_for`: the request's reference.
    restricted_at = models.DateTimeField(_("restricted at"), null=True, blank=True)
    restricted_for = models.CharField(_("restricted on request"), max_length=32, blank=True)
    # In the triage queue (workflow.QUEUE, not merged): kept by the database itself, so that
    # the inbox reads a team's queue in order from one index, however many reports lie
    # decided behind it, and no code path can forget to keep it.
    in_queue = models.GeneratedField(
        expression=ExpressionWrapper(
            Q(status__in=QUEUE, merged_into__isnull=True), output_field=models.BooleanField()
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("in the triage queue"),
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
        indexes = [
            models.Index(fields=["status", "received_at"], name="report_status_idx"),
            models.Index(fields=["team", "status", "received_at"], name="report_team_idx"),
            # Partial: most reports are assigned to nobody, and a database's statistics that
            # count the NULLs would take "assigned to this person" for half the table.
            models.Index(
                fields=["assignee", "status"],
                condition=Q(assignee__isnull=False),
                name="report_assignee_idx",
            ),
            # Counting a team's reports per state reads this index only (merged ones left out):
            # with the columns the counts also test (sealed, in the queue, the category's
            # deadline when overdue), so that PostgreSQL reads no table row for them (at 5
            # million reports "in triage and overdue" and-ed the whole state's index with the
            # team's queue instead: 43-70 ms; reports migration 0023).
            models.Index(
                fields=["team", "status", "received_at"],
                include=["restricted_at", "in_queue", "category"],
                condition=Q(merged_into__isnull=True),
                name="report_queue_team_idx",
            ),
            models.Index(fields=["team", "in_queue", "received_at"], name="report_team_queue_idx"),
            # The inbox's counts per state with a category chosen: at 5 million reports the
            # category's index and the team's were read whole and and-ed (80 ms a state).
            models.Index(
                fields=["team", "category", "status"],
                condition=Q(merged_into__isnull=True),
                name="report_team_category_idx",
            ),
            # The inbox's filter by the start of a postcode (`?area=1781`), per state: the
            # prefix is a range of this index (PostgreSQL: the pattern operator class, which
            # LIKE 'x%' uses whatever the collation; SQLite ignores operator classes), instead
            # of a test of every report of the team's state (at 5 million reports 1 in 6
            # matched: 6,000 reports read from the table for a count capped at 1,001).
            models.Index(
                fields=["team", "status", "postcode"],
                opclasses=["", "", "varchar_pattern_ops"],
                condition=Q(merged_into__isnull=True),
                name="report_team_postcode_idx",
            ),
            models.Index(
                fields=["assignee", "in_queue", "received_at"],
                condition=Q(assignee__isnull=False),
                name="report_assignee_queue_idx",
            ),
            models.Index(fields=["postcode", "house_number"], name="report_address_idx"),
            # A team's reports of a period, not restricted, with their state: what the weekly
            # overview counts (insights/overview_scope.py), from the index alone (a week of a
            # busy team at a million reports: 39,000 rows, 450 ms read from the table).
            models.Index(
                fields=["team", "received_at", "status"],
                condition=Q(restricted_at__isnull=True),
                name="report_team_received_idx",
            ),
            # Retention (privacy/retention.py, ADR 0029): the decided reports whose period has
            # passed are one range of this index (weighed_at is the decision's moment), and
            # the reports never weighed are read oldest first from the second.
            models.Index(
                fields=["status", "weighed_at"],
                condition=Q(merged_into__isnull=True),
                name="report_decided_idx",
            ),
            models.Index(
                fields=["received_at"], condition=Q(status__in=QUEUE), name="report_unweighed_idx"
            ),
        ]

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
        # Related reports are found by these identifiers (reports/related.py).
        indexes = [
            models.Index(fields=["bsn"], name="report_subject_bsn_idx"),
            models.Index(fields=["kvk_number"], name="report_subject_kvk_idx"),
            models.Index(fields=["license_plate"], name="report_subject_plate_idx"),
            models.Index(fields=["postcode", "house_number"], name="report_subject_addr_idx"),
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


class ReportVersion(models.Model):
    """The working version after a check, supplement or improvement. Appended, never edited.

    Version 0 is the report as it arrived; `Report.original` holds the same and is never
    changed either.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    data = models.JSONField(_("content"))
    changed = models.JSONField(_("changed fields"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class Note(models.Model):
    """A note for the team on a report; never shown to the reporter."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.text[:40]}"


class Weighing(models.TextChoices):
    """The weighings of the model protocol, stages 1 and 2
    (docs/product.md#weighing-and-the-decision)."""

    UNDERMINING = "1", _("Weighing 1: is this undermining?")
    MUNICIPAL_TASK = "2a", _("Weighing 2A: a municipal task or power?")
    TERRITORY = "2b", _("Weighing 2B: within our territory?")
    SERIOUSNESS = "3", _("Weighing 3: how serious?")


class Criterion(models.Model):
    """One check of a weighing, configured by the functional administrator."""

    weighing = models.CharField(_("weighing"), max_length=2, choices=Weighing.choices)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    question = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("explanation"), blank=True)
    choices = models.JSONField(_("choices"), default=list)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["weighing", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weighing__in=Weighing.values), name="criterion_weighing_valid"
            )
        ]

    def __str__(self) -> str:
        return self.question


class CriterionAnswer(models.Model):
    """The answer to one criterion for one report, with its motivation."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="criterion_answers"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="answers"
    )
    choice = models.CharField(_("answer"), max_length=100)
    motivation = models.TextField(_("motivation"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["report", "criterion"]
        verbose_name = _("criterion answer")
        verbose_name_plural = _("criterion answers")
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="criterion_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.criterion_id}: {self.choice}"


class DecisionKind(models.TextChoices):
    NO_ACTION = "no_action", _("No action")
    REFERRED = "referred", _("Refer (municipal department or other municipality)")
    FORWARDED = "forwarded", _("Forward (RIEC, police or other partner)")
    FURTHER_ANALYSIS = "in_analysis", _("Further analysis")


class Decision(models.Model):
    """The weighed decision on a report and why (model protocol stage 2)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    recipient = models.CharField(_("to whom"), max_length=200, blank=True)
    rationale = models.TextField(_("rationale"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["report", "at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        # The weekly overview counts the decisions of a week.
        indexes = [models.Index(fields=["at"], name="decision_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DecisionKind.values), name="decision_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="decision_rationale_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind}"


class RoutingRule(models.Model):
    """Ordered rules: the first active rule that matches a report gives its team (and person).

    Empty conditions match everything. An area (a district or neighbourhood imported as
    GeoJSON) matches the reports whose place lies in it; a postcode prefix ("1781", "17")
    is the coarser alternative for a municipality without imported areas.
    """

    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        "Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    postcode_prefix = models.CharField(_("postcode starts with"), max_length=6, blank=True)
    area = models.ForeignKey(
        "places.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        # An area a rule routes by cannot disappear under it (an import with --replace says
        # which rule holds it).
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.name


class SavedFilter(models.Model):
    """A user's named inbox filter (the query string of the inbox)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filter"), max_length=1000)

    class Meta:
        ordering = ["user", "name"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique")]

    def __str__(self) -> str:
        return self.name


class LinkKind(models.TextChoices):
    RELATED = "related", _("Related")
    DISMISSED = "dismissed", _("Not related")


class ReportLink(models.Model):
    """An analyst's judgement on a suggested related report: linked, or dismissed (and so not
    suggested again). Stored once per pair, with the lower id first."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="links"
    )
    other = models.ForeignKey(
        Report, verbose_name=_("other report"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("judgement"), max_length=16, choices=LinkKind.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        verbose_name = _("report link")
        verbose_name_plural = _("report links")
        constraints = [
            models.UniqueConstraint(fields=["report", "other"], name="report_link_unique"),
            models.CheckConstraint(
                condition=models.Q(report__lt=models.F("other")), name="report_link_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}–{self.other_id}: {self.kind}"


# --- The category catalogue, and the parts of a report the Meldpunt stores ---------------
# Moved here from the intake app (issue 14, ADR 0026), in the state only: their tables keep
# their intake_ names, so no data moved.


class Category(models.Model):
    """A kind of undermining, with the signs that help a reporter recognise it.

    The catalogue is content, edited by the functional administrator; the texts are in the
    municipality's own language (Dutch by default).
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Model protocol stage 1: how many days the team takes to the first weighing.
    deadline_days = models.PositiveSmallIntegerField(
        _("days to first weighing"),
        default=10,
        help_text=_("Reports of this category not weighed within this many days are overdue."),
    )

    class Meta:
        db_table = "intake_category"  # moved from intake (issue 14); the table kept
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class DepartmentSize(models.TextChoices):
    """A department's size band: an anonymous report from a small one is shown to the team as
    'kleine afdeling' only (reports/departments.py), since its name would point at the
    reporter."""

    SMALL = "small", _("Small (fewer than 25 employees)")
    LARGE = "large", _("Large (25 employees or more)")


class Department(models.Model):
    """A department of the municipality a reporter may name (issue 17), kept by the functional
    administrator like the catalogue."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    size = models.CharField(
        _("size"), max_length=8, choices=DepartmentSize.choices, default=DepartmentSize.LARGE
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A recognisable sign of a category (the indicator guide)."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="indicators"
    )
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        db_table = "intake_indicator"  # moved from intake (issue 14); the table kept
        ordering = ["category", "position"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.text


class Question(models.Model):
    """An extra question a category asks the reporter (answers keyed by `code`)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        YES_NO = "yes_no", _("Yes or no")
        CHOICE = "choice", _("One of a list")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=50)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For 'one of a list': the options.")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        db_table = "intake_question"  # moved from intake (issue 14); the table kept
        ordering = ["category", "position"]
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="question_code_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Receipt(models.Model):
    """The keyed hash of a report's receipt code; the code itself is never stored."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="receipt", primary_key=True
    )
    code_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        db_table = "intake_receipt"  # moved from intake (issue 14); the table kept
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"receipt {self.report_id}"


class ReportKey(models.Model):
    """A report's own key (crypto-shredding, ADR 0031): 32 random bytes, stored wrapped by a
    key derived from the data key. The contact details, the messages of the follow-up
    dialogue and the attachments' file keys are encrypted under it, so deleting this row (with
    the report, by CASCADE) makes every copy of them unreadable, old backups' too: `baken
    backup` writes this table apart from the database (core/backup.py)."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="own_key", primary_key=True
    )
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report key")
        verbose_name_plural = _("report keys")

    def __str__(self) -> str:
        return f"key {self.report_id}"


class ReporterContact(models.Model):
    """A named reporter's details, encrypted under the report's own key (ADR 0031) and kept
    apart from the report."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="contact", primary_key=True
    )
    ciphertext = models.BinaryField()

    class Meta:
        db_table = "intake_reportercontact"  # moved from intake (issue 14); the table kept
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")

    def __str__(self) -> str:
        return f"contact {self.report_id}"


class Attachment(models.Model):
    """An uploaded photo or PDF: re-encoded, stripped of metadata, stored encrypted on disk."""

    id = models.UUIDField(primary_key=True, editable=False)
    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), db_index=True)
    # Sent by the reporter from the follow-up page after the report itself.
    added_later = models.BooleanField(_("added later by the reporter"), default=False)
    # The file's own key, wrapped by its report's key; an upload not yet attached to a report
    # has it wrapped by a key derived from the data key (reports/attachments.py, ADR 0031).
    file_key = models.BinaryField(editable=False)

    class Meta:
        db_table = "intake_attachment"  # moved from intake (issue 14); the table kept
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return str(self.id)


class Message(models.Model):
    """One message in the follow-up dialogue between the team and the reporter."""

    class Author(models.TextChoices):
        TEAM = "team", _("Team")
        REPORTER = "reporter", _("Reporter")

    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.CharField(_("author"), max_length=16, choices=Author.choices)
    sender = models.ForeignKey(
        "accounts.User",
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The text, encrypted under the report's own key (ADR 0031): it may hold the reporter's
    # words. Read and written as `text` (also as a keyword of Message(...)).
    ciphertext = models.BinaryField(editable=False)
    is_question = models.BooleanField(_("question"), default=False)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        db_table = "intake_message"  # moved from intake (issue 14); the table kept
        ordering = ["report", "sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_author_display()} {dates.compact(self.sent_at)}"

    @property
    def text(self) -> str:
        from .keys import MESSAGE_PURPOSE, decrypt

        return decrypt(self.report_id, bytes(self.ciphertext), purpose=MESSAGE_PURPOSE).decode()

    @text.setter
    def text(self, value: str) -> None:
        from .keys import MESSAGE_PURPOSE, encrypt

        self.ciphertext = encrypt(self.report_id, value.encode(), purpose=MESSAGE_PURPOSE)


class ClosedReceipt(models.Model):
    """The receipt code of a report destroyed after its retention period (privacy app): the
    keyed hash only, so the reporter who follows it up reads that the report is closed —
    nothing more — instead of being told the code is wrong."""

    code_hash = models.CharField(max_length=64, unique=True)
    closed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("closed receipt")
        verbose_name_plural = _("closed receipts")

    def __str__(self) -> str:
        return f"closed receipt {self.pk}"

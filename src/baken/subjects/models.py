from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.Model):
    """A registered person, organisation, address (premises) or vehicle.

    One table for the four kinds keeps matching, relations, search and the network simple;
    each kind maps one to one onto a FollowTheMoney schema (Person, Organization/Company,
    Address, Vehicle). Fields that do not apply to a kind stay empty.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        ADDRESS = "address", _("Address")
        VEHICLE = "vehicle", _("Vehicle")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The display name: full name, company name, "Street 12A, Town" or the licence plate.
    name = models.CharField(_("name"), max_length=300)
    # Lower case, without diacritics, tussenvoegsels or legal-form words: what fuzzy search
    # and matching compare (core/names.py).
    name_key = models.CharField(_("search key"), max_length=300, db_index=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, db_index=True)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True, db_index=True)
    legal_form = models.CharField(_("legal form"), max_length=100, blank=True)
    trade_names = models.JSONField(_("trade names"), default=list, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    house_number = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    city = models.CharField(_("town"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    object_kind = models.CharField(_("kind of object"), max_length=100, blank=True)
    license_plate = models.CharField(_("licence plate"), max_length=12, blank=True, db_index=True)
    make = models.CharField(_("make"), max_length=100, blank=True)
    colour = models.CharField(_("colour"), max_length=50, blank=True)
    # Merging keeps both rows: the merged one points at the one that stays, and can be undone.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_subjects",
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Restricted on a request of the person it is about (AVG art. 18, rights/changes.py):
    # from this moment the subject is known to nobody (selectors.subject_list), as a sealed
    # report is, until the privacy officer lifts it. `restricted_for`: the request.
    restricted_at = models.DateTimeField(_("restricted at"), null=True, blank=True)
    restricted_for = models.CharField(_("restricted on request"), max_length=32, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["person", "organisation", "address", "vehicle"]),
                name="subject_kind_valid",
            )
        ]
        indexes = [
            models.Index(fields=["postcode", "house_number"], name="subject_address_idx"),
            models.Index(fields=["kind", "name_key"], name="subject_kind_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class SubjectVersion(models.Model):
    """A subject as it was after a correction (services.subject_correct): appended, never
    edited. Number 0 is the subject as it was registered, written with the first correction;
    each later number holds the corrected fields, what changed, why, by whom and when."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    data = models.JSONField(_("content"))
    changed = models.JSONField(_("changed fields"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["subject", "number"]
        verbose_name = _("subject version")
        verbose_name_plural = _("subject versions")
        constraints = [
            models.UniqueConstraint(fields=["subject", "number"], name="subject_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} v{self.number}"


class Judgement(models.TextChoices):
    SAME = "same", _("Same")
    NOT_SAME = "not_same", _("Not the same")
    UNSURE = "unsure", _("Unsure")


class Mention(models.Model):
    """An analyst's judgement whether a subject named in a report is a registered subject.

    Only `same` links the report to the subject (and so makes the subject visible to whoever
    may see the report). `not_same` is remembered so that the pair is never offered again.
    """

    report_subject = models.ForeignKey(
        "reports.ReportSubject",
        verbose_name=_("named in report"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="mentions"
    )
    judgement = models.CharField(_("judgement"), max_length=16, choices=Judgement.choices)
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    judged_by = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    judged_at = models.DateTimeField(_("moment"))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["report_subject", "subject"], name="mention_unique"),
            models.CheckConstraint(
                condition=models.Q(judgement__in=["same", "not_same", "unsure"]),
                name="mention_judgement_valid",
            ),
        ]
        indexes = [models.Index(fields=["subject", "judgement"], name="mention_subject_idx")]

    def __str__(self) -> str:
        return f"{self.report_subject_id} → {self.subject_id}: {self.judgement}"


class Relation(models.Model):
    """A typed, dated and sourced link between two subjects, shown on both ends.

    Each kind maps onto FollowTheMoney: owner_of → Ownership, director_of → Directorship,
    family_of → Family, associate_of → Associate, lives_at/registered_at → the address
    entity of a person or organisation, uses_vehicle → UnknownLink with its role.
    """

    class Kind(models.TextChoices):
        OWNER_OF = "owner_of", _("owner of")
        DIRECTOR_OF = "director_of", _("director of")
        LIVES_AT = "lives_at", _("lives at")
        REGISTERED_AT = "registered_at", _("registered at")
        FAMILY_OF = "family_of", _("family of")
        ASSOCIATE_OF = "associate_of", _("associate of")
        USES_VEHICLE = "uses_vehicle", _("uses vehicle")
        EMPLOYED_BY = "employed_by", _("works for")

    kind = models.CharField(_("relation"), max_length=32, choices=Kind.choices)
    source = models.ForeignKey(
        Subject, verbose_name=_("from"), on_delete=models.CASCADE, related_name="relations_out"
    )
    target = models.ForeignKey(
        Subject, verbose_name=_("to"), on_delete=models.CASCADE, related_name="relations_in"
    )
    start_date = models.DateField(_("from date"), null=True, blank=True)
    end_date = models.DateField(_("until date"), null=True, blank=True)
    source_report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("source report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_registry = models.CharField(_("source registry"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        "accounts.User", verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["source", "kind", "pk"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relation_not_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="relation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class SubjectKey(models.Model):
    """A registered subject's own key (crypto-shredding, ADR 0032): 32 random bytes, stored
    wrapped by a key derived from the data key. `baken backup` seals the subject's row and
    its relations under it and writes this table apart from the database, so deleting this
    row with the subject (CASCADE) makes every backup's copy of them unreadable."""

    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, related_name="own_key", primary_key=True
    )
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subject key")
        verbose_name_plural = _("subject keys")

    def __str__(self) -> str:
        return f"key {self.subject_id}"

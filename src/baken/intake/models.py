from django.db import models
from django.utils.translation import gettext_lazy as _

from baken.core import dates


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
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

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
        "reports.Report", on_delete=models.CASCADE, related_name="receipt", primary_key=True
    )
    code_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"receipt {self.report_id}"


class ReporterContact(models.Model):
    """A named reporter's details, encrypted with the data key and kept apart from the report."""

    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="contact", primary_key=True
    )
    ciphertext = models.BinaryField()

    class Meta:
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")

    def __str__(self) -> str:
        return f"contact {self.report_id}"


class Attachment(models.Model):
    """An uploaded photo or PDF: re-encoded, stripped of metadata, stored encrypted on disk."""

    id = models.UUIDField(primary_key=True, editable=False)
    report = models.ForeignKey(
        "reports.Report",
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

    class Meta:
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
        "reports.Report",
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
    text = models.TextField(_("text"))
    is_question = models.BooleanField(_("question"), default=False)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["report", "sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_author_display()} {dates.compact(self.sent_at)}"


class IdempotencyRecord(models.Model):
    """Makes a resent report (same idempotency key) return the first one, receipt included.

    The receipt code is kept encrypted under a key derived from the idempotency key itself,
    so only the client that chose that key can get it back. Removed after a day by retention.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    report = models.OneToOneField(
        "reports.Report", on_delete=models.CASCADE, related_name="idempotency"
    )
    payload_hash = models.CharField(max_length=64)
    receipt_ciphertext = models.BinaryField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")

    def __str__(self) -> str:
        return f"idempotency {self.report_id}"

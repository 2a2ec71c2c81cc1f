"""Requests of the people Baken holds data about (AVG art. 15-21, UAVG art. 41), and what
the privacy officer found and decided for each (docs/rights-of-data-subjects.md).

A request is the privacy officer's: no team owns it. What was found about the person is a
judgement (`Hit`, confirmed by the officer, never automatic); what is disclosed or withheld
is decided per hit, with its ground; every step is a `Step` and an audit entry.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _person(verbose_name, *, optional: bool = True) -> models.ForeignKey:
    """Who did something: a user, kept when the account is gone (PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name="+",
    )


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (AVG art. 15)")
    RECTIFICATION = "rectification", _("Correction (AVG art. 16)")
    ERASURE = "erasure", _("Removal (AVG art. 17)")
    RESTRICTION = "restriction", _("Restriction (AVG art. 18)")
    OBJECTION = "objection", _("Objection (AVG art. 21)")


class RequestState(models.TextChoices):
    OPEN = "open", _("Being handled")
    DECIDED = "decided", _("Decided")


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", _("Refused")


class Request(models.Model):
    """One request of one person, from its receipt to its decision."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    kind = models.CharField(_("kind of request"), max_length=16, choices=RequestKind.choices)
    # Who asks, as their identity was verified (a copy of an identity document is not kept:
    # the officer writes how it was checked).
    requester_name = models.CharField(_("name of the requester"), max_length=300)
    requester_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    requester_address = models.TextField(_("address for the answer"), blank=True)
    identity_verified = models.TextField(_("how the identity was verified"))
    # What the person asks, in their words or the officer's summary.
    description = models.TextField(_("what is asked"))
    received_on = models.DateField(_("received on"))
    # One month after receipt (AVG art. 12(3)); extendable once by two months, with a reason.
    deadline = models.DateField(_("deadline"))
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=RequestState.choices, default=RequestState.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    rationale = models.TextField(_("rationale of the decision"), blank=True)
    decided_by = _person(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = _person(_("registered by"), optional=False)
    created_at = models.DateTimeField(_("registered at"))
    # The registering form's one-time key (or the API client's): the same form sent twice
    # registers one request (rights/services.py, request_register).
    request_key = models.UUIDField(_("request key"), null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("request of a data subject")
        verbose_name_plural = _("requests of data subjects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RequestKind.values), name="rights_request_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="decided") | ~models.Q(rationale=""),
                name="rights_decision_has_rationale",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def due(self):
        """The date the answer is due: the extended deadline if there is one."""
        return self.extended_until or self.deadline


class StepKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    NOTE = "note", _("Note")
    SEARCHED = "searched", _("Searched")
    CONFIRMED = "confirmed", _("Confirmed a hit")
    REJECTED = "rejected", _("Not the person")
    DISCLOSURE = "disclosure", _("Disclosure decided")
    EXTENDED = "extended", _("Deadline extended")
    CORRECTED = "corrected", _("Corrected")
    REMOVED = "removed", _("Removed")
    RESTRICTED = "restricted", _("Restricted")
    DOCUMENT = "document", _("Overview made")
    SENT = "sent", _("Answer sent")
    DECIDED = "decided", _("Decided")


class Step(models.Model):
    """A step in handling a request, as the request's timeline shows it."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    text = models.TextField(_("what happened"), blank=True)
    # The item a step is about (confirmed or rejected hits: a HitKind and the object's id), so
    # that a search shows what was judged already.
    item_kind = models.CharField(_("kind of item"), max_length=16, blank=True)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    by = _person(_("by"), optional=False)
    at = models.DateTimeField(_("moment"))

    class Meta:
        ordering = ["request", "at", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.kind}"


class HitKind(models.TextChoices):
    """The kinds of object a search finds (rights/finding.py)."""

    SUBJECT = "subject", _("Registered subject")
    REPORT = "report", _("Report")
    CASE = "case", _("Case")
    RELATION = "relation", _("Relation")
    HANDOVER = "handover", _("Hand-over")


class Disclosure(models.TextChoices):
    UNDECIDED = "", _("Not yet decided")
    DISCLOSE = "disclose", _("Disclose")
    WITHHOLD = "withhold", _("Withhold")


class Ground(models.TextChoices):
    """Why an item is withheld (UAVG art. 41(1))."""

    PREVENTION = "prevention", _("Prevention of criminal offences (UAVG art. 41(1)(c))")
    INVESTIGATION = "investigation", _("Investigation and prosecution (UAVG art. 41(1)(c))")
    REPORTER = "reporter", _("Protection of the reporter (UAVG art. 41(1)(i))")
    OTHERS = "others", _("Rights and freedoms of others (UAVG art. 41(1)(i))")


class Hit(models.Model):
    """An object the privacy officer confirmed to be about the requester (a judgement, as a
    subject match is), and what is disclosed of it."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="hits"
    )
    kind = models.CharField(_("kind of item"), max_length=16, choices=HitKind.choices)
    object_id = models.BigIntegerField(_("object id"))
    # What it was, in words, at confirmation: kept when the object itself is destroyed.
    label = models.CharField(_("item"), max_length=300)
    reasons = models.JSONField(_("why it was found"), default=list, blank=True)
    confirmed_by = _person(_("confirmed by"), optional=False)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    disclosure = models.CharField(
        _("disclosure"), max_length=16, choices=Disclosure.choices, blank=True
    )
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices, blank=True)
    disclosure_note = models.TextField(_("note on the disclosure"), blank=True)
    disclosure_by = _person(_("disclosure decided by"))
    disclosure_at = models.DateTimeField(_("disclosure decided at"), null=True, blank=True)
    # What a correction, removal or restriction did to it (rights/changes.py).
    handled = models.CharField(_("handled"), max_length=16, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "kind", "object_id"]
        verbose_name = _("confirmed item")
        verbose_name_plural = _("confirmed items")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "object_id"], name="rights_hit_once_per_request"
            ),
            models.CheckConstraint(
                condition=~models.Q(disclosure="withhold") | ~models.Q(ground=""),
                name="rights_withheld_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.kind} {self.object_id}"


class Document(models.Model):
    """The final overview (PDF) of an access request, stored encrypted (core.crypto, purpose
    `rights.document`), and how and when it was sent."""

    request = models.ForeignKey(
        Request, verbose_name=_("request"), on_delete=models.CASCADE, related_name="documents"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content (encrypted)"))
    made_by = _person(_("made by"), optional=False)
    made_at = models.DateTimeField(_("made at"))
    sent_how = models.CharField(_("sent how"), max_length=200, blank=True)
    sent_by = _person(_("sent by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["request", "made_at"]
        verbose_name = _("overview sent")
        verbose_name_plural = _("overviews sent")

    def __str__(self) -> str:
        return self.file_name

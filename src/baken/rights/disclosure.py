"""The access overview's reads and writes (inzage, AVG art. 15; issue 16): the draft read,
per confirmed hit the officer's decision to disclose or withhold it (withholding names its
ground, UAVG art. 41), the final overview made as a PDF of the disclosed items and stored
encrypted with the request (core.crypto, purpose `rights.document`, with its SHA-256), its
download, and how and when it was sent.

Only the privacy officer (Capability.RIGHTS) may; anyone else is refused as if the request
did not exist. Every write adds a `Step` to the request's timeline and one audit entry in
its transaction; every read of the overview or the document is an audit entry.
"""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core import crypto
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused

from .inzage import Overview, file_name, overview_build, overview_pdf
from .models import Disclosure, Document, Ground, Hit, Request, RequestKind, StepKind
from .services import _locked, _officer, _open, _step

PURPOSE = "rights.document"
NOTE_LIMIT = 2000
HOW_LIMIT = Document._meta.get_field("sent_how").max_length or 200


def _request(pk: int) -> Request:
    request = Request.objects.filter(pk=pk).first()
    if request is None:
        raise Refused("not_found", _("There is no such request."), kind=Kind.NOT_FOUND)
    return request


def _access(request: Request) -> None:
    if request.kind != RequestKind.ACCESS:
        raise Refused(
            "not_an_access_request",
            _("Only a request for access has an overview."),
            kind=Kind.CONFLICT,
        )


# --- reads ------------------------------------------------------------------------------------


def overview_read(*, actor: Actor, pk: int, pdf: bool = False) -> Overview:
    """The draft overview of an access request: every confirmed item, with what is decided
    for it. The read is an audit entry (`pdf`: the draft PDF was read)."""
    user = _officer(actor)
    request = _request(pk)
    _access(request)
    overview = overview_build(request)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.RIGHTS_OVERVIEW_READ,
            target=request,
            detail={"format": "pdf" if pdf else "page"},
        )
    return overview


def documents_of(*, actor: Actor, pk: int) -> list[Document]:
    """The overviews made for a request, newest first (without reading their content: the
    request's read is the audit entry)."""
    _officer(actor)
    _request(pk)
    return list(
        Document.objects.filter(request_id=pk)
        .defer("content")
        .select_related("made_by", "sent_by")
        .order_by("-made_at", "-pk")
    )


@dataclass(frozen=True)
class Opened:
    document: Document
    content: bytes


def document_open(*, actor: Actor, pk: int, document_id: int) -> Opened:
    """A made overview, decrypted, for the officer to download; the read is an audit
    entry. One whose content no longer matches its SHA-256 is refused."""
    user = _officer(actor)
    document = Document.objects.filter(pk=document_id, request_id=pk).first()
    if document is None:
        raise Refused("not_found", _("There is no such document."), kind=Kind.NOT_FOUND)
    content = crypto.decrypt(bytes(document.content), purpose=PURPOSE)
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise Refused(
            "document_changed",
            _("This document does not match its fingerprint: it was changed."),
            kind=Kind.CONFLICT,
        )
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.RIGHTS_DOCUMENT_READ,
            target=document.request,
            detail={"document": document.pk},
        )
    return Opened(document, content)


# --- writes -----------------------------------------------------------------------------------


@transaction.atomic
def disclosure_decide(
    *, actor: Actor, pk: int, hit_id: int, disclosure: str, ground: str = "", note: str = ""
) -> Hit:
    """Disclose or withhold one confirmed item. Withholding names its ground (UAVG art. 41);
    a disclosed item has none. Decided again, the last decision counts (each is a step)."""
    user = _officer(actor)
    request = _locked(pk)
    _access(request)
    _open(request)
    hit = Hit.objects.filter(pk=hit_id, request=request).first()
    if hit is None:
        raise Refused("not_found", _("There is no such item."), kind=Kind.NOT_FOUND)
    problems: dict = {}
    if disclosure not in (Disclosure.DISCLOSE, Disclosure.WITHHOLD):
        problems["disclosure"] = _("Choose whether this item is disclosed or withheld.")
    elif disclosure == Disclosure.WITHHOLD and ground not in Ground.values:
        problems["ground"] = _("Choose the ground for withholding it (UAVG art. 41).")
    if len(note.strip()) > NOTE_LIMIT:
        problems["note"] = _("Keep the note under %(n)d characters.") % {"n": NOTE_LIMIT}
    if problems:
        raise Refused("disclosure_invalid", problems=problems)
    hit.disclosure = disclosure
    hit.ground = ground if disclosure == Disclosure.WITHHOLD else ""
    hit.disclosure_note = note.strip()
    hit.disclosure_by = user
    hit.disclosure_at = timezone.now()
    hit.save(
        update_fields=["disclosure", "ground", "disclosure_note", "disclosure_by", "disclosure_at"]
    )
    decided = str(Disclosure(disclosure).label)
    if hit.ground:
        decided = f"{decided} ({Ground(hit.ground).label})"
    _step(request, user, StepKind.DISCLOSURE, f"{hit.label}: {decided}")
    audit_record(
        actor=user,
        action=AuditAction.RIGHTS_DISCLOSURE,
        target=request,
        detail={
            "hit": hit.pk,
            "kind": hit.kind,
            "object_id": hit.object_id,
            "disclosure": disclosure,
            "ground": hit.ground,
        },
    )
    return hit


# What changes an overview: an item confirmed or rejected, a decision, a change made on the
# request. After none of these since the last overview, making one again gives that one.
CHANGES = [
    StepKind.CONFIRMED,
    StepKind.REJECTED,
    StepKind.DISCLOSURE,
    StepKind.CORRECTED,
    StepKind.REMOVED,
    StepKind.RESTRICTED,
]


@dataclass(frozen=True)
class Made:
    document: Document
    new: bool  # False: made already with these decisions (a double click), not made again


def document_make(*, actor: Actor, pk: int) -> Document:
    """Make the overview to send (see `document_make_once`)."""
    return document_make_once(actor=actor, pk=pk).document


@transaction.atomic
def document_make_once(*, actor: Actor, pk: int) -> Made:
    """Make the overview to send: a PDF of the disclosed items only, with the sentence that
    data may be withheld (always there, so it reveals nothing), stored encrypted with the
    request. Refused while an item is undecided. When nothing was confirmed, rejected,
    decided or changed on the request since the last overview was made, that one is given
    (a double click makes one document); change a decision to make a new one."""
    user = _officer(actor)
    request = _locked(pk)  # a second click waits here for the first to be stored
    _access(request)
    last = (
        Document.objects.filter(request=request)
        .defer("content")
        .order_by("-made_at", "-pk")
        .first()
    )
    if (
        last is not None
        and not request.steps.filter(kind__in=CHANGES, at__gt=last.made_at).exists()
    ):
        return Made(last, new=False)
    undecided = request.hits.filter(disclosure=Disclosure.UNDECIDED).count()
    if undecided:
        raise Refused(
            "disclosure_undecided",
            _(
                "Decide for every item whether it is disclosed or withheld first "
                "(%(n)d not yet decided)."
            )
            % {"n": undecided},
            kind=Kind.CONFLICT,
        )
    overview = overview_build(request, final=True)
    content = overview_pdf(overview)
    document = Document.objects.create(
        request=request,
        file_name=file_name(request, final=True),
        sha256=hashlib.sha256(content).hexdigest(),
        content=crypto.encrypt(content, purpose=PURPOSE),
        made_by=user,
        made_at=overview.made_at,
    )
    _step(request, user, StepKind.DOCUMENT, document.file_name)
    audit_record(
        actor=user,
        action=AuditAction.RIGHTS_DOCUMENT_MAKE,
        target=request,
        detail={
            "document": document.pk,
            "sha256": document.sha256,
            "disclosed": [item.hit.pk for item in overview.items],
        },
    )
    return Made(document, new=True)


@transaction.atomic
def document_sent(*, actor: Actor, pk: int, document_id: int, how: str) -> Document:
    """Record how and when a made overview was sent to the requester (once)."""
    user = _officer(actor)
    request = _locked(pk)
    document = Document.objects.select_for_update().filter(pk=document_id, request=request).first()
    if document is None:
        raise Refused("not_found", _("There is no such document."), kind=Kind.NOT_FOUND)
    if document.sent_at is not None:
        raise Refused(
            "document_sent_already",
            _("The sending of this document was recorded already."),
            kind=Kind.CONFLICT,
            field="how",
        )
    how = how.strip()
    if not how:
        raise Refused(
            "how_missing",
            _("Say how it was sent, for example: by registered post to the home address."),
            field="how",
        )
    if len(how) > HOW_LIMIT:
        raise Refused(
            "how_too_long", _("Keep it under %(n)d characters.") % {"n": HOW_LIMIT}, field="how"
        )
    document.sent_how = how
    document.sent_by = user
    document.sent_at = timezone.now()
    document.save(update_fields=["sent_how", "sent_by", "sent_at"])
    _step(request, user, StepKind.SENT, f"{document.file_name}: {how}")
    audit_record(
        actor=user,
        action=AuditAction.RIGHTS_DOCUMENT_SENT,
        target=request,
        detail={"document": document.pk},
    )
    return document


def decrypt_sample() -> str:
    """For a restore's check of the data key (core/restore.py): decrypt one stored overview;
    "" when there is none."""
    document = Document.objects.only("content").first()
    if document is None:
        return ""
    crypto.decrypt(bytes(document.content), purpose=PURPOSE)
    return "an access overview of a request decrypted"

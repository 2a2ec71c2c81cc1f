"""Writes of the request register (Verzoeken van betrokkenen, issue 16): a request registered,
noted, extended, its hits confirmed or rejected, and decided.

Only the privacy officer (Capability.RIGHTS) may do any of it; anyone else is refused as if
the request did not exist (Refused, not_found). Each service takes the actor, runs in one
transaction, adds a `Step` to the request's timeline and records one audit entry.
"""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.dates import OUT_OF_RANGE, in_range
from baken.core.refusals import Kind, Refused

from .finding import label_of
from .models import Hit, HitKind, Outcome, Request, RequestKind, RequestState, Step, StepKind
from .selectors import may_handle

# AVG art. 12(3): one month after receipt, extendable once by two further months.
TERM = relativedelta(months=1)
EXTENSION = relativedelta(months=2)
EARLIEST_BIRTH = date(1900, 1, 1)


def deadline_for(received_on: date) -> date:
    """One calendar month after receipt (31 January → 28 or 29 February)."""
    return received_on + TERM


def _officer(actor: Actor) -> User:
    """The privacy officer who acts, or a refusal as for something that is not there."""
    if not (isinstance(actor, User) and may_handle(actor)):
        raise Refused("not_found", _("There is no such request."), kind=Kind.NOT_FOUND)
    return actor


def _locked(pk: int) -> Request:
    request = Request.objects.select_for_update().filter(pk=pk).first()
    if request is None:
        raise Refused("not_found", _("There is no such request."), kind=Kind.NOT_FOUND)
    return request


def _open(request: Request) -> None:
    if request.state == RequestState.DECIDED:
        raise Refused(
            "request_decided",
            _("This request has been decided: nothing can be added to it."),
            kind=Kind.CONFLICT,
        )


def _step(
    request: Request,
    user: User,
    kind: str,
    text: str = "",
    item: tuple[str, int] | None = None,
) -> Step:
    item_kind, object_id = item if item else ("", None)
    return Step.objects.create(
        request=request,
        kind=kind,
        text=text,
        item_kind=item_kind,
        object_id=object_id,
        by=user,
        at=timezone.now(),
    )


def _next_reference(year: int) -> str:
    prefix = f"V-{year}-"
    last = (
        Request.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _request_problems(
    *,
    kind: str,
    requester_name: str,
    requester_birth_date: date | None,
    identity_verified: str,
    description: str,
    received_on: date | None,
) -> dict:
    """What is wrong with a request as written, by field (Dutch when shown)."""
    today = timezone.localdate()
    problems: dict = {}
    if kind not in RequestKind.values:
        problems["kind"] = _("Choose the kind of request.")
    if not requester_name:
        problems["requester_name"] = _("Write the name of the person who asks.")
    if requester_birth_date is not None and requester_birth_date < EARLIEST_BIRTH:
        problems["requester_birth_date"] = _("Choose a date of birth after 1900.")
    elif requester_birth_date is not None and requester_birth_date > today:
        problems["requester_birth_date"] = _("A date of birth cannot be in the future.")
    if not identity_verified.strip():
        problems["identity_verified"] = _(
            "Write how the identity was verified (for example: passport shown at the desk)."
        )
    if not description.strip():
        problems["description"] = _("Write what the person asks.")
    if received_on is None:
        problems["received_on"] = _("Write the date the request was received.")
    elif not in_range(received_on):
        problems["received_on"] = OUT_OF_RANGE
    elif received_on > today:
        problems["received_on"] = _("The date received cannot be in the future.")
    return problems


class RequestRegisteredAlready(Refused):
    """The same form was sent before (`request_key`): `request` is what it registered."""

    kind = Kind.CONFLICT

    def __init__(self, request: Request):
        super().__init__(
            "registered_already",
            _("This request was registered already as %(reference)s; nothing was registered twice.")
            % {"reference": request.reference},
            field="request_key",
        )
        self.request = request


def _registered_with(request_key: uuid.UUID | None) -> None:
    if request_key is not None:
        earlier = Request.objects.filter(request_key=request_key).first()
        if earlier is not None:
            raise RequestRegisteredAlready(earlier)


def request_register(
    *,
    actor: Actor,
    kind: str,
    requester_name: str,
    requester_birth_date: date | None,
    requester_address: str,
    identity_verified: str,
    description: str,
    received_on: date | None,
    request_key: uuid.UUID | None = None,
) -> Request:
    """Register a request as received: a reference `V-<year>-<number>`, the deadline one month
    after receipt (AVG art. 12(3)), a first step and an audit entry.

    `request_key`, the form's one-time key (or the API client's): the same form sent again (a
    double click, a retry) raises RequestRegisteredAlready naming the request it registered,
    instead of registering a second one. The key is unique in the database, so two sends at
    the same moment register one request too."""
    user = _officer(actor)
    _registered_with(request_key)
    requester_name = requester_name.strip()
    problems = _request_problems(
        kind=kind,
        requester_name=requester_name,
        requester_birth_date=requester_birth_date,
        identity_verified=identity_verified,
        description=description,
        received_on=received_on,
    )
    if problems or received_on is None:
        raise Refused("request_invalid", problems=problems)
    year = timezone.localdate().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = Request.objects.create(
                    reference=_next_reference(year),
                    kind=kind,
                    requester_name=requester_name,
                    requester_birth_date=requester_birth_date,
                    requester_address=requester_address.strip(),
                    identity_verified=identity_verified.strip(),
                    description=description.strip(),
                    received_on=received_on,
                    deadline=deadline_for(received_on),
                    created_by=user,
                    created_at=timezone.now(),
                    request_key=request_key,
                )
                _step(request, user, StepKind.REGISTERED)
                audit_record(
                    actor=user,
                    action=AuditAction.RIGHTS_REQUEST_REGISTER,
                    target=request,
                    detail={"kind": kind},
                )
                return request
        except IntegrityError:  # the same key sent at once, or the same number: the next
            _registered_with(request_key)
            continue
    raise Refused("request_busy", _("Registering did not succeed: try again."), kind=Kind.CONFLICT)


@transaction.atomic
def request_note(*, actor: Actor, pk: int, text: str) -> Step:
    """A note in the request's timeline (also after the decision: what was sent, a call)."""
    user = _officer(actor)
    request = _locked(pk)
    if not text.strip():
        raise Refused("note_empty", _("Write the note."), field="text")
    step = _step(request, user, StepKind.NOTE, text.strip())
    audit_record(actor=user, action=AuditAction.RIGHTS_REQUEST_NOTE, target=request)
    return step


@transaction.atomic
def request_extend(*, actor: Actor, pk: int, reason: str) -> Request:
    """Extend the deadline once by two months, with the reason the requester is told
    (AVG art. 12(3): complex or many requests)."""
    user = _officer(actor)
    request = _locked(pk)
    _open(request)
    if request.extended_until is not None:
        raise Refused(
            "request_extended_already",
            _("The deadline has been extended already; it can be extended only once."),
            kind=Kind.CONFLICT,
            field="reason",
        )
    if not reason.strip():
        raise Refused(
            "extension_reason_missing",
            _("Write why the deadline is extended; the requester is told this reason."),
            field="reason",
        )
    request.extended_until = request.deadline + EXTENSION
    request.extension_reason = reason.strip()
    request.save(update_fields=["extended_until", "extension_reason"])
    _step(request, user, StepKind.EXTENDED, request.extension_reason)
    audit_record(actor=user, action=AuditAction.RIGHTS_REQUEST_EXTEND, target=request)
    return request


def _kind(kind: str) -> str:
    if kind not in HitKind.values:
        raise Refused("hit_kind_invalid", _("Choose the kind of item."), field="kind")
    return kind


@transaction.atomic
def hit_confirm(
    *, actor: Actor, pk: int, kind: str, object_id: int, reasons: list[str] | None = None
) -> Hit:
    """The officer's judgement that this object is about the requester. The item is kept in
    words (its label now), so the request still says what was found when the object is
    destroyed later. Confirming it again changes nothing and records nothing."""
    user = _officer(actor)
    request = _locked(pk)
    _open(request)
    _kind(kind)
    existing = Hit.objects.filter(request=request, kind=kind, object_id=object_id).first()
    if existing is not None:
        return existing
    label = label_of(kind, object_id)
    if label is None:
        raise Refused(
            "hit_not_found", _("This item does not exist (any more)."), kind=Kind.NOT_FOUND
        )
    hit = Hit.objects.create(
        request=request,
        kind=kind,
        object_id=object_id,
        label=label[:300],
        reasons=[str(reason)[:300] for reason in (reasons or [])][:20],
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )
    _step(request, user, StepKind.CONFIRMED, label, (kind, object_id))
    audit_record(
        actor=user,
        action=AuditAction.RIGHTS_HIT_CONFIRM,
        target=request,
        detail={"kind": kind, "object_id": object_id},
    )
    return hit


@transaction.atomic
def hit_reject(*, actor: Actor, pk: int, kind: str, object_id: int, reason: str = "") -> Step:
    """The officer's judgement that this object is not about the requester: a step with the
    reason; a confirmation of the same object is withdrawn."""
    user = _officer(actor)
    request = _locked(pk)
    _open(request)
    _kind(kind)
    label = label_of(kind, object_id)
    if label is None:
        existing = Hit.objects.filter(request=request, kind=kind, object_id=object_id).first()
        if existing is None:
            raise Refused(
                "hit_not_found", _("This item does not exist (any more)."), kind=Kind.NOT_FOUND
            )
        label = existing.label
    confirmed = Hit.objects.filter(request=request, kind=kind, object_id=object_id)
    if confirmed.exclude(handled="").exists():
        raise Refused(
            "hit_handled",
            _("This item was corrected, removed or restricted on this request already."),
            kind=Kind.CONFLICT,
        )
    confirmed.delete()
    text = f"{label}: {reason.strip()}" if reason.strip() else label
    step = _step(request, user, StepKind.REJECTED, text, (kind, object_id))
    audit_record(
        actor=user,
        action=AuditAction.RIGHTS_HIT_REJECT,
        target=request,
        detail={"kind": kind, "object_id": object_id},
    )
    return step


@transaction.atomic
def request_decide(*, actor: Actor, pk: int, outcome: str, rationale: str) -> Request:
    """Decide the request: granted, partly granted or refused, with the rationale the
    requester is given (a refusal names its ground: UAVG art. 41)."""
    user = _officer(actor)
    request = _locked(pk)
    _open(request)
    problems = {}
    if outcome not in Outcome.values:
        problems["outcome"] = _("Choose the outcome.")
    if not rationale.strip():
        problems["rationale"] = _("Write the rationale of the decision.")
    if problems:
        raise Refused("decision_invalid", problems=problems)
    request.state = RequestState.DECIDED
    request.outcome = outcome
    request.rationale = rationale.strip()
    request.decided_by = user
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "outcome", "rationale", "decided_by", "decided_at"])
    _step(request, user, StepKind.DECIDED, request.rationale)
    audit_record(
        actor=user,
        action=AuditAction.RIGHTS_REQUEST_DECIDE,
        target=request,
        detail={"outcome": outcome},
    )
    return request

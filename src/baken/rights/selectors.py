"""Reads of the request register (Verzoeken van betrokkenen, issue 16) for the privacy
officer. Anyone without Capability.RIGHTS is refused as if there were no requests (Refused,
not_found); every read of a request, and of the list, is an audit entry."""

from datetime import date

from django.db.models import Case, DateField, F, Prefetch, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability

from .models import Hit, Request, RequestKind, RequestState, Step


def may_handle(actor: Actor) -> bool:
    """The request register is the privacy officer's (Capability.RIGHTS): no team owns it."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and actor.can(Capability.RIGHTS)  # type: ignore[union-attr]
    )


def _refuse_unless(actor: Actor) -> None:
    if not may_handle(actor):
        raise Refused("not_found", _("There is no such request."), kind=Kind.NOT_FOUND)


def _due() -> Coalesce:
    """The date the answer is due: the extended deadline if there is one, else the deadline."""
    return Coalesce(F("extended_until"), F("deadline"), output_field=DateField())


def _past_due(today: date) -> Q:
    """Open and past the due date."""
    return Q(state=RequestState.OPEN) & (
        Q(extended_until__lt=today) | Q(extended_until__isnull=True, deadline__lt=today)
    )


def request_list(
    *,
    actor: Actor,
    state: str | None = None,
    overdue: bool | None = None,
    kind: str | None = None,
    today: date | None = None,
) -> QuerySet[Request]:
    """The requests, open ones by the nearest deadline first, then the decided ones; filtered
    by state (open/decided), by overdue (open and past their due date) and by kind. Reading
    the list is an audit entry (without the names it shows)."""
    _refuse_unless(actor)
    today = today or timezone.localdate()
    requests = Request.objects.all()
    if state in RequestState.values:
        requests = requests.filter(state=state)
    if kind in RequestKind.values:
        requests = requests.filter(kind=kind)
    if overdue is True:
        requests = requests.filter(_past_due(today))
    elif overdue is False:
        requests = requests.exclude(_past_due(today))
    open_first = Case(When(state=RequestState.OPEN, then=0), default=1)
    requests = requests.order_by(open_first, _due(), "-pk")
    audit_record(
        actor=actor,
        action=AuditAction.RIGHTS_REQUEST_LIST,
        target=Target(type="rights.request", id="*"),
        detail={"state": state or "", "kind": kind or "", "overdue": overdue},
    )
    return requests


def request_get(*, actor: Actor, pk: int) -> Request:
    """One request with its steps (timeline) and confirmed hits; the read is an audit entry."""
    _refuse_unless(actor)
    request = (
        Request.objects.select_related("created_by", "decided_by")
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.select_related("by")),
            Prefetch("hits", queryset=Hit.objects.select_related("confirmed_by")),
        )
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Refused("not_found", _("There is no such request."), kind=Kind.NOT_FOUND)
    audit_record(actor=actor, action=AuditAction.RIGHTS_REQUEST_READ, target=request)
    return request


def days_left(request: Request, today: date | None = None) -> int:
    """Days until the answer is due (negative: overdue)."""
    return (request.due - (today or timezone.localdate())).days

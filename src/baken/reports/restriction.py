"""Restricting a report on a request of the person it is about (AVG art. 18; issue 16).

A restricted report is sealed as a report decided 'no action' is (selectors.SEALED): from
that moment it is in nobody's inbox, search, map, related reports, subject page, export or
list, and whoever asks for it by its id gets 404 — unlike a sealed report, not even its team
lead opens it (sealing.sealed_report_get). It stays as it is, is kept and destroyed under the
rules as before, and comes back where it was when the privacy officer lifts the restriction
with a reason.

Only the privacy officer restricts and lifts (core.roles.Capability.RIGHTS): the request and
the confirmation that the report is about the person are the rights app's to check
(rights/changes.py), which calls these with the request's reference. Anyone else is refused
as not_found, as for a report that does not exist.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused

from .access import NOT_FOUND, may_act_on_request
from .models import Report

REASON_MAX = 2000


def _locked(actor: Actor, model: type[Model], pk: int) -> Any:
    if not may_act_on_request(actor):
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    locked = model._default_manager.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    return locked


def restrict(
    model: type[Model],
    *,
    actor: Actor,
    pk: int,
    reference: str,
    action: AuditAction,
    already: Promise,
    check: Callable[[Any], None] | None = None,
) -> Any:
    """Restrict the row `pk` of `model` (a report, or a registered subject:
    subjects/restriction.py) on the request `reference`; `already` is the refusal when it is
    restricted, `check` a refusal of the model's own. One piece for both, so they refuse and
    audit alike."""
    reference = (reference or "").strip()
    with transaction.atomic():
        locked = _locked(actor, model, pk)
        if locked.restricted_at is not None:
            raise Refused(
                "restricted_already",
                already % {"reference": locked.restricted_for},
                kind=Kind.CONFLICT,
            )
        if check is not None:
            check(locked)
        if not reference:
            raise Refused("required", _("Name the request."), field="reference")
        locked.restricted_at = timezone.now()
        locked.restricted_for = reference[:32]
        locked.save(update_fields=["restricted_at", "restricted_for"])
        audit_record(
            actor=actor, action=action, target=locked, detail={"request": locked.restricted_for}
        )
    return locked


def restriction_lift(
    model: type[Model],
    *,
    actor: Actor,
    pk: int,
    reason: str,
    action: AuditAction,
    not_restricted: Promise,
) -> Any:
    """Lift the restriction of the row `pk` of `model`, saying why (a reason is required)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(actor, model, pk)
        if locked.restricted_at is None:
            raise Refused("not_restricted", str(not_restricted), kind=Kind.CONFLICT)
        if not reason:
            raise Refused("required", _("Say why the restriction is lifted."), field="reason")
        if len(reason) > REASON_MAX:
            raise Refused(
                "too_long",
                _("Use at most %(limit)s characters.") % {"limit": REASON_MAX},
                field="reason",
            )
        request = locked.restricted_for
        locked.restricted_at = None
        locked.restricted_for = ""
        locked.save(update_fields=["restricted_at", "restricted_for"])
        audit_record(
            actor=actor, action=action, target=locked, detail={"request": request, "reason": reason}
        )
    return locked


def report_restrict(*, actor: Actor, report: Report | int, reference: str) -> Report:
    """Restrict the report on the request `reference` (its register's reference)."""
    return restrict(
        Report,
        actor=actor,
        pk=report if isinstance(report, int) else report.pk,
        reference=reference,
        action=AuditAction.REPORT_RESTRICT,
        already=_("This report is restricted already (request %(reference)s)."),
    )


def report_restriction_lift(*, actor: Actor, report: Report | int, reason: str) -> Report:
    """Lift the report's restriction, saying why: it is back where it was for the team."""
    return restriction_lift(
        Report,
        actor=actor,
        pk=report if isinstance(report, int) else report.pk,
        reason=reason,
        action=AuditAction.REPORT_RESTRICTION_LIFT,
        not_restricted=_("This report is not restricted."),
    )

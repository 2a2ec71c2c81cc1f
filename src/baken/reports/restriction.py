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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused

from .access import NOT_FOUND, may_act_on_request
from .models import Report

REASON_MAX = 2000


def _locked(actor: Actor, report: Report | int) -> Report:
    if not may_act_on_request(actor):
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    pk = report if isinstance(report, int) else report.pk
    locked = Report.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    return locked


def report_restrict(*, actor: Actor, report: Report | int, reference: str) -> Report:
    """Restrict the report on the request `reference` (its register's reference)."""
    reference = (reference or "").strip()
    with transaction.atomic():
        locked = _locked(actor, report)
        if locked.restricted_at is not None:
            raise Refused(
                "restricted_already",
                _("This report is restricted already (request %(reference)s).")
                % {"reference": locked.restricted_for},
                kind=Kind.CONFLICT,
            )
        if not reference:
            raise Refused("required", _("Name the request."), field="reference")
        locked.restricted_at = timezone.now()
        locked.restricted_for = reference[:32]
        locked.save(update_fields=["restricted_at", "restricted_for"])
        audit_record(
            actor=actor,
            action=AuditAction.REPORT_RESTRICT,
            target=locked,
            detail={"request": locked.restricted_for},
        )
    return locked


def report_restriction_lift(*, actor: Actor, report: Report | int, reason: str) -> Report:
    """Lift the report's restriction, saying why: it is back where it was for the team."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(actor, report)
        if locked.restricted_at is None:
            raise Refused("not_restricted", _("This report is not restricted."), kind=Kind.CONFLICT)
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
            actor=actor,
            action=AuditAction.REPORT_RESTRICTION_LIFT,
            target=locked,
            detail={"request": request, "reason": reason},
        )
    return locked

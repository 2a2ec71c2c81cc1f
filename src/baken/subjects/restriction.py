"""Restricting a registered subject on a request of the person it is about (AVG art. 18;
issue 16).

A restricted subject is known to nobody (selectors.subject_list leaves it out, and every
read of subjects starts there): not in a search, the map, a network, a list, an export, a
case's hand-over, nor as the subject a report's named person is linked to. Its page is 404
for everyone, as for a subject that does not exist. It stays as it is and comes back when the
privacy officer lifts the restriction with a reason, as a restricted report does
(reports/restriction.py). The subjects merged into it are shown only as part of it, so they
are hidden with it; a subject merged into another is not restricted alone (refused, naming
the one it was merged into).

Only the privacy officer restricts and lifts (reports.access.may_act_on_request); that the
subject was confirmed to be about the requester is the rights app's to check
(rights/changes.py). Anyone else is refused as not_found.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.reports.access import NOT_FOUND, may_act_on_request

from .models import Subject

REASON_MAX = 2000


def _locked(actor: Actor, subject: Subject | int) -> Subject:
    if not may_act_on_request(actor):
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    pk = subject if isinstance(subject, int) else subject.pk
    locked = Subject.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    return locked


def subject_restrict(*, actor: Actor, subject: Subject | int, reference: str) -> Subject:
    """Restrict the subject on the request `reference` (its register's reference)."""
    reference = (reference or "").strip()
    with transaction.atomic():
        locked = _locked(actor, subject)
        if locked.restricted_at is not None:
            raise Refused(
                "restricted_already",
                _("This subject is restricted already (request %(reference)s).")
                % {"reference": locked.restricted_for},
                kind=Kind.CONFLICT,
            )
        if locked.merged_into_id is not None:
            # Its name and reports are shown as those of the subject it was merged into:
            # restricting it alone would hide nothing.
            raise Refused(
                "merged",
                _(
                    "This subject was merged into #%(subject)s: confirm that one on the "
                    "request and restrict it, which hides both."
                )
                % {"subject": locked.merged_into_id},
                kind=Kind.CONFLICT,
            )
        if not reference:
            raise Refused("required", _("Name the request."), field="reference")
        locked.restricted_at = timezone.now()
        locked.restricted_for = reference[:32]
        locked.save(update_fields=["restricted_at", "restricted_for"])
        audit_record(
            actor=actor,
            action=AuditAction.SUBJECT_RESTRICT,
            target=locked,
            detail={"request": locked.restricted_for},
        )
    return locked


def subject_restriction_lift(*, actor: Actor, subject: Subject | int, reason: str) -> Subject:
    """Lift the subject's restriction, saying why: it is known again as before."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(actor, subject)
        if locked.restricted_at is None:
            raise Refused(
                "not_restricted", _("This subject is not restricted."), kind=Kind.CONFLICT
            )
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
            action=AuditAction.SUBJECT_RESTRICTION_LIFT,
            target=locked,
            detail={"request": request, "reason": reason},
        )
    return locked

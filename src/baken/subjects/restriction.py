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

from django.utils.translation import gettext_lazy as _

from baken.audit.actions import AuditAction
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.reports.restriction import restrict, restriction_lift

from .models import Subject


def _not_merged(subject: Subject) -> None:
    if subject.merged_into_id is not None:
        # Its name and reports are shown as those of the subject it was merged into:
        # restricting it alone would hide nothing.
        raise Refused(
            "merged",
            _(
                "This subject was merged into #%(subject)s: confirm that one on the "
                "request and restrict it, which hides both."
            )
            % {"subject": subject.merged_into_id},
            kind=Kind.CONFLICT,
        )


def subject_restrict(*, actor: Actor, subject: Subject | int, reference: str) -> Subject:
    """Restrict the subject on the request `reference` (its register's reference)."""
    return restrict(
        Subject,
        actor=actor,
        pk=subject if isinstance(subject, int) else subject.pk,
        reference=reference,
        action=AuditAction.SUBJECT_RESTRICT,
        already=_("This subject is restricted already (request %(reference)s)."),
        check=_not_merged,
    )


def subject_restriction_lift(*, actor: Actor, subject: Subject | int, reason: str) -> Subject:
    """Lift the subject's restriction, saying why: it is known again as before."""
    return restriction_lift(
        Subject,
        actor=actor,
        pk=subject if isinstance(subject, int) else subject.pk,
        reason=reason,
        action=AuditAction.SUBJECT_RESTRICTION_LIFT,
        not_restricted=_("This subject is not restricted."),
    )

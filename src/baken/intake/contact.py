"""Reaching a named reporter: who may open the contact details, and the one audited opening.

The Meldpunt tells a named reporter "the team may contact you"; the details are stored
encrypted (ReporterContact) and opened one report at a time, with a reason, by the people
who work the report: the intake officer, the analyst and the team lead of the report's team.
Nobody else — not the privacy officer, management or the administrator (who see no report
content at all), not a case handler, not another team (even where a shared case lets its
analyst see the report). A report not yet routed to a team is the intake queue's: its intake
officers may open it. Every opening is exactly one audit entry that carries the reason; the
HTML page and the API both call `reporter_contact_reveal`.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.refusals import Kind, Message, Refused
from baken.core.roles import Role
from baken.reports.models import Report, ReporterContact
from baken.reports.reporter import reporter_contact
from baken.reports.selectors import report_list

REASON_MAX = 500
REVEALING_ROLES = frozenset({Role.INTAKE, Role.ANALYST, Role.TEAM_LEAD})
REASON_REQUIRED = gettext_lazy("Say why you open the reporter's contact details.")


class ContactRefused(Refused):
    """Why the details stay closed (a core.refusals.Refused), as `reason`: "not_found" (the
    user may not see the report: 404), "forbidden" (they see it, but may not open its
    reporter's details: 403), "anonymous" (there are none: 404) or "reason" (none given, or
    too long: 400 at the field `reason`)."""

    KINDS = {"not_found": Kind.NOT_FOUND, "forbidden": Kind.FORBIDDEN, "anonymous": Kind.NOT_FOUND}
    CODES = {"not_found": "not_found", "forbidden": "permission_denied", "anonymous": "not_found"}

    def __init__(self, reason: str, message: Message = ""):
        kind = self.KINDS.get(reason, Kind.INVALID)
        if kind == Kind.INVALID:
            super().__init__("invalid", message, field="reason")
        else:
            super().__init__(self.CODES[reason], message, kind=kind)
        self.reason = reason

    def invalid_params(self) -> list[dict]:
        if self.kind != Kind.INVALID:
            return []
        return [{"name": "reason", "code": "required", "reason": str(self.message)}]


def _works_on(user: User, report: Report) -> bool:
    if not user.is_authenticated or user.role not in REVEALING_ROLES:
        return False
    if report.team_id is None:
        return user.role == Role.INTAKE
    return report.team_id == user.team_id


def contact_may_reveal(*, user: User, report: Report) -> bool:
    """True when `user` may open the contact details of `report`'s named reporter.

    Precondition: `report` came from a selector for this user (they may see it)."""
    return not report.is_anonymous and _works_on(user, report)


def reporter_contact_reveal(*, user: User, report_id: int, reason: str) -> dict:
    """The named reporter's name, e-mail, phone (and organisation) and the department they
    named for `user`, with one audit entry carrying `reason`. Raises ContactRefused.

    The department is given by its real name here, also a small one: everywhere else the
    team sees only 'kleine afdeling' for it (reports/departments.py), because with the name
    a small department identifies the reporter as the name does, so it is opened only as the
    name is: by the report's team, with a reason, audited.

    The report is looked up without logging a read of its own: the opening's entry is the
    record of this access. The details are given even when the reporter asked not to be
    contacted (`may_contact` false): the team must be able to see who reported; the page
    says so beside them."""
    report = report_list(user=user).filter(pk=report_id).first()
    if report is None:
        raise ContactRefused("not_found")
    if not _works_on(user, report):
        raise ContactRefused(
            "forbidden", _("Only the report's team (intake, analyst, team lead) may do this.")
        )
    if report.is_anonymous or not ReporterContact.objects.filter(report=report).exists():
        raise ContactRefused("anonymous", _("This reporter is anonymous: there are no details."))
    reason = (reason or "").strip()
    if not reason:
        raise ContactRefused("reason", REASON_REQUIRED)
    if len(reason) > REASON_MAX:
        raise ContactRefused(
            "reason", _("Use at most %(limit)s characters.") % {"limit": REASON_MAX}
        )
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.REPORT_CONTACT_REVEAL,
            target=report,
            detail={"reason": reason},
        )
        details = reporter_contact(report) or {}
    return {
        "name": details.get("name", ""),
        "organisation": details.get("organisation", ""),
        "email": details.get("email", ""),
        "phone": details.get("phone", ""),
        "may_contact": bool(details.get("may_contact")),
        "department": report.department.name if report.department else "",
    }

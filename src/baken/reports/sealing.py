"""Sealed reports: a report decided 'no action' (docs/retention.md, "Afgeschermd: besluit geen
actie"; CCV model protocol, weighing 3).

From the moment of the decision the report is in nobody's inbox, search, map, related
reports, subject page, export or list behind a figure: `selectors.report_list` leaves it out,
and every read path starts there. Whoever asks for it by its id gets 404, as for a report that
does not exist — with one exception: the team lead of the report's team may open it, one
page view at a time, saying why. The page and the API both call `sealed_report_open`, which
records exactly one audit entry (`report.unseal_read`) carrying the reason and the parts
shown; the opening is not kept (see `covers`). The retention run destroys the report when
the period of the rule 'report_no_action' has passed since the decision.
"""

from datetime import date

from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.page_views import page_view_covers
from baken.audit.services import Target, audit_record
from baken.core.refusals import Kind, Refused
from baken.core.roles import Role

from .models import Report
from .selectors import report_list
from .workflow import Status

REASON_MAX = 500
REASON_REQUIRED = gettext_lazy("Say why you open this sealed report.")


class SealedRefused(Refused):
    """Opening a sealed report refused (core.refusals.Refused, answered by the API's one
    handler): `not_found` (no such report for this user: also every sealed report for
    anyone but its team lead; 404), `report_not_sealed` (the user may see the report and it
    is not sealed: there is nothing to open; 409) or a reason that is missing or too long
    (400 at the field `reason`, code `required` or `too_long`)."""


def is_sealed(report: Report) -> bool:
    return report.status == Status.NO_ACTION


def sealed_report_get(*, user: User, pk: int) -> Report | None:
    """The sealed report `pk` if `user` is the team lead of its team (nothing is logged:
    the opening is, in `sealed_report_open`); None for anyone and anything else."""
    if not (user.is_authenticated and user.is_active and user.role == Role.TEAM_LEAD):
        return None
    # A report restricted on a request (reports/restriction.py) is sealed too, but opened by
    # nobody: the person it is about asked that it be left alone.
    opened = Q(status=Status.NO_ACTION, restricted_at__isnull=True)
    return report_list(user=user, include_sealed=True).filter(opened, pk=pk).first()


def decided_on(report: Report) -> date | None:
    """The day of the decision 'no action': the report is sealed since then."""
    at = report.decisions.aggregate(at=Max("at"))["at"]
    return timezone.localdate(at) if at else None


def sealed_report_open(
    *, user: User, report_id: int, reason: str, parts: list[str] | None = None
) -> Report:
    """The sealed report for its team lead, with one audit entry carrying `reason` and the
    `parts` shown. Raises SealedRefused."""
    report = sealed_report_get(user=user, pk=report_id)
    if report is None:
        if report_list(user=user).filter(pk=report_id).exists():
            raise SealedRefused(
                "report_not_sealed", _("This report is not sealed."), kind=Kind.CONFLICT
            )
        raise SealedRefused("not_found", kind=Kind.NOT_FOUND)
    reason = (reason or "").strip()
    if not reason:
        raise SealedRefused("required", REASON_REQUIRED, field="reason")
    if len(reason) > REASON_MAX:
        raise SealedRefused(
            "too_long",
            _("Use at most %(limit)s characters.") % {"limit": REASON_MAX},
            field="reason",
        )
    detail: dict = {"reason": reason}
    if parts:
        detail["parts"] = parts
    with transaction.atomic():
        audit_record(
            actor=user, action=AuditAction.REPORT_UNSEAL_READ, target=report, detail=detail
        )
    return report


def covers(request: HttpRequest, *, pk: int, part: str) -> Report | None:
    """The sealed report `pk` when this request belongs to the page view that opened it (its
    photos and files: audit/page_views.py, a token of two minutes in the user's own session)
    and the user is still its team lead; else None.

    The opening lasts for that one page view: a reload, another tab or a link passed on asks
    for a reason again, so every look at the content is accounted for with its own reason."""
    if not page_view_covers(request, target=Target("reports.report", str(pk)), part=part):
        return None
    return sealed_report_get(user=request.user, pk=pk)  # type: ignore[arg-type]

"""What every workspace endpoint on one report does first: find the report the way the user
may see it, check what their role may do, and turn a service's refusal into problem+json.

One place for it, so that need-to-know answers the same everywhere: 401 without a login,
404 for a report the user may not see (exactly as for one that does not exist), 403 for work
the role may not do.
"""

from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied

from baken.core.problems import InvalidParams
from baken.core.roles import Capability
from baken.reports import selectors
from baken.reports.models import Report
from baken.reports.permissions import can


def visible_report(request, pk: int) -> Report:
    if not request.user.is_authenticated:
        raise NotAuthenticated
    if not request.user.can(Capability.WORKSPACE):
        raise NotFound
    report = selectors.report_get(user=request.user, pk=pk)
    if report is None:
        raise NotFound
    return report


def require(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied


def refusal(problems: dict, *, code: str | None = None) -> InvalidParams:
    """A service's problems per field as `invalid_params`; each code is the field's name
    unless one `code` is given for all."""
    return InvalidParams(
        [
            {"name": name, "code": code or name, "reason": str(reason)}
            for name, reason in problems.items()
        ]
    )

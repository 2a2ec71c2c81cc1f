"""What every workspace endpoint on one report does first: find the report the way the user
may see it and check what their role may do — reports.access.report_for, the same lookup as
the pages' (ADR 0027): 401 without a login (the permission class), 404 for a report the user
may not see (exactly as for one that does not exist), 403 for work the role may not do.
"""

from baken.core.problems import InvalidParams
from baken.reports.access import refuse_unless, report_for
from baken.reports.models import Report


def visible_report(request, pk: int, action: str | None = None) -> Report:
    """reports.access.report_for, the one access path of the pages and the API; the API's
    permission class has answered 401 without a login already."""
    return report_for(request.user, pk, action)


def require(request, action: str) -> None:
    refuse_unless(request.user, action)


def refusal(problems: dict, *, code: str | None = None) -> InvalidParams:
    """A service's problems per field as `invalid_params`; each code is the field's name
    unless one `code` is given for all."""
    return InvalidParams(
        [
            {"name": name, "code": code or name, "reason": str(reason)}
            for name, reason in problems.items()
        ]
    )

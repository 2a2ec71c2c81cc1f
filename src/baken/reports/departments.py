"""What the team may see of a reporter's department: the one place of the 'kleine afdeling'
rule (issue 17).

A reporter may name the department they work in. In a department of fewer than 25
employees, that name together with a report's content points at the person who made it, so
for an ANONYMOUS report from a small department the team sees only 'kleine afdeling'. The
band counts as it is now AND as it was when the report came in (`Report.department_small`):
a department that grows later does not lift the protection of the reports sent while it was
small, and one that shrinks protects its earlier reports too. A named reporter gave their
name, so their department is shown.

Every surface that shows a report's department to the team (the report page, the API, the
exports, the weekly overview) goes through `department_shown`. The department is not a
search field and not an inbox filter (subjects/report_search.py, reports/inbox.py): a
filter by name would single out the anonymous reports of a small department all the same.
Rights/inzage never shows it (it would identify the reporter), and no audit entry carries it.
"""

from django.utils.translation import gettext, gettext_noop

from .models import DepartmentSize, Report

# Kept in English in the code, translated when shown ('kleine afdeling').
SMALL_DEPARTMENT = gettext_noop("small department")


def hides_name(report: Report) -> bool:
    """Whether the department of this report may be shown only as 'small department'."""
    department = report.department
    if department is None or not report.is_anonymous:
        return False
    return report.department_small or department.size == DepartmentSize.SMALL


def department_shown(report: Report) -> str:
    """The reporter's department as the team may see it: "" when none was named, the name
    for a named report or a large department, 'kleine afdeling' for an anonymous report
    from a department that is small now or was small when the report came in.

    Precondition: `report.department` is selected (select_related) when called for many.
    """
    if report.department_id is None:
        return ""
    if hides_name(report):
        return gettext(SMALL_DEPARTMENT)
    return report.department.name  # type: ignore[union-attr]

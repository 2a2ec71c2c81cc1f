"""What the team may see of a reporter's department: the one place of the 'kleine afdeling'
rule (issue 17, ADR 0034).

A reporter may name the department they work in. In a department of fewer than 25
employees, that name together with a report's content points at the person who made it, so
for EVERY report from a small department — anonymous or named — the team sees only 'kleine
afdeling'. For a named report the name would otherwise identify the reporter without the
audited opening of their contact details (intake/contact.py: intake, analyst and team lead of
the report's team, with a reason, one audit entry): a case handler would learn who reported.
So the real name of a named reporter's small department is part of that opening and nothing
else. The band counts as it is now AND as it was when the report came in
(`Report.department_small`): a department that grows later does not lift the protection of
the reports sent while it was small, and one that shrinks protects its earlier reports too.

Every surface that shows a report's department to the team (the report page, the API, the
exports, the weekly overview) goes through `department_shown`. The department is not a
search field and not an inbox filter (subjects/report_search.py, reports/inbox.py): a
filter by name would single out the reports of a small department all the same.
Rights/inzage never shows it (it would identify the reporter), and no audit entry carries it.
The awareness figures (awareness/figures.py) pool only anonymous reports: their readers, the
team's analysts and team leads, may open a named reporter's details anyway.
"""

from django.utils.translation import gettext, gettext_noop

from .models import DepartmentSize, Report

# Kept in English in the code, translated when shown ('kleine afdeling').
SMALL_DEPARTMENT = gettext_noop("small department")


def hides_name(report: Report) -> bool:
    """Whether the department of this report may be shown only as 'small department'."""
    department = report.department
    if department is None:
        return False
    return report.department_small or department.size == DepartmentSize.SMALL


def department_shown(report: Report) -> str:
    """The reporter's department as the team may see it: "" when none was named, the name
    of a large department, 'kleine afdeling' for a report (named or anonymous) from a
    department that is small now or was small when the report came in.

    Precondition: `report.department` is selected (select_related) when called for many.
    """
    if report.department_id is None:
        return ""
    if hides_name(report):
        return gettext(SMALL_DEPARTMENT)
    return report.department.name  # type: ignore[union-attr]

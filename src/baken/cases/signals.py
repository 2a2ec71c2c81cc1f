"""Keep each case report's copy of its report's team (CaseReport.report_team) true.

A report's team changes by routing or by hand (reports/routing.py), always through
`Report.save`; reports sits below cases and does not know this copy exists, so cases listens.
The copy decides which reports of a member's cases the inbox reads from the case report
index (reports/selectors.py `scope_parts`): a stale copy would hide a report of their case
from an analyst's inbox, so it is set in the same transaction as the team. Whether the report
is of another team than its case (`CaseReport.outside_case_team`) the database computes from
this copy and the case's team (`case_team`, kept by Case.save).
"""

from baken.reports.models import Report

from .models import CaseReport


def report_saved(sender, instance: Report, created: bool, update_fields=None, **kwargs) -> None:
    if created or kwargs.get("raw"):
        return  # a new report is in no case yet; fixtures and restores carry their copy
    if update_fields is not None and not {"team", "team_id"} & set(update_fields):
        return
    CaseReport.objects.filter(report_id=instance.pk).exclude(
        report_team_id=instance.team_id
    ).update(report_team_id=instance.team_id)

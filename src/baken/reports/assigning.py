"""Whom the assignment form of a report offers (issue 18, "no unbounded select lists"): the
people of the report's own team, not every workspace user of the country grouped under every
team. To hand a report to someone of another team, one assigns the team first; the form then
offers that team's people. What is posted is checked in full by routing.report_assign."""

from django.db.models import Q, QuerySet

from baken.accounts.models import Team, User

from . import routing
from .models import Report


def assign_people(report: Report) -> QuerySet[User]:
    """The active workspace users of `report`'s team, and whoever it is assigned to now (so
    the form shows the current assignee even when they moved team). Empty for a report
    without a team and nobody assigned: choose the team first."""
    offered = Q(team=report.team_id) if report.team_id else Q(pk__in=[])
    if report.assignee_id:
        offered |= Q(pk=report.assignee_id)
    return (
        User.objects.filter(offered, is_active=True, role__in=routing.WORKSPACE_ROLES)
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )


def assign_context(report: Report) -> dict:
    """What reports/_assign_form.html needs besides the report: the teams to hand it to and
    the people of its team."""
    return {
        "report": report,
        "teams": Team.objects.order_by("name"),
        "users": assign_people(report),
    }

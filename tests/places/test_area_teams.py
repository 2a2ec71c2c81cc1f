"""The area filter of a team far from the area (issue 18): the memberships carry their
report's team (AreaReport.team), so that the inbox counts a team's reports in an area from
that team's memberships instead of testing each of the team's reports against the area. The
counts and rows are those of the area's reports the user may see: with the copies not yet
filled in (as right after the upgrade), after `baken areas teams`, and after a report
changes team, by hand or by routing; on PostgreSQL the count reads the team's memberships."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS
from baken.places.models import Area, AreaReport
from baken.reports.inbox import InboxFilter, inbox_counts
from baken.reports.models import Report
from baken.reports.routing import report_assign
from baken.reports.workflow import Status
from tests.places.test_area_reports import (
    DORPEN,
    HAVENWAARD,
    INBOX,
    api_refs,
    filed,
    inbox_refs,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, south):
    """An analyst of a team (villages) with most of its reports in Dorpen and two in
    Havenwaard, beside another team (south) with its reports in Havenwaard."""
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    analyst = make_user(role=Role.ANALYST)
    villages = analyst.team
    near = [filed(villages, *HAVENWAARD) for _ in range(2)]
    home = [filed(villages, *DORPEN) for _ in range(4)]
    others = [filed(south, *HAVENWAARD) for _ in range(3)]
    return {
        "analyst": analyst,
        "intake": make_user(role=Role.INTAKE, team=south),
        "lead": make_user(role=Role.TEAM_LEAD, team=villages),
        "south_lead": make_user(role=Role.TEAM_LEAD, team=south),
        "villages": villages,
        "south": south,
        "near": near,
        "home": home,
        "others": others,
        "all": near + home + others,
    }


def counted(user, area) -> dict[str, int | None]:
    counts = inbox_counts(user=user, filters=InboxFilter(area=area))
    return {state: n for state, n in counts.items() if n}


def as_after_the_upgrade() -> None:
    """The memberships as places migration 0004 leaves them: no team, areas not known."""
    AreaReport.objects.update(team=None)
    Area.objects.update(teams_known=False)


def check_the_analyst_sees_their_teams_reports_in_the_area(world, browser, client) -> None:
    analyst, near, home = world["analyst"], world["near"], world["home"]
    assert counted(analyst, "havenwaard") == {Status.RECEIVED: len(near)}
    assert counted(analyst, "dorpen") == {Status.RECEIVED: len(home)}
    assert inbox_refs(browser, "havenwaard", world["all"]) == {r.reference for r in near}
    assert api_refs(client, analyst, "havenwaard") == {r.reference for r in near}
    assert api_refs(client, analyst, "dorpen") == {r.reference for r in home}


def test_counts_and_rows_of_a_far_area_before_and_after_the_teams_are_filled_in(
    world, verified_client, client
):
    browser = verified_client(world["analyst"])
    copies = dict(AreaReport.objects.values_list("report_id", "team_id"))
    assert copies == {r.pk: r.team_id for r in world["all"]}  # written by the reports' saves
    assert set(Area.objects.values_list("teams_known", flat=True)) == {True}
    check_the_analyst_sees_their_teams_reports_in_the_area(world, browser, client)

    as_after_the_upgrade()
    check_the_analyst_sees_their_teams_reports_in_the_area(world, browser, client)

    call_command("areas", "teams", verbosity=0)
    assert dict(AreaReport.objects.values_list("report_id", "team_id")) == copies
    assert set(Area.objects.values_list("teams_known", flat=True)) == {True}
    check_the_analyst_sees_their_teams_reports_in_the_area(world, browser, client)


def test_a_report_handed_to_the_team_counts_in_its_area_at_once(world, verified_client, client):
    analyst, moved = world["analyst"], world["others"][0]
    villages, south = world["villages"].pk, world["south"].pk
    report_assign(report=moved, actor=world["south_lead"], team_id=villages, assignee_id=None)
    assert AreaReport.objects.get(report=moved).team_id == world["villages"].pk
    near = [*world["near"], moved]
    assert counted(analyst, "havenwaard") == {Status.RECEIVED: len(near)}
    assert api_refs(client, analyst, "havenwaard") == {r.reference for r in near}
    # And back: it leaves the team's count, and reaches the other team's again.
    report_assign(report=moved, actor=world["lead"], team_id=south, assignee_id=None)
    assert counted(analyst, "havenwaard") == {Status.RECEIVED: len(world["near"])}
    assert AreaReport.objects.get(report=moved).team_id == world["south"].pk


def test_a_rebuild_repairs_a_copy_a_team_change_left_stale_while_it_ran(
    world, django_capture_on_commit_callbacks
):
    """A hand-over saved while `baken areas rebuild` ran waited on the memberships the
    rebuild deleted and did not see its new ones: the copy kept the old team. When the
    rebuild commits, each copy of the rebuilt areas is compared with its report's team."""
    moved = world["others"][0]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("areas", "rebuild", verbosity=0)
        # What the hand-over left: the report in the team, the new membership not.
        Report.objects.filter(pk=moved.pk).update(team=world["villages"])
    assert AreaReport.objects.get(report=moved).team_id == world["villages"].pk
    assert counted(world["analyst"], "havenwaard") == {Status.RECEIVED: len(world["near"]) + 1}


def test_a_report_sent_back_to_intake_counts_for_the_intake_officer_in_the_area(world):
    """No team: the intake officer's part of unrouted reports reads the memberships of no
    team; their own team's part (south's) those of their team."""
    intake, moved = world["intake"], world["near"][0]
    assert counted(intake, "havenwaard") == {Status.RECEIVED: len(world["others"])}
    report_assign(report=moved, actor=world["lead"], team_id=None, assignee_id=None)
    assert AreaReport.objects.get(report=moved).team_id is None
    intake = type(intake).objects.get(pk=intake.pk)  # a new request's user
    assert counted(intake, "havenwaard") == {Status.RECEIVED: len(world["others"]) + 1}
    assert counted(world["analyst"], "havenwaard") == {Status.RECEIVED: 1}


def test_a_corrected_point_of_a_partly_loaded_report_keeps_the_team(world):
    """A save of the point without the team loaded: the new membership reads the team."""
    report = Report.objects.only("pk", "lat", "lon").get(pk=world["home"][0].pk)
    report.lat, report.lon = HAVENWAARD
    report.save(update_fields=["lat", "lon"])
    membership = AreaReport.objects.get(report=report)
    assert (membership.area.code, membership.team_id) == ("havenwaard", world["villages"].pk)
    assert counted(world["analyst"], "havenwaard") == {Status.RECEIVED: 3}


def test_the_count_of_a_team_in_an_area_asks_only_the_teams_memberships(world, verified_client):
    """The team's part of the capped counts reads the area's memberships of that team (what
    area_report_team_idx holds as one range), not every membership of the area. Asserted on
    the SQL and not on a plan: on a test database of a few rows PostgreSQL may as well probe
    the memberships per report (it did, with the statistics the rest of the suite left); the
    plan at scale is measured by bench/work_pages.py."""
    team = world["analyst"].team_id
    with CaptureQueriesContext(connection) as ctx:
        response = verified_client(world["analyst"]).get(INBOX, {"area": "havenwaard"})
    assert response.status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*) FROM (SELECT" in q["sql"]]
    assert counts, "no capped count"
    parts = counts[0].split("(SELECT COUNT(*) FROM ")[1:]
    teams = [p for p in parts if f') AND "reports_report"."team_id" = {team} ' in p]
    assert teams, "no part of the team's own reports"
    for part in teams:
        assert f'U0."team_id" IN ({team})' in part, part

"""The intake officer's counts per state (issue 18): their scope is limited to the states
before the weighing, and each state is counted without that list beside it (the same
reports; PostgreSQL misjudged the rows with it and read the team's whole state into a
bitmap). The counts are those of the reports they may see, with and without a filter, and
on PostgreSQL the count of a state names no list of states."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.reports.inbox import InboxFilter, inbox_counts
from baken.reports.models import Report
from baken.reports.workflow import Status
from tests.reports.test_inbox import reports_for

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")


@pytest.fixture
def intake(make_user):
    own = Team.objects.create(name="Eigen")
    other = Team.objects.create(name="Elders")
    reports_for(own, 3)  # received
    reports_for(own, 2, status=Status.IN_TRIAGE)
    reports_for(own, 1, status=Status.WEIGHED)  # past the intake
    reports_for(own, 1, status=Status.IN_ANALYSIS)
    reports_for(None, 2, status=Status.AWAITING_REPORTER)  # not routed yet
    reports_for(other, 4)  # another team's
    reports_for(other, 1, status=Status.IN_TRIAGE)
    return make_user(role=Role.INTAKE, team=own)


def test_the_intake_officers_counts_are_those_of_their_queue(intake):
    counts = inbox_counts(user=intake, filters=InboxFilter())
    assert {state: n for state, n in counts.items() if n} == {
        Status.RECEIVED: 3,
        Status.IN_TRIAGE: 2,
        Status.AWAITING_REPORTER: 2,
    }
    assert counts[Status.WEIGHED] == 0  # counted (the triage queue), none they may see
    asked = InboxFilter(statuses=[Status.IN_ANALYSIS, Status.RECEIVED])
    counts = inbox_counts(user=intake, filters=asked)
    assert counts[Status.IN_ANALYSIS] == 0 and counts[Status.RECEIVED] == 3


def test_the_intake_officers_counts_with_a_filter(intake):
    Report.objects.filter(team=intake.team, status=Status.RECEIVED).filter(
        pk=Report.objects.filter(team=intake.team, status=Status.RECEIVED).values("pk")[:1]
    ).update(postcode="1781AB")
    Report.objects.filter(team__isnull=True).update(postcode="1781CD")
    Report.objects.filter(team__name="Elders").update(postcode="1781EF")
    counts = inbox_counts(user=intake, filters=InboxFilter(area="1781"))
    assert {state: n for state, n in counts.items() if n} == {
        Status.RECEIVED: 1,
        Status.AWAITING_REPORTER: 2,
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL PostgreSQL plans; SQLite's is the same"
)
def test_a_count_of_one_state_names_no_list_of_states(intake, verified_client):
    with CaptureQueriesContext(connection) as ctx:
        assert verified_client(intake).get(INBOX).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*) FROM (SELECT" in q["sql"]]
    assert counts, "no capped count"
    # A list of states only where the unrouted part leaves out their own team's part.
    lists = re.findall(r'(NOT \()?"reports_report"\."status" IN \(', counts[0])
    assert lists and all(lists), counts[0]

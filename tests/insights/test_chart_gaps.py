"""Charts that tell the truth (issue 12, item 13): a week without a lead time is a gap in the
chart and "—" in its table, not a drop to 0; management's backlog by state shows the same
open reports as the backlog by age beside it, instead of an empty chart."""

import json
import re

import pytest
from django.urls import reverse

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.insights.management_figures import management_sections
from baken.reports.workflow import Status

from .figures_helpers import make_report

pytestmark = pytest.mark.django_db


def _chart(html: str, key: str) -> dict:
    found = re.search(rf'<script id="chart-{key}" type="application/json">(.*?)</script>', html)
    assert found, key
    return json.loads(found.group(1))


def test_a_week_without_a_lead_time_is_a_gap_and_a_dash(make_user, verified_client):
    team = Team.objects.create(name="Havenwaard")
    for days in (10, 11, 31, 32):  # two weeks with weighed reports, two weeks apart
        make_report(team, days_ago=days, status=Status.NO_ACTION)
    lead = make_user(role=Role.TEAM_LEAD, team=team)
    html = verified_client(lead).get(reverse("insights:dashboard"), {"period": "12"})
    html = html.content.decode()
    chart = _chart(html, "lead_weighing")
    numbers = [i for i, v in enumerate(chart["values"]) if v is not None]
    assert len(numbers) >= 2
    between = [i for i in range(numbers[0], numbers[-1]) if chart["values"][i] is None]
    assert between, chart  # weeks between the two without a weighing
    table = html[html.index('id="figure-lead_weighing-title"') :].split("</section>")[0]
    for i in between:
        label = chart["labels"][i]
        row = re.search(rf'<th scope="row">{label}</th><td class="numeric">([^<]*)</td>', table)
        assert row and row.group(1) == "—", (label, row and row.group(1))
    assert 0 not in chart["values"]


def backlog(team) -> None:
    """About 30 open reports of every age, two of them weighed and awaiting the decision."""
    # "This week" begins on Monday at midnight, local time: the newest six came in within the
    # last minutes, so that they are this week's on a Monday just after midnight too.
    for days, count, step in ((0.001, 6, 0.0001), (10, 12, 0.1), (40, 8, 0.1), (120, 6, 0.1)):
        for i in range(count):
            make_report(team, days_ago=days + i * step, status=Status.IN_TRIAGE)
    for days in (10, 40):
        make_report(team, days_ago=days, status=Status.WEIGHED)


def test_managements_backlog_by_state_shows_the_backlog_by_age_shows(make_user):
    """~30 open reports, two of them weighed and awaiting the decision: the age chart showed
    them while the state chart was empty (its one small row hid the other beside the total)."""
    team = Team.objects.create(name="Havenwaard")
    backlog(team)
    sections = {
        s.key: s for s in management_sections(user=make_user(role=Role.MANAGEMENT, team=None))
    }
    by_age, by_state = sections["backlog_by_age"], sections["backlog_by_state"]
    assert by_age.total == 35  # 34, rounded to fives
    assert all(isinstance(v, int) for v in by_age.cells.values()), by_age.cells
    assert by_state.cells == {"Nog niet gewogen": 30, "Gewogen, wacht op het besluit": "< 5"}
    assert by_state.chart_data()["values"] == [30, None]  # a bar, and a gap for the small one
    assert by_state.total is None  # its total is the age chart's


def test_a_report_dated_in_a_later_week_is_counted_as_this_weeks_backlog(
    make_user, verified_client
):
    """A report whose moment lies in a later week (a clock ahead, an import with a time to
    come) once made the dashboard answer 500; it is in the backlog as less than a week old."""
    team = Team.objects.create(name="Havenwaard")
    make_report(team, days_ago=-9, status=Status.IN_TRIAGE)
    lead = make_user(role=Role.TEAM_LEAD, team=team)
    page = verified_client(lead).get(reverse("insights:dashboard"), {"period": "12"})
    assert page.status_code == 200
    chart = _chart(page.content.decode(), "backlog_by_age")
    assert chart["values"][0] == 1, chart

"""The management view: the municipality's figures, no report content, and no count below
the threshold visible or derivable — in the tables, the charts' data, the API and exports."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.insights import figures_rollup as rollup
from baken.insights.figures_table import figures_table
from baken.insights.management_figures import management_params, management_sections

from .figures_helpers import make_report

pytestmark = pytest.mark.django_db
NUMERIC = re.compile(r'<td class="numeric">([^<]*)</td>')


@pytest.fixture
def teams():
    return Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")


@pytest.fixture
def reports(teams):
    """Last complete weeks: 30 web reports and 2 by phone; 3 of one category; 1 of team Zuid."""
    north, south = teams
    monday = management_params().last
    days = (rollup.week_begins(monday) - rollup.week_begins(monday - timedelta(weeks=5))).days
    made = [
        make_report(north, days_ago=3 + 7 + (i % days), street="Geheimstraat", postcode="1781AB")
        for i in range(30)
    ]
    made += [make_report(north, days_ago=10, channel="phone") for _ in range(2)]
    made += [make_report(north, days_ago=10, category="wapenhandel") for _ in range(3)]
    made.append(make_report(south, days_ago=12))
    return made


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.MANAGEMENT, team=None)


def assert_nothing_small(sections):
    for section in sections:
        counts = [v for v in section.cells.values() if isinstance(v, int)]
        assert all(v >= 5 for v in counts), section
        hidden = [v for v in section.cells.values() if v in ("< 5", "x")]
        # One hidden cell beside a total shown would be the total minus the rest.
        assert len(hidden) != 1 or section.total in ("< 5", "x", None), section
        if section.unit != "days":
            values = section.chart_data()["values"]
            assert all(v is None or v >= 5 for v in values), section


def test_small_counts_are_suppressed_everywhere(reports, manager):
    sections = management_sections(user=manager)
    assert_nothing_small(sections)
    by_channel = next(s for s in sections if s.key == "by_channel")
    assert "< 5" in by_channel.cells.values()
    _headers, rows = figures_table(user=manager, params={})
    counts = [row[2] for row in rows if isinstance(row[2], int) and "lead" not in row[0].lower()]
    assert all(v >= 5 for v in counts)


def test_the_page_and_its_charts_show_no_small_count_and_no_content(
    reports, manager, verified_client
):
    response = verified_client(manager).get(reverse("insights:management"))
    assert response.status_code == 200
    html = response.content.decode()
    for cell in NUMERIC.findall(html):
        assert cell in ("&lt; 5", "x", "—") or float(cell) >= 5 or "," in cell or "." in cell, cell
    for key, data in re.findall(
        r'<script id="chart-(\w+)" type="application/json">(.*?)</script>', html
    ):
        values = json.loads(data)["values"]
        if not key.startswith("lead"):
            assert all(v is None or v >= 5 for v in values), (key, values)
    for secret in ("Geheimstraat", "1781AB", reports[0].reference, "Iets klopt niet"):
        assert secret not in html
    assert "gekozen" not in html  # nothing to choose on this page
    assert AuditEntry.objects.filter(action="insights.management", actor_id=manager.pk).exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.INTAKE,
        Role.CASE_HANDLER,
        Role.ANALYST,
        Role.ADMIN,
        Role.PRIVACY_OFFICER,
        Role.TEAM_LEAD,
    ],
)
def test_only_management_opens_it(make_user, verified_client, teams, role):
    """Not a team lead either: their own team's figures for the same weeks, subtracted from
    the municipality's, would give the other teams' small counts."""
    client = verified_client(make_user(role=role, team=teams[0]))
    assert client.get(reverse("insights:management")).status_code == 403


def test_management_sees_counts_rounded_to_fives(manager, verified_client, reports):
    response = verified_client(manager).get(reverse("insights:management"))
    per_week = response.context["sections"][0]
    assert per_week.total == 35  # 36 reports, rounded to fives
    assert_nothing_small(response.context["sections"])
    for section in response.context["sections"]:
        if section.unit != "days":
            assert all(v % 5 == 0 for v in section.cells.values() if isinstance(v, int))


def test_management_has_no_dashboard_and_no_hotspots(manager, verified_client):
    client = verified_client(manager)
    assert client.get(reverse("insights:dashboard")).status_code == 403
    assert client.get(reverse("insights:hotspots")).status_code == 403


def test_management_exports_its_figures_from_the_page_suppressed(
    reports, manager, make_user, teams, verified_client
):
    from baken.exports.models import Export

    browser = verified_client(manager)
    page = browser.get(reverse("insights:management")).content.decode()
    assert 'name="kind" value="figures"' in page
    started = browser.post(
        reverse("exports:create"), {"kind": "figures", "format": "csv", "query": ""}
    )
    assert started.status_code == 302
    export = Export.objects.get(user=manager)
    content = browser.get(reverse("exports:file", args=[export.pk]))
    text = b"".join(content.streaming_content).decode("utf-8-sig")
    cells = [line.split(";")[-1] for line in text.splitlines()[1:]]
    assert "< 5" in cells
    assert all(not c.isdigit() or int(c) >= 5 for c in cells)
    # A team lead sees the team's figures on the dashboard, and exports them there.
    lead = make_user(role=Role.TEAM_LEAD, team=teams[0])
    lead_page = verified_client(lead).get(reverse("insights:management")).content.decode()
    assert 'name="kind" value="figures"' not in lead_page
    dashboard = verified_client(lead).get(reverse("insights:dashboard")).content.decode()
    assert 'name="kind" value="figures"' in dashboard

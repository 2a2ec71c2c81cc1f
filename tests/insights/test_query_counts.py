"""Issue 18: the management view, the hotspots page and the weekly overview ask the same number
of queries with few reports and with many (the dashboard's and the awareness figures page's
own tests are in test_dashboard.py and tests/awareness/test_figures.py). Not timings: a query
per report, per week or per address would show here as a count that grows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.accounts.models import Team
from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.insights import overview
from baken.insights.awareness_rollup import awareness_refresh
from baken.insights.figures_rollup import rollup_refresh
from baken.insights.overview_week import Week
from baken.reports.models import Department, DepartmentSize
from baken.reports.workflow import Status

from .figures_helpers import make_report

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
WEEK = "2026-W47"
MONDAY = datetime(2026, 11, 16, 9, tzinfo=AMS)


@pytest.fixture
def teams():
    return Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")


@pytest.fixture
def department(db):
    return Department.objects.create(
        code="vergunningen", name="Vergunningen", size=DepartmentSize.LARGE, position=1
    )


def grow(teams, department, n: int, start: int = 0) -> None:
    """n more reports of both teams, over several weeks, addresses, states and departments."""
    statuses = [Status.RECEIVED, Status.WEIGHED, Status.NO_ACTION, Status.IN_ANALYSIS]
    for i in range(start, start + n):
        make_report(
            teams[i % 2],
            days_ago=0.01 + (i % 40) * 3,
            status=statuses[i % 4],
            category=["drugs", "witwassen", None][i % 3],
            postcode=f"1781A{chr(65 + i % 5)}",
            house_number=1 + i % 3,
            street="Havenkade",
            department=department if i % 2 else None,
            is_anonymous=bool(i % 3),
        )


def queries(client, url: str, query: dict | None = None) -> int:
    client.get(url, query or {})  # the rollups brought up to date first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query or {}).status_code == 200
    return len(captured)


def test_the_management_view_asks_a_fixed_number_of_queries(
    make_user, verified_client, teams, department
):
    client = verified_client(make_user(role=Role.MANAGEMENT, team=None))
    url = reverse("insights:management")
    grow(teams, department, 4)
    few = queries(client, url)
    grow(teams, department, 60, start=4)
    assert queries(client, url) == few


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.ANALYST])
def test_the_hotspots_page_asks_a_fixed_number_of_queries(
    make_user, verified_client, teams, department, role
):
    client = verified_client(make_user(role=role, team=teams[0]))
    url = reverse("insights:hotspots")
    grow(teams, department, 8)
    few = queries(client, url, {"weeks": 4, "minimum": 2})
    grow(teams, department, 80, start=8)
    many = queries(client, url, {"weeks": 4, "minimum": 2})
    assert many == few


def test_the_weekly_overview_asks_a_fixed_number_of_queries(
    make_user, verified_client, teams, department
):
    """Its build (in the background) and its page, for a team lead."""
    lead = make_user(role=Role.TEAM_LEAD, team=teams[0])
    client = verified_client(lead)
    url = reverse("insights:overview_week", args=[WEEK])

    def in_week(n: int, start: int = 0) -> None:
        for i in range(start, start + n):
            report = make_report(
                teams[i % 2],
                status=[Status.RECEIVED, Status.NO_ACTION][i % 2],
                category=["drugs", "witwassen"][i % 2],
                postcode="1781AB",
                house_number=1 + i % 2,
                department=department,
                is_anonymous=False,
            )
            report.received_at = MONDAY + timedelta(hours=i)
            report.save()

    def build() -> int:
        rollup_refresh()  # up to date first, as the pages
        awareness_refresh()
        with CaptureQueriesContext(connection) as captured:
            overview.overview_build(week=Week.parse(WEEK))
        return len(captured)

    in_week(6)
    build()  # the first build inserts the week and starts the audit chain: not compared
    few_build = build()
    few_page = queries(client, url)
    in_week(60, start=6)
    assert build() == few_build
    assert queries(client, url) == few_page


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.ANALYST])
def test_the_hotspots_page_asks_whether_the_rollup_is_current_once(
    make_user, verified_client, teams, department, role
):
    """hotspots() brings the rollup up to date before it reads the addresses and the areas;
    the areas do not ask again in the same request (three queries each time)."""
    client = verified_client(make_user(role=role, team=teams[0]))
    url = reverse("insights:hotspots")
    grow(teams, department, 8)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url, {"weeks": 4, "minimum": 2})
    assert page.status_code == 200
    watermark = [q for q in captured if 'MAX("reports_report"."id")' in q["sql"]]
    assert len(watermark) == 1


def test_the_weekly_overview_logs_its_read_with_one_lock_of_the_audit_chain(
    make_user, verified_client, teams, department
):
    """The week's read and the ids of the reports it listed: two entries, appended together
    (one lock of the chain's head, one commit), in that order, as before."""
    lead = make_user(role=Role.TEAM_LEAD, team=teams[0])
    client = verified_client(lead)
    for i in range(4):
        report = make_report(teams[0], department=department, is_anonymous=False)
        report.received_at = MONDAY + timedelta(hours=i)
        report.save()
    rollup_refresh()
    awareness_refresh()
    overview.overview_build(week=Week.parse(WEEK))
    url = reverse("insights:overview_week", args=[WEEK])
    client.get(url)
    before = AuditEntry.objects.order_by("-seq").first().seq
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # The head read once (locked, on PostgreSQL) to append both entries.
    heads = [
        q
        for q in captured
        if q["sql"].startswith("SELECT seq, hash FROM") and "audithead" in q["sql"]
    ]
    assert len(heads) == 1
    written = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in written] == [
        AuditAction.INSIGHTS_OVERVIEW_READ,
        AuditAction.REPORT_LIST,
    ]
    assert written[0].detail == {"week": WEEK, "form": "html"}
    assert len(written[1].detail["ids"]) == 4

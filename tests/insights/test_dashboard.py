"""The team dashboard: its figures equal direct counts of the reports after they are created,
changed and deleted; each role sees its own scope or nothing; bad parameters get a message."""

import json
import re
from datetime import timedelta

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.insights import figures_rollup as rollup
from baken.insights.figures import params_from, team_figures
from baken.reports.models import Report
from baken.reports.services import report_transition
from baken.reports.workflow import QUEUE, Status

from .figures_helpers import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user, north):
    return make_user(role=Role.TEAM_LEAD, team=north)


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


@pytest.fixture
def mixed(north, south):
    """Reports of both teams, over several weeks, categories, channels and states."""
    reports = []
    statuses = [Status.RECEIVED, Status.IN_TRIAGE, Status.WEIGHED, Status.NO_ACTION]
    for i in range(24):
        reports.append(
            make_report(
                north if i % 3 else south,
                days_ago=1 + i * 3,
                status=statuses[i % 4],
                category=["drugs", "witwassen", None][i % 3],
                channel=["web", "phone", "email"][i % 2],
            )
        )
    reports.append(make_report(north, days_ago=2, status=Status.LINKED_TO_CASE))
    reports.append(make_report(north, days_ago=400))  # outside 52 weeks, still in the backlog
    return reports


def direct(team, params):
    start, end = rollup.week_span(params.first, params.last)
    rows = Report.objects.filter(team=team, received_at__gte=start, received_at__lt=end)
    open_now = Report.objects.filter(team=team, status__in=QUEUE, merged_into__isnull=True)
    if params.category:
        rows, open_now = (
            rows.filter(category=params.category),
            open_now.filter(category=params.category),
        )
    by = lambda field: dict(rows.values_list(field).annotate(n=Count("pk")).order_by())  # noqa: E731
    return {
        "total": rows.count(),
        "channel": by("channel"),
        "category": by("category__name"),
        "weighed": rows.exclude(status__in=[Status.RECEIVED, Status.IN_TRIAGE]).count(),
        "case": rows.filter(status=Status.LINKED_TO_CASE).count(),
        "backlog": open_now.count(),
    }


def shown(figures):
    channels = {"Web form": "web", "Phone": "phone", "E-mail": "email"}
    return {
        "total": figures.total,
        "channel": {channels[k]: v for k, v in figures.by_channel.items()},
        "category": {
            (None if k == "No category" else k): v for k, v in figures.by_category.items()
        },
        "weighed": figures.funnel["weighed"],
        "case": figures.funnel["case"],
        "backlog": sum(figures.backlog_by_age.values()),
    }


def check(user, team, query):
    with translation.override("en"):
        params, _form = params_from(query)
        assert shown(team_figures(user=user, params=params)) == direct(team, params)


def test_figures_equal_direct_counts_after_creating_changing_and_deleting(
    mixed, lead, north, south
):
    for query in ({}, {"period": "52"}, {"category": "drugs"}):
        check(lead, north, query)
    # Changed through the services and save(): a transition, a new team, a deletion, a new one.
    report_transition(report=mixed[1], to_status=Status.WEIGHED, actor=lead, reason="Bekeken.")
    moved = Report.objects.get(pk=mixed[4].pk)
    moved.team = south
    moved.save()
    Report.objects.get(pk=mixed[2].pk).delete()
    make_report(north, days_ago=0.1, channel="phone")
    for query in ({}, {"period": "52"}, {"category": "witwassen"}):
        check(lead, north, query)


def test_reports_inserted_without_save_are_counted(lead, north):
    make_report(north, days_ago=1)
    params, _form = params_from({})
    assert team_figures(user=lead, params=params).total == 1
    Report.objects.bulk_create(
        [
            Report(
                reference=f"B-{i}",
                channel="web",
                description="x",
                received_at=rollup.week_begins(params.last) + timedelta(hours=1),
                team=north,
            )
            for i in range(3)
        ]
    )
    assert team_figures(user=lead, params=params).total == 4


def test_an_analyst_sees_their_teams_figures_not_the_other_teams(mixed, analyst, north, south):
    params, _form = params_from({"period": "52"})
    figures = team_figures(user=analyst, params=params)
    assert (
        figures.total
        == Report.objects.filter(
            team=north, received_at__gte=rollup.week_begins(params.first)
        ).count()
    )
    assert (
        figures.total
        != Report.objects.filter(received_at__gte=rollup.week_begins(params.first)).count()
    )


def test_lead_times_average_the_first_weighing_and_the_decision(lead, north):
    make_report(north, days_ago=10, status=Status.NO_ACTION, step_hours=24)
    make_report(north, days_ago=10, status=Status.NO_ACTION, step_hours=48)
    params, _form = params_from({})
    figures = team_figures(user=lead, params=params)
    count, seconds = [v for v in figures.lead_weighing.values() if v[0]][0]
    # received → in triage → weighed: 2 steps of 24 h and of 48 h: a mean of 3 days
    assert count == 2 and seconds / count / 86400 == 3.0
    count, seconds = [v for v in figures.lead_decision.values() if v[0]][0]
    assert count == 2 and seconds / count / 86400 == 4.5


@pytest.mark.parametrize(
    "role", [Role.INTAKE, Role.CASE_HANDLER, Role.ADMIN, Role.PRIVACY_OFFICER, Role.MANAGEMENT]
)
def test_roles_without_the_dashboard_get_403(make_user, verified_client, north, role):
    client = verified_client(make_user(role=role, team=north))
    for name in ("insights:dashboard", "insights:hotspots", "insights:hotspot_reports"):
        assert client.get(reverse(name)).status_code == 403, (role, name)


def test_the_dashboard_page_shows_charts_with_their_tables(mixed, lead, verified_client):
    client = verified_client(lead)
    response = client.get(reverse("insights:dashboard"), {"period": "52"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<canvas") == html.count('<details class="figure__numbers">') >= 9
    data = json.loads(re.search(r'id="chart-per_week"[^>]*>(.*?)</script>', html, re.S)[1])
    assert sum(data["values"]) == response.context["sections"][0].total
    assert "vendor/chart.js/chart.umd.min.js" in html
    assert AuditEntry.objects.filter(action="insights.dashboard", actor_id=lead.pk).exists()
    # Averages with a decimal comma, as in the tables.
    assert re.search(r"gemiddeld \d+,\d dagen", html)
    assert not re.search(r"gemiddeld \d+\.\d", html)


@pytest.mark.parametrize(
    "query",
    [
        {"period": "13"},
        {"start": "2026-13-01", "end": "2026-12-01"},
        {"start": "2026-05-01"},
        {"start": "2026-05-01", "end": "2026-04-01"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"category": "nope"},
        {"area": "<script>"},
    ],
)
def test_bad_parameters_get_a_clear_message(lead, verified_client, query):
    response = verified_client(lead).get(reverse("insights:dashboard"), query)
    assert response.status_code == 400
    assert b'role="alert"' in response.content and b"<canvas" not in response.content


def test_a_from_to_period_snaps_to_whole_weeks(lead, verified_client):
    response = verified_client(lead).get(
        reverse("insights:dashboard"),
        {"period": "custom", "start": "2026-11-04", "end": "2026-11-18"},
    )
    assert response.status_code == 200
    params = response.context["params"]
    assert params.first.isoformat() == "2026-11-02" and params.last.isoformat() == "2026-11-16"
    assert [w.isoformat() for w in params.weeks] == ["2026-11-02", "2026-11-09", "2026-11-16"]


def test_the_dashboard_asks_a_fixed_number_of_queries(mixed, lead, verified_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(lead)

    def count() -> int:
        client.get(reverse("insights:dashboard"))  # the rollup brought up to date
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("insights:dashboard"), {"period": "52"}).status_code == 200
        return len(captured)

    few = count()
    for i in range(30):
        make_report(lead.team, days_ago=i * 9, status=Status.NO_ACTION, category="witwassen")
    # 32 with the header's count of unread notifications; 4 more for the awareness section
    # (issue 17; tests/awareness/test_figures.py counts it with departments and trainings;
    # one of them reads which categories have signs, so the big query needs no subquery).
    assert count() == few <= 36


def test_a_team_lead_without_a_team_sees_a_message(make_user, verified_client):
    lead = make_user(role=Role.TEAM_LEAD, team=None)
    response = verified_client(lead).get(reverse("insights:dashboard"))
    assert response.status_code == 200 and "geen lid van een team" in response.content.decode()


def test_a_refresh_too_big_for_a_page_view_goes_to_the_worker(
    mixed, lead, verified_client, settings, django_capture_on_commit_callbacks
):
    client = verified_client(lead)
    client.get(reverse("insights:dashboard"))  # up to date
    params, _form = params_from({"period": "52"})
    before = team_figures(user=lead, params=params).total
    make_report(lead.team, days_ago=3, status=Status.RECEIVED)
    settings.INSIGHTS_INLINE_REFRESH_MAX = 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.get(reverse("insights:dashboard"), {"period": "52"})
        # The page did not wait: it says the figures are being brought up to date.
        assert "worden bijgewerkt" in page.content.decode()
    # One refresh asked of the worker (run here by the immediate backend), not one per view.
    assert len(callbacks) == 1
    assert not rollup.rollup_behind()
    assert team_figures(user=lead, params=params).total == before + 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.get(reverse("insights:dashboard"))
    assert callbacks == []


@pytest.mark.parametrize(
    "query",
    [
        {"period": "custom", "start": "9999-12-01", "end": "9999-12-31"},
        {"period": "custom", "start": "0001-01-01", "end": "0001-01-31"},
        {"start": "1999-12-31", "end": "2000-01-10"},
    ],
)
def test_dates_out_of_range_are_a_message_not_an_error(lead, verified_client, query):
    client = verified_client(lead)
    page = client.get(reverse("insights:dashboard"), query)
    assert page.status_code == 400 and "tussen 2000 en 2100" in page.content.decode()
    api = client.get("/api/v1/figures", query)
    assert api.status_code == 400 and api["Content-Type"] == "application/problem+json"
    hotspots = client.get(reverse("insights:hotspots"), query)
    assert hotspots.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "subject", "key": "²"},
        {"kind": "address", "key": "1781AB-²"},
        {"kind": "address", "key": "1781AB-99999999999999999999"},
        {"kind": "subject", "key": "9" * 40},
    ],
)
def test_odd_hotspot_keys_list_nothing(lead, verified_client, query):
    response = verified_client(lead).get(reverse("insights:hotspot_reports"), query)
    assert response.status_code in (200, 400)


def test_looking_behind_a_hotspot_is_logged_even_when_it_lists_nothing(lead, verified_client):
    verified_client(lead).get(
        reverse("insights:hotspot_reports"), {"kind": "subject", "key": "123456"}
    )
    entry = AuditEntry.objects.filter(action="insights.hotspot_reports").get()
    assert entry.detail == {"kind": "subject", "key": "123456"}

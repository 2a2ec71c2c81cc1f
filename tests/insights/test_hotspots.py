"""Hotspots: addresses, subjects and areas with several reports, rising areas by the stated
rule, and the reports behind each only as far as the user may see them."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.insights.figures import this_week
from baken.insights.hotspots import hotspot_reports, hotspots
from baken.places.areas import DEMO_AREAS
from tests.subjects.helpers import subject

from .figures_helpers import make_report

pytestmark = pytest.mark.django_db
HAVENWAARD = {"lat": 52.945, "lon": 4.75}


@pytest.fixture
def teams():
    return Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")


@pytest.fixture
def analyst(make_user, teams):
    return make_user(role=Role.ANALYST, team=teams[0])


def period(weeks=1):
    last = this_week()
    return last - timedelta(weeks=weeks - 1), last + timedelta(days=6)


def at_address(team, n, days_ago=0.01, **fields):
    return [
        make_report(
            team, days_ago=days_ago, postcode="1781AB", house_number=7, street="Havenkade", **fields
        )
        for _ in range(n)
    ]


def test_an_address_with_three_reports_is_a_hotspot_for_its_team_only(teams, analyst, make_user):
    north, south = teams
    at_address(north, 3)
    at_address(south, 2)
    start, end = period()
    found = hotspots(user=analyst, start=start, end=end)
    assert [(h.label, h.count) for h in found.addresses] == [("Havenkade 7, 1781AB", 3)]
    other = make_user(role=Role.ANALYST, team=south)
    assert hotspots(user=other, start=start, end=end).addresses == []
    # Everyone's, for the weekly overview (which scopes what it shows).
    assert hotspots(user=None, start=start, end=end).addresses[0].count == 5


def test_the_reports_behind_a_hotspot_are_only_those_the_user_may_see(
    teams, analyst, make_user, verified_client
):
    north, south = teams
    mine, theirs = at_address(north, 3), at_address(south, 3)
    start, end = period()
    listed = hotspot_reports(user=analyst, kind="address", key="1781AB-7", start=start, end=end)
    assert set(listed) == set(mine)
    response = verified_client(analyst).get(
        reverse("insights:hotspot_reports"),
        {"kind": "address", "key": "1781AB-7", "start": start.isoformat(), "end": end.isoformat()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert all(r.reference in html for r in mine)
    assert not any(r.reference in html for r in theirs)


def test_a_subject_named_in_several_reports_is_a_hotspot(teams, analyst):
    reports = at_address(teams[0], 3)
    for report in reports:
        subject("Piet Verdacht", report=report, judge=analyst)
    start, end = period()
    found = hotspots(user=analyst, start=start, end=end, minimum=2)
    # Three subjects of the same name registered separately: each once, none a hotspot.
    assert found.subjects == []
    shared = subject("Kees Vaker", report=reports[0], judge=analyst)
    from baken.reports.models import ReportSubject
    from baken.subjects.models import Mention

    for report in reports[1:]:
        named = ReportSubject.objects.create(report=report, kind="person", name="Kees Vaker")
        Mention.objects.create(
            report_subject=named,
            subject=shared,
            judgement="same",
            judged_by=analyst,
            judged_at=report.received_at,
        )
    found = hotspots(user=analyst, start=start, end=end, minimum=2)
    assert [(h.label, h.count) for h in found.subjects] == [("Kees Vaker", 3)]
    listed = hotspot_reports(user=analyst, kind="subject", key=str(shared.pk), start=start, end=end)
    assert set(listed) == set(reports)


def test_an_area_rises_at_twice_its_mean_and_three_more(teams, analyst):
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    north = teams[0]
    # The four weeks before: 1 report each (mean 1); this week: 4 (≥ 2 × 1 and ≥ 1 + 3).
    for weeks_ago in range(1, 5):
        make_report(north, days_ago=7 * weeks_ago + 0.01, **HAVENWAARD)
    for _ in range(4):
        make_report(north, days_ago=0.01, **HAVENWAARD)
    start, end = period()
    found = hotspots(user=analyst, start=start, end=end)
    assert [(h.key, h.count, h.mean_before, h.rising) for h in found.rising] == [
        ("havenwaard", 4, 1.0, True)
    ]
    # With a mean of 1.25 before, 4 is still twice it but no longer 3 more: not rising.
    make_report(north, days_ago=7.01, **HAVENWAARD)  # the mean becomes 1.25
    assert hotspots(user=analyst, start=start, end=end).rising == []
    listed = hotspot_reports(user=analyst, kind="area", key="havenwaard", start=start, end=end)
    assert len(listed) == 4


def test_the_hotspots_page_names_the_period_it_counts(analyst, verified_client):
    html = verified_client(analyst).get(reverse("insights:hotspots")).content.decode()
    assert re.search(r'<option value="4" selected>Afgelopen 4 weken</option>', html)
    assert 'name="minimum" value="3"' in html


def test_the_hotspots_page_links_to_the_reports(teams, analyst, verified_client):
    at_address(teams[0], 3)
    response = verified_client(analyst).get(reverse("insights:hotspots"), {"weeks": "1"})
    assert response.status_code == 200
    assert b"Havenkade 7, 1781AB" in response.content
    assert b"kind=address&amp;key=1781AB-7" in response.content


@pytest.mark.parametrize(
    "query",
    [{"weeks": "9"}, {"start": "2026-01-01"}, {"minimum": "1"}, {"start": "x", "end": "y"}],
)
def test_bad_hotspot_parameters_get_a_message(analyst, verified_client, query):
    response = verified_client(analyst).get(reverse("insights:hotspots"), query)
    assert response.status_code == 400 and b'role="alert"' in response.content


def test_a_bad_hotspot_link_gets_a_message(analyst, verified_client):
    response = verified_client(analyst).get(reverse("insights:hotspot_reports"), {"kind": "x"})
    assert response.status_code == 400 and b'role="alert"' in response.content

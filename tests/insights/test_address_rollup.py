"""Issue 18: the address hotspots of whole weeks (the page, the weekly overview) are summed
from the rollup's address rows; they are what counting the reports gives, for every role that
sees the page, with the team's reports and those a user may see besides (assigned to them,
shared by a case), sealed ones counted, merged and restricted ones not, and a change seen on
the next read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.accounts.models import Team
from baken.cases import services as case_services
from baken.core.roles import Role
from baken.insights.figures import this_week
from baken.insights.hotspots import _address_rows, _reports, hotspots
from baken.reports.models import Report
from baken.reports.restriction import report_restrict
from baken.reports.workflow import Status

from .figures_helpers import make_report

pytestmark = pytest.mark.django_db
HAVENKADE, DIJK, MARKT = ("1781AB", 7, "Havenkade"), ("1781CD", 12, "Dijk"), ("1782EF", 3, "Markt")


@pytest.fixture
def teams():
    return Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")


@pytest.fixture
def people(make_user, teams):
    north, south = teams
    return {
        "analyst": make_user(role=Role.ANALYST, team=north),
        "lead": make_user(role=Role.TEAM_LEAD, team=north),
        "south_analyst": make_user(role=Role.ANALYST, team=south),
        "south_lead": make_user(role=Role.TEAM_LEAD, team=south),
        "no_team": make_user(role=Role.ANALYST, team=None),
        "privacy": make_user(role=Role.PRIVACY_OFFICER, team=None),
    }


def period(weeks=4):
    last = this_week()
    return last - timedelta(weeks=weeks - 1), last + timedelta(days=6)


def at(address, team, n, days_ago=0.01, **fields):
    postcode, number, street = address
    return [
        make_report(
            team,
            days_ago=days_ago,
            postcode=postcode,
            house_number=number,
            street=street,
            city="Havenwaard",
            **fields,
        )
        for _ in range(n)
    ]


def shown(user, minimum=3, weeks=4):
    start, end = period(weeks)
    return [
        (h.key, h.label, h.count)
        for h in hotspots(user=user, start=start, end=end, minimum=minimum).addresses
    ]


def counted_from_reports(user, minimum=3, weeks=4):
    """What the page showed before the rollup: the user's reports of the period grouped."""
    start, end = period(weeks)
    rows = _address_rows(_reports(user, start, end), minimum)[:50]
    return [
        (
            f"{r['postcode']}-{r['house_number']}",
            f"{r['street']} {r['house_number']}, {r['postcode']} {r['city']}",
            r["n"],
        )
        for r in rows
    ]


@pytest.fixture
def world(teams, people):
    """North: the Havenkade four times this week and last (one sealed, one merged, one
    restricted), the Dijk twice; South: the Dijk once assigned to the north analyst, the Markt
    three times in a case the north analyst is a member of (once also assigned to them), and
    once more outside it."""
    north, south = teams
    havenkade = at(HAVENKADE, north, 2) + at(HAVENKADE, north, 2, days_ago=8)
    havenkade += at(HAVENKADE, north, 1, status=Status.NO_ACTION)  # sealed: counted
    merged = at(HAVENKADE, north, 1)[0]
    merged.merged_into = havenkade[0]
    merged.save()
    restricted = at(HAVENKADE, north, 1)[0]
    report_restrict(actor=people["privacy"], report=restricted, reference="AVG-2026-1")
    at(DIJK, north, 2, days_ago=3)
    at(DIJK, south, 1, assignee=people["analyst"])
    in_case = at(MARKT, south, 2, days_ago=9, status=Status.IN_ANALYSIS)
    # Assigned to the north analyst and in their case: counted once.
    in_case += at(
        MARKT, south, 1, days_ago=9, status=Status.IN_ANALYSIS, assignee=people["analyst"]
    )
    case = case_services.case_open(
        reports=in_case,
        title="Markt",
        summary="",
        team=south,
        handler=None,
        actor=people["south_lead"],
        rationale="Ernstig.",
    )
    case_services.member_add(
        case=case, user=people["analyst"], actor=people["south_lead"], reason="Meekijken."
    )
    at(MARKT, south, 1, days_ago=2)
    return havenkade


def test_every_role_sees_from_the_rollup_what_counting_its_reports_gives(people, world):
    expected = {
        # Team and own and case reports: the Dijk 2 + 1 assigned, the Markt 3 of the case.
        "analyst": [
            ("1781AB-7", "Havenkade 7, 1781AB Havenwaard", 5),
            ("1781CD-12", "Dijk 12, 1781CD Havenwaard", 3),
            ("1782EF-3", "Markt 3, 1782EF Havenwaard", 3),
        ],
        "lead": [("1781AB-7", "Havenkade 7, 1781AB Havenwaard", 5)],
        "south_analyst": [("1782EF-3", "Markt 3, 1782EF Havenwaard", 4)],
        "south_lead": [("1782EF-3", "Markt 3, 1782EF Havenwaard", 4)],
        "no_team": [],
    }
    for role, addresses in expected.items():
        user = people[role]
        assert shown(user) == addresses, role
        assert shown(user) == counted_from_reports(user), role
        for minimum in (2, 4, 6):
            assert shown(user, minimum) == counted_from_reports(user, minimum), (role, minimum)
        assert shown(user, 2, weeks=1) == counted_from_reports(user, 2, weeks=1), role


def test_the_weekly_overview_counts_every_team_from_the_rollup(people, world, teams):
    start, end = period(4)
    north, south = teams
    for team in (north, south):
        from_rollup = hotspots(user=None, team=team.pk, start=start, end=end).addresses
        rows = _address_rows(_reports(None, start, end, team.pk), 3)
        assert [(h.key, h.count) for h in from_rollup] == [
            (f"{r['postcode']}-{r['house_number']}", r["n"]) for r in rows
        ]
    assert [(h.key, h.count) for h in hotspots(user=None, start=start, end=end).addresses] == [
        ("1781AB-7", 5),
        ("1782EF-3", 4),
        ("1781CD-12", 3),
    ]


def test_a_change_to_a_report_shows_on_the_next_read(people, world, teams):
    lead = people["lead"]
    assert shown(lead) == [("1781AB-7", "Havenkade 7, 1781AB Havenwaard", 5)]
    report_restrict(actor=people["privacy"], report=world[0], reference="AVG-2026-2")
    moved = world[1]
    moved.house_number = 9
    moved.save()
    assert shown(lead) == [("1781AB-7", "Havenkade 7, 1781AB Havenwaard", 3)]
    at(DIJK, teams[0], 1)
    assert (
        shown(lead)
        == counted_from_reports(lead)
        == [
            ("1781AB-7", "Havenkade 7, 1781AB Havenwaard", 3),
            ("1781CD-12", "Dijk 12, 1781CD Havenwaard", 3),
        ]
    )


def test_the_page_says_so_while_the_rollup_is_being_rebuilt(
    people, world, verified_client, settings, django_capture_on_commit_callbacks
):
    client = verified_client(people["lead"])
    url = reverse("insights:hotspots")
    page = client.get(url).content.decode()
    assert "Havenkade 7" in page and "worden bijgewerkt" not in page
    at(DIJK, people["lead"].team, 1)
    settings.INSIGHTS_INLINE_REFRESH_MAX = 0
    with django_capture_on_commit_callbacks(execute=False):
        page = client.get(url).content.decode()
    assert "Deze cijfers worden bijgewerkt" in page
    # Meanwhile the addresses are counted from the reports themselves: the third report at
    # the Dijk counts at once, and reports restricted meanwhile no longer do.
    assert "Dijk 12" in page
    Report.objects.filter(postcode=HAVENKADE[0], house_number=HAVENKADE[1]).update(
        restricted_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=False):
        page = client.get(url).content.decode()
    assert "Deze cijfers worden bijgewerkt" in page
    assert "Havenkade 7" not in page and "Dijk 12" in page

"""Search reads each way of matching the cheapest way for how many reports match (few: by
id; many: the newest reports in view in date order, within a window; beyond the window: by
id again or the condition itself) — and every way gives the same reports, newest first, with
the same reasons, and never one the user may not see (subjects/report_search.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.reports.models import Report
from baken.reports.workflow import Status
from baken.subjects import report_search, search
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db

HUGE = 10**9
# (FEW, WINDOW, CANDIDATES): few (by id); many, all found in the window; many, the window
# too small and the rest by id; many, the window too small and the rest by the condition.
WAYS = {
    "by id": (HUGE, HUGE, HUGE),
    "window": (0, HUGE, HUGE),
    "small window, then by id": (0, 3, HUGE),
    "small window, then the condition": (0, 3, 0),
}


def named_report(team, name: str, hours_ago: int, **changes) -> Report:
    report = file_report(
        description="Busjes die 's nachts laden bij de loods.",
        subjects=[{"type": "person", "name": name}],
    )
    received = timezone.now() - timedelta(hours=hours_ago)
    Report.objects.filter(pk=report.pk).update(team=team, received_at=received, **changes)
    return report


@pytest.fixture
def world(make_user):
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    analyst = make_user(role=Role.ANALYST, team=north)
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    seen = []  # (hours ago, report) the analyst may see that name a Jansen
    for hours in (1, 3, 4, 7, 9, 12, 15):
        seen.append((hours, named_report(north, "Piet Jansen", hours)))
    for hours in (2, 5, 6, 8, 10, 11):  # newer reports in between that name someone else
        named_report(north, "Karin Smit", hours)
    # Of another team: not in view, however new; but one assigned to the analyst is.
    named_report(south, "Piet Jansen", 0)
    assigned = named_report(south, "Kees Jansen", 5, assignee=analyst)
    # Sealed (decided 'no action'): in nobody's search.
    named_report(north, "Piet Jansen", 0, status=Status.NO_ACTION)
    return analyst, lead, seen, assigned


@pytest.fixture(params=WAYS)
def way(request, monkeypatch):
    """Search tuned so that it reads one way of WAYS."""
    few, window, candidates = WAYS[request.param]
    monkeypatch.setattr(report_search, "FEW", few)
    monkeypatch.setattr(report_search, "WINDOW", window)
    monkeypatch.setattr(report_search, "CANDIDATES", candidates)


@pytest.mark.usefixtures("way")
def test_every_way_finds_the_same_newest_reports_in_view(world):
    analyst, lead, seen, assigned = world
    for_analyst = [r for _h, r in sorted([*seen, (5, assigned)], key=lambda hr: hr[0])]
    for_lead = [r for _h, r in sorted(seen, key=lambda hr: hr[0])]
    for user, expected in ((analyst, for_analyst), (lead, for_lead)):
        for limit in (2, 5, 20):
            reports, reasons = report_search.report_search(user=user, query="jansen", limit=limit)
            assert [r.pk for r in reports] == [r.pk for r in expected[:limit]], (user, limit)
            shown = {r.pk: [(x.field, x.value) for x in reasons[r.pk]] for r in reports}
            for report in reports:
                name = "Kees Jansen" if report.pk == assigned.pk else "Piet Jansen"
                assert shown[report.pk] == [("name", name)]


@pytest.mark.usefixtures("way")
def test_every_way_finds_reports_by_their_description_newest_first(world):
    analyst, lead, seen, assigned = world
    # Every report says "loods"; the lead sees the 13 of the team that are not sealed.
    team = Report.objects.filter(team=lead.team).exclude(status=Status.NO_ACTION)
    newest = list(team.order_by("-received_at", "-pk").values_list("pk", flat=True))
    assert len(newest) == 13
    reports, reasons = report_search.report_search(user=lead, query="loods", limit=20)
    assert [r.pk for r in reports] == newest
    assert {reason.field for r in reports for reason in reasons[r.pk]} == {"description"}


def test_the_page_asks_a_bounded_number_of_queries_when_many_match(
    world, monkeypatch, verified_client
):
    """A common name (more matches than FEW) and a window too small for the page: the
    queries stay the same in number however many reports match."""
    analyst, _lead, _seen, _assigned = world
    monkeypatch.setattr(report_search, "FEW", 0)
    monkeypatch.setattr(report_search, "WINDOW", 3)
    browser = verified_client(analyst)

    def count(query):
        with CaptureQueriesContext(connection) as queries:
            page = browser.get(reverse("subjects:search"), {"q": query})
        assert page.status_code == 200
        return len(queries), page.content.decode()

    count("piet jansen")  # the first search of the process also reads the name vocabulary
    before, page = count("piet jansen")
    assert "Jansen" in page
    for hours in range(20, 26):
        named_report(analyst.team, "Piet Jansen", hours)
    after, page = count("piet jansen")
    assert after == before <= 24
    # The same reports as when every match is looked up by id.
    shown = [r.pk for r in search.search(user=analyst, query="piet jansen").reports]
    monkeypatch.setattr(report_search, "FEW", HUGE)
    assert [r.pk for r in search.search(user=analyst, query="piet jansen").reports] == shown
    assert len(shown) == 10

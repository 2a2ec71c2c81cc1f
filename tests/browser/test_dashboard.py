"""The dashboard and the management view in a real browser: Chart.js draws every chart under
the strict CSP, each chart's figures open in a table, axe finds nothing, and the management
view shows no count below the threshold. Screenshots in test-artifacts/screenshots/."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.insights.management_figures import management_params
from baken.places.areas import DEMO_AREAS
from tests.browser.test_triage import _as
from tests.insights.figures_helpers import make_report

pytestmark = pytest.mark.django_db(transaction=True)


def _data(team, other):
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    statuses = ["received", "in_triage", "weighed", "no_action", "in_analysis"]
    channels = ["web"] * 6 + ["app", "phone", "email"]
    categories = ["drugs", "witwassen", "vastgoed", "mensenhandel", None]
    for i in range(160):
        make_report(
            team if i % 5 else other,
            days_ago=1 + (i * 37) % 340,
            status=statuses[i % 5],
            channel=channels[i % 9],
            category=categories[i % 5] if i % 23 else "wapenhandel",
            lat=52.945 if i % 3 else 52.97,
            lon=4.75,
            step_hours=24 + i % 72,
        )
    assert management_params()


def _charts_drawn(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart] canvas')]"
        ".every(c => window.Chart && Chart.getChart(c))"
    )
    return page.locator("[data-chart] canvas").count()


def test_dashboard_and_management_view(browser, live_server, make_user, axe_violations, screenshot):
    team, other = Team.objects.create(name="OOV Havenwaard"), Team.objects.create(name="Dorpen")
    _data(team, other)
    lead = make_user(role=Role.TEAM_LEAD, team=team)
    manager = make_user(role=Role.MANAGEMENT, team=None)

    context, page = _as(browser, live_server, lead)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/werkruimte/inzicht/?period=52")
    assert _charts_drawn(page) >= 9
    page.locator("details.figure__numbers summary").first.click()
    expect(page.locator("details.figure__numbers[open] table tbody tr")).to_have_count(52)
    assert axe_violations(page) == []
    screenshot(page, "dashboard-team-lead")
    screenshot(
        page,
        "dashboard-by-category",
        element=page.locator("#figure-by_category-title").locator(".."),
    )
    page.goto("/werkruimte/inzicht/?period=custom&start=2026-13-01&end=2026-01-01")
    assert page.locator("[role=alert]").count() >= 1
    page.goto("/werkruimte/inzicht/brandpunten?weeks=12")
    assert axe_violations(page) == []
    screenshot(page, "dashboard-hotspots")
    context.close()

    context, page = _as(browser, live_server, manager)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/werkruimte/inzicht/management")
    assert _charts_drawn(page) >= 9
    for summary in page.locator("details.figure__numbers summary").all():
        summary.click()
    assert axe_violations(page) == []
    screenshot(page, "management-view")
    screenshot(
        page,
        "management-by-channel",
        element=page.locator("#figure-by_channel-title").locator(".."),
    )
    # Every count shown is at least 5, "< 5" or "x"; averages (days) have a decimal comma.
    for title, cells in page.evaluate(
        "() => [...document.querySelectorAll('section.figure')].map(s => "
        "[s.querySelector('h2').textContent, "
        "[...s.querySelectorAll('td.numeric')].map(td => td.textContent.trim())])"
    ):
        for cell in cells:
            assert cell in ("< 5", "x", "—") or re.fullmatch(r"\d+,\d", cell) or int(cell) >= 5, (
                title,
                cell,
            )
    assert "< 5" in page.content().replace("&lt;", "<")
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()

"""The weekly overview in a real browser: a team lead finds it in the menu, reads the week of
their team with its chart and reports, subscribes to the e-mail and opens an earlier week;
management sees the same week as suppressed figures. Axe on every page."""

import pytest

from baken.core.roles import Role
from baken.insights import overview
from baken.insights.overview_week import Week
from baken.reports.models import Report
from tests.browser.test_triage import _as
from tests.insights.test_overview import demo_data  # noqa: F401 (the fixture "demo")

pytestmark = pytest.mark.django_db(transaction=True)


def test_reading_the_weekly_overview(
    browser, live_server, make_user, axe_violations, screenshot, demo
):
    for label in ("2026-W46", "2026-W47"):
        overview.overview_build(week=Week.parse(label))
    harbour = demo["OOV Havenwaard"]
    lead = make_user(role=Role.TEAM_LEAD, team=harbour, first_name="Lotte")
    week = Week.parse("2026-W47")
    first = (
        Report.objects.filter(team=harbour, received_at__gte=week.begins, received_at__lt=week.ends)
        .order_by("received_at", "pk")
        .first()
    )

    context, page = _as(browser, live_server, lead)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Weekoverzicht"
    ).click()
    page.get_by_role("heading", level=1).filter(has_text="2026-W47").wait_for()
    assert page.get_by_role("img", name="Nieuwe meldingen deze week per categorie").count() == 1
    assert page.get_by_role("link", name=first.reference).count() == 1
    assert page.get_by_role("columnheader", name="Gemiddelde, 4 weken").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "weekly-team-lead")

    page.get_by_role("button", name="Stuur het mij elke maandag").click()
    page.get_by_role("button", name="E-mail stoppen").wait_for()
    assert overview.is_subscribed(lead)
    page.get_by_role("link", name="2026-W46").click()
    page.get_by_role("heading", level=1).filter(has_text="2026-W46").wait_for()
    assert axe_violations(page) == []
    context.close()

    boss = make_user(role=Role.MANAGEMENT, team=None, first_name="Bram")
    context, page = _as(browser, live_server, boss)
    page.goto("/werkruimte/inzicht/weekoverzicht/2026-W47")
    page.get_by_text("Cijfers over alle teams, kleine aantallen verborgen.").first.wait_for()
    assert page.get_by_role("link", name=first.reference).count() == 0
    # Management: no counts per category and no means, so no chart and no table of them;
    # only the directions of what changed notably.
    assert page.get_by_role("img", name="Nieuwe meldingen deze week per categorie").count() == 0
    assert page.get_by_role("columnheader", name="Gemiddelde, 4 weken").count() == 0
    assert page.locator("#ov-trends").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "weekly-management")
    context.close()

"""The map and search pages in a real browser: Leaflet with clusters and heat draws under the
strict CSP without tiles, the search box finds a report, and axe finds nothing."""

import pytest
from django.core.management import call_command

from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS
from tests.browser.test_triage import _as
from tests.subjects.helpers import subject
from tests.subjects.test_areas import DORPEN, HAVENWAARD, located

pytestmark = pytest.mark.django_db(transaction=True)


def test_map_and_search(browser, live_server, make_user, axe_violations):
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    analyst = make_user(role=Role.ANALYST)
    report = located(analyst.team, *HAVENWAARD)
    located(analyst.team, *DORPEN)
    subject("Havenkade 1", "address", report=report, judge=analyst, lat=52.94, lon=4.74)

    context, page = _as(browser, live_server, analyst)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/werkruimte/betrokkenen/kaart")
    page.wait_for_selector("#map-tools:not([hidden])")
    assert page.locator("#map path.leaflet-interactive").count() >= 2  # the area outlines
    assert "2" in page.locator("#map-status").inner_text()
    page.check("#layer-heat")
    page.wait_for_selector("#map canvas.leaflet-heatmap-layer")
    assert axe_violations(page) == []

    page.goto("/werkruimte/")
    page.fill("#header-search", report.reference)
    page.click("form[role=search] button")
    page.wait_for_selector(f"text={report.reference}")
    assert axe_violations(page) == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()

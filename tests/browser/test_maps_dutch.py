"""Maps in Dutch (issue 12, item 15; WCAG 3.1.2 and 2.1.1): Leaflet's controls carry Dutch
names, a cluster of markers is a button named "14 meldingen", and on /melden the pin can be
placed with the keyboard alone and is sent with the report."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS
from baken.reports.models import Report
from tests.browser.conftest import ABSENT_TILES
from tests.browser.test_triage import _as
from tests.subjects.test_areas import HAVENWAARD, located

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_map_speaks_dutch_and_names_its_clusters(
    browser, live_server, make_user, axe_violations, screenshot, settings
):
    # Same-origin tiles that do not exist: the map draws without them, with its attribution.
    settings.MAP_TILE_URL = ABSENT_TILES + "{z}/{x}/{y}.png"
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    analyst = make_user(role=Role.ANALYST)
    for i in range(14):
        located(analyst.team, HAVENWAARD[0] + i * 0.00001, HAVENWAARD[1])
    context, page = _as(browser, live_server, analyst)
    page.goto("/werkruimte/betrokkenen/kaart")
    page.wait_for_selector("#map-tools:not([hidden])")
    map_ = page.locator("#map")
    assert map_.get_by_role("button", name="Inzoomen").count() == 1
    assert map_.get_by_role("button", name="Uitzoomen").count() == 1
    assert map_.get_by_role("button", name="Zoom in").count() == 0
    leaflet = map_.locator(".leaflet-control-attribution a[href='https://leafletjs.com']")
    assert leaflet.get_attribute("title") == "Een JavaScript-bibliotheek voor interactieve kaarten"
    cluster = map_.get_by_role("button", name="14 meldingen")
    assert cluster.count() == 1
    cluster.focus()
    screenshot(page, "map-dutch-cluster")
    assert axe_violations(page) == []
    context.close()


def _next(page):
    page.get_by_role("button", name="Volgende").click()


def test_the_pin_is_placed_with_the_keyboard_and_sent(page, axe_violations, screenshot):
    page.goto("/melden")
    page.get_by_label("Drugs").check()
    _next(page)
    page.get_by_label("Wat heeft u gezien?").fill("Busjes laden 's nachts bij de loods.")
    _next(page)
    map_ = page.locator("#map")
    assert map_.get_by_role("button", name="Inzoomen").count() == 1
    # Keyboard only: Tab until the map has focus, move it with the arrows, Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "map":
            break
    assert page.evaluate("document.activeElement.id") == "map"
    centre = page.evaluate("[document.getElementById('lat').value]")
    assert centre == [""]
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")  # while the map still moves: the pin goes where it stops
    expect(page.locator("#pin-status")).to_contain_text("Pin geplaatst")
    page.wait_for_timeout(500)
    # The pin's point is under the crosshair in the middle of the map.
    offset = page.evaluate(
        """() => {
          const map = document.getElementById('map');
          const box = map.getBoundingClientRect();
          const pin = map.querySelector('.leaflet-marker-icon').getBoundingClientRect();
          return [pin.left + pin.width / 2 - (box.left + map.clientLeft + map.clientWidth / 2),
                  pin.bottom - (box.top + map.clientTop + map.clientHeight / 2)];
        }"""
    )
    assert all(abs(d) <= 2 for d in offset), offset
    lat, lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert (lat, lon) != (52.37, 4.89)  # moved away from the starting centre
    screenshot(page, "melden-pin-keyboard")
    assert axe_violations(page) == []
    # The button does the same for whoever prefers it.
    assert page.get_by_role("button", name="Zet de pin in het midden van de kaart").is_visible()
    while not page.get_by_role("button", name="Melding versturen").is_visible():
        _next(page)
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_selector("[data-receipt-code]")
    report = Report.objects.get()
    assert (round(report.lat, 5), round(report.lon, 5)) == (round(lat, 5), round(lon, 5))

"""The demo's first "have we seen this before?" (issue 12, item 8): the analist searches a
name from the demo and finds reports (with why) and the registered subject, whose network
has something to explore."""

import pytest

from baken.accounts.models import User
from baken.demo.municipality import demo_load
from baken.demo.reports import demo_register
from baken.demo.subjects import demo_subjects
from baken.places.models import RegisteredAddress
from tests.factories import PASSWORD, current_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_analyst_finds_jan_and_his_network(
    page, settings, tmp_path, axe_violations, screenshot
):
    settings.VAR_DIR = tmp_path
    demo_load()
    RegisteredAddress.objects.bulk_create(demo_register(), batch_size=2000)
    demo_subjects()
    analyst = User.objects.get(username="analist")
    analyst.set_password(PASSWORD)
    analyst.save(update_fields=["password"])
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(analyst.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code:", exact=True).fill(current_code(analyst))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").wait_for()

    page.locator("#header-search").fill("berg")
    page.locator("#header-search").press("Enter")
    reports = page.get_by_role("table", name="Gevonden meldingen")
    reports.wait_for()
    assert reports.get_by_text("Naam: Jan van der Berg").count() >= 2
    assert reports.get_by_text("Naam: Berg Bouw & Sloop V.O.F.").count() >= 1
    assert page.get_by_role("link", name="Jan van der Berg").count() == 1
    screenshot(page, "search-demo")
    assert axe_violations(page) == []

    page.locator("#header-search").fill("vt123k")
    page.locator("#header-search").press("Enter")
    assert page.get_by_text("Kenteken: VT-123-K").count() >= 2

    page.goto(f"/werkruimte/betrokkenen/{_jan().pk}/netwerk")
    page.wait_for_selector("#network-graph canvas")
    assert page.locator("#network-nodes tbody tr").count() >= 5
    screenshot(page, "network-demo")
    assert axe_violations(page) == []

    # The shared address on its own page, its map in Dutch.
    page.goto(f"/werkruimte/betrokkenen/{_subject('Havenkade 14').pk}")
    page.locator("#subject-map .leaflet-control-zoom").wait_for()
    assert page.locator("#subject-map").get_by_role("button", name="Inzoomen").count() == 1
    screenshot(page, "subject-demo-address")
    assert axe_violations(page) == []


def _jan():
    return _subject("Jan van der Berg")


def _subject(name):
    from baken.subjects.models import Subject

    return Subject.objects.get(name__startswith=name)

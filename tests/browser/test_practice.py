"""Practising in a real browser (issue 17): an employee on a phone opens /melden, follows the
link to practise, answers a situation and reads why the team advises otherwise; the team lead
then sees that answer counted. Every page in Dutch and passing axe.

Screenshots: test-artifacts/screenshots/melden-oefenen.png and oefenen-tellingen.png (copied
to docs/screenshots/)."""

from importlib import import_module

import pytest
from django.apps import apps

from baken.core.roles import Role
from tests.browser.test_audit_log import _log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


def test_an_employee_practises_on_a_phone_and_the_team_lead_sees_the_count(
    browser, live_server, make_user, axe_violations, screenshot
):
    # A transactional test starts from a flushed database: the default scenarios again.
    import_module("baken.awareness.migrations.0002_default_scenarios").load(apps, None)
    phone = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(15_000)

    page.goto("/melden")
    page.get_by_role("link", name="Twijfelt u wat u kunt melden?").click()
    page.get_by_role("heading", name="Oefenen: zou u dit melden?", level=1).wait_for()
    page.get_by_role("heading", name="Situatie 1 van 10").wait_for()
    assert "horecavergunning" in page.locator(".practice-situation").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    screenshot(page, "melden-oefenen-vraag")

    # The second situation, chosen from the list per theme: a quarrel between neighbours.
    page.get_by_role("link", name="Situatie 2", exact=True).click()
    assert "buurman" in page.locator(".practice-situation").inner_text()
    page.get_by_role("button", name="Ja, ik zou dit melden").click()
    page.get_by_role("heading", name="Het advies van het team", level=1).wait_for()
    assert "U koos iets anders dan het team" in page.locator(".alert").inner_text()
    assert "Nee, ik zou dit niet melden" in page.locator(".practice-advice").inner_text()
    page.get_by_text("Verwijs de inwoner naar buurtbemiddeling").wait_for()
    page.get_by_role("heading", name="Signalen bij Intimidatie, afpersing en geweld").wait_for()
    assert page.get_by_role("link", name="Doe een melding").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    screenshot(page, "melden-oefenen")
    cookies = {cookie["name"] for cookie in phone.cookies()}
    assert cookies <= {"csrftoken"}, cookies  # nothing but what the CSRF check needs

    page.get_by_role("link", name="Volgende situatie").click()
    page.get_by_role("heading", name="Situatie 3 van 10").wait_for()
    phone.close()

    lead = make_user(role=Role.TEAM_LEAD, first_name="Lotte", last_name="Jansen")
    desk = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = desk.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, lead)
    page.goto("/werkruimte/bewustwording/oefenen")
    page.get_by_role("heading", name="Oefenen: hoe medewerkers antwoordden", level=1).wait_for()
    table = page.get_by_role("table", name="Oefenen: hoe medewerkers antwoordden")
    row = table.get_by_role("row").filter(has_text="buurman")
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells[1:] == ["Nee, ik zou dit niet melden", "1", "0", "0", "1", "0%"], cells
    assert axe_violations(page) == []
    screenshot(page, "oefenen-tellingen")
    desk.close()

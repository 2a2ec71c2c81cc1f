"""The privacy officer's registers in a real browser (issue 16): she opens *Verstrekkingen*
from the menu, asks who received data about one person, mistypes a name and gets a Dutch
error with what she typed kept, downloads the CSV, reads the register on a phone, and opens
the *Verwerkingsregister* and its PDF. Every page passes axe.

Screenshots: test-artifacts/screenshots/sharing-register.png, processing-register.png (copied
to docs/screenshots/)."""

import csv
import io
from pathlib import Path

import pytest

from baken.core.roles import Role
from tests.browser.test_audit_log import _log_in
from tests.privacy.test_sharing_register import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_officer_finds_who_received_data_about_a_person(
    browser, live_server, make_user, north, south, verified_client, axe_violations, screenshot
):
    world = build_world(make_user, north, south, verified_client)
    officer = make_user(
        role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder"
    )
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, officer)

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Verstrekkingen").click()
    page.get_by_role("heading", name="Verstrekkingen", level=1).wait_for()
    page.get_by_text("5 overdrachten en besluiten").wait_for()
    table = page.get_by_role("table", name="Verstrekkingen")
    assert table.get_by_role("row").count() == 6  # the header and five rows
    assert axe_violations(page) == []

    # A name that is not registered: a Dutch error at the field, what she typed stays.
    page.get_by_label("Over wie").fill("Karel Appel")
    page.get_by_label("Ontvanger:", exact=True).fill("politie")
    page.get_by_role("button", name="Zoeken").click()
    page.locator(".error-summary").wait_for()
    assert "Geen geregistreerde betrokkene" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Over wie").input_value() == "Karel Appel"
    assert page.get_by_label("Ontvanger:", exact=True).input_value() == "politie"
    assert axe_violations(page) == []

    # About whom: everything shared about Jan de Vries, from two cases' and a report's.
    page.get_by_label("Over wie").fill("Jan de Vries")
    page.get_by_label("Ontvanger:", exact=True).fill("")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_text("3 overdrachten en besluiten").wait_for()
    page.get_by_role("heading", name="Over 1 geregistreerde betrokkene").wait_for()
    rows = page.get_by_role("table", name="Verstrekkingen").inner_text()
    for recipient in ("Politie Noord-Holland", "RIEC Noord-Holland", "RIEC Zuid"):
        assert recipient in rows, recipient
    assert "Belastingdienst" not in rows and "Afdeling Vergunningen" not in rows
    assert axe_violations(page) == []
    screenshot(page, "sharing-register")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(lines) == 4 and {line[3] for line in lines[1:]} == {
        "Politie Noord-Holland",
        "RIEC Noord-Holland",
        "RIEC Zuid",
    }

    # On a phone: the page does not scroll sideways; the table scrolls in its own box.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.get_by_text("3 overdrachten en besluiten").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    screenshot(page, "sharing-register-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    menu.get_by_role("link", name="Verwerkingsregister").click()
    page.get_by_role("heading", name="Verwerkingsregister", level=1).wait_for()
    for heading in (
        "Verwerkingsverantwoordelijke en functionaris gegevensbescherming (a)",
        "Categorieën van persoonsgegevens (c)",
        "Ontvangers (d)",
        "Bewaartermijnen (f)",
        "Beveiligingsmaatregelen (g)",
    ):
        page.get_by_role("heading", name=heading).wait_for()
    recipients = page.get_by_role("table", name="Ontvangers in het verstrekkingenregister")
    recipients.get_by_role("cell", name="Politie Noord-Holland").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "processing-register")
    pdf = context.request.get("/registers/verwerkingsregister.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert world["police"].recipient == "Politie Noord-Holland"
    context.close()

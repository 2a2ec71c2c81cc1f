"""The material for a training in a real browser (issue 17): a team lead opens the page, sees
the previews of the poster, the pocket card, the slide and the intranet block, copies the
block's HTML with the button and downloads the poster. The page passes axe.

Screenshots: test-artifacts/screenshots/bewustwording-materiaal.png and poster.png (the
poster's page drawn at 60 dpi; both copied to docs/screenshots/)."""

from pathlib import Path

import pypdfium2
import pytest

from baken.core.roles import Role
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_audit_log import _log_in

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/werkruimte/bewustwording/materiaal"


def test_a_team_lead_takes_the_material_for_a_training(
    browser, live_server, make_user, settings, axe_violations, screenshot
):
    settings.MUNICIPALITY_NAME = "Gemeente Havenwaard"
    settings.MELDPUNT_SHORT_URL = "havenwaard.nl/melden"
    lead = make_user(role=Role.TEAM_LEAD, first_name="Ilse", last_name="de Boer")
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, lead)

    page.goto(PAGE)
    page.get_by_role("heading", name="Materiaal voor een training", level=1).wait_for()
    poster = page.get_by_role("group", name="Voorbeeld van de poster")
    assert "Zie je iets wat niet klopt? Meld het." in poster.inner_text()
    assert "havenwaard.nl/melden" in poster.inner_text()
    card = page.get_by_role("group", name="Voorbeeld van de zakkaart, voor- en achterkant")
    assert "Anoniem melden kan" in card.inner_text()
    slide = page.get_by_role("img", name="Dia met de signalen van ondermijning per thema")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 1920", arg=slide.element_handle()
    )
    frame = page.frame_locator("iframe[title='Voorbeeld van het intranetblok']")
    frame.get_by_role("link", name="Meld het op havenwaard.nl/melden").wait_for()
    assert axe_violations(page) == []

    # The copy button: the block's HTML on the clipboard, and the page says so.
    page.get_by_role("button", name="Kopieer de HTML").click()
    page.get_by_role("status").filter(has_text="Gekopieerd.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("HTML om te kopiëren").input_value()
    assert "havenwaard.nl/melden" in copied and "<script" not in copied
    screenshot(page, "bewustwording-materiaal")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download de poster (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    drawn = pypdfium2.PdfDocument(pdf)[0].render(scale=60 / 72).to_pil()
    drawn.save(SCREENSHOTS / "poster.png")
    context.close()

"""The access overview (inzage) in a real browser (issue 16): the privacy officer opens it from
the request page, withholds the hand-over to the police (first forgetting the ground), discloses
the rest, makes the overview to send and records how it went out. The page passes axe, fits a
phone's width, and never shows a reporter, the intake officer or the third party."""

import shutil
import subprocess

import pytest

from baken.rights.models import Document
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_audit_log import _log_in
from tests.rights.test_inzage import NEVER, world  # noqa: F401 (the data, made as users make it)

pytestmark = pytest.mark.django_db(transaction=True)


def _no_secrets(page, data) -> None:
    text = page.locator("main").inner_text().lower()
    for secret in [*NEVER, data["receipt"], data["named_receipt"]]:
        assert secret.lower() not in text, secret


def test_the_officer_decides_per_item_and_makes_the_overview(
    browser,
    live_server,
    world,  # noqa: F811 (the fixture imported above)
    axe_violations,
    screenshot,
):
    data = world
    request = data["request"]
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    _log_in(page, data["officer"])
    page.goto(f"/verzoeken/{request.pk}")
    page.get_by_role("link", name="Het inzageoverzicht openen").click()
    page.get_by_role("heading", name=f"Inzage {request.reference}").wait_for()
    _no_secrets(page, data)
    assert axe_violations(page) == []

    # Withheld without a ground: the summary names it, the choice stays.
    handover = page.locator("section.inzage-item", has_text="Gegevens gegeven aan Politie")
    handover.get_by_label("Niet verstrekken").check()
    handover.get_by_role("button", name="Besluit opslaan").click()
    page.locator(".error-summary").wait_for()
    assert "Kies de grond om het niet te verstrekken" in page.locator(".error-summary").inner_text()
    handover = page.locator("section.inzage-item", has_text="Gegevens gegeven aan Politie")
    assert handover.get_by_label("Niet verstrekken").is_checked()
    assert axe_violations(page) == []
    handover.get_by_label("Grond om niet te verstrekken").select_option(
        label="Opsporing en vervolging (UAVG art. 41 lid 1 sub c)"
    )
    handover.get_by_role("button", name="Besluit opslaan").click()
    page.get_by_text("Het besluit is opgeslagen.").wait_for()

    while (undecided := page.locator("section.inzage-item", has_text="Nog niet besloten")).count():
        item = undecided.first
        item.get_by_label("Verstrekken", exact=True).check()
        item.get_by_role("button", name="Besluit opslaan").click()
        page.get_by_text("Het besluit is opgeslagen.").wait_for()

    page.get_by_role("button", name="Overzicht maken om te versturen").click()
    page.get_by_text("is gemaakt en versleuteld bij het verzoek bewaard").wait_for()
    document = Document.objects.get(request=request)
    page.get_by_role("button", name="Versturen vastleggen").click()
    page.locator(".error-summary").wait_for()
    assert "Zeg hoe het is verstuurd" in page.locator(".error-summary").inner_text()
    page.get_by_label("Hoe is het verstuurd?").fill("Aangetekend per post naar het woonadres")
    page.get_by_role("button", name="Versturen vastleggen").click()
    page.get_by_text("Het versturen is vastgelegd.").wait_for()
    document.refresh_from_db()
    assert document.sent_how == "Aangetekend per post naar het woonadres"
    _no_secrets(page, data)
    assert axe_violations(page) == []
    screenshot(page, "rights-inzage")

    # A phone: nothing wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The overview as it goes out, as an image for the documentation (when poppler is here).
    with page.expect_download() as download:
        page.get_by_role("link", name=document.file_name).click()
    pdf = SCREENSHOTS / "rights-inzage.pdf"
    download.value.save_as(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                pdf,
                SCREENSHOTS / "rights-inzage-pdf",
            ],
            check=True,
        )
    pdf.unlink()
    context.close()

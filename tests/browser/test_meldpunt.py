"""The reporting point on a phone: named and anonymous, a photo, the receipt, follow-up,
and a report written offline that is sent exactly once when the connection returns."""

import io

import pytest
from PIL import Image

from baken.reports.models import Attachment, Message, Report

pytestmark = pytest.mark.django_db(transaction=True)


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _next(page):
    page.get_by_role("button", name="Volgende").click()


def _fill_until_identity(page, axe_violations, description, category="Drugs", photo=None):
    page.goto("/melden")
    assert axe_violations(page) == []
    page.get_by_label(category).check()
    _next(page)
    page.get_by_label("Wat heeft u gezien?").fill(description)
    assert axe_violations(page) == []
    _next(page)
    page.get_by_label("Postcode").fill("1781 ab")
    page.get_by_label("Huisnummer").fill("12")
    page.locator("#map").click(position={"x": 120, "y": 90})
    assert "Pin geplaatst" in page.locator("#pin-status").inner_text()
    assert axe_violations(page) == []
    _next(page)
    page.get_by_label("Kenteken").fill("ab123c")
    assert axe_violations(page) == []
    _next(page)
    if photo:
        page.get_by_label("Foto's of pdf-bestanden toevoegen").set_input_files(photo)
    assert axe_violations(page) == []
    _next(page)
    assert axe_violations(page) == []


def _jpeg(path):
    image = Image.new("RGB", (80, 60), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 57.0, 31.0), 3: "E", 4: (4.0, 45.0, 37.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return str(path)


def test_anonymous_report_with_photo_then_follow_up(phone, axe_violations, screenshot, tmp_path):
    page = phone
    _fill_until_identity(
        page,
        axe_violations,
        "Sterke hennepgeur bij de loods, ramen afgeplakt.",
        photo=_jpeg(tmp_path / "loods.jpg"),
    )
    screenshot(page, "melden-identity")
    page.get_by_role("button", name="Melding versturen").click()
    code = page.locator("[data-receipt-code]").inner_text()
    assert len(code.replace("-", "")) == 20
    # Shown only now: no link above the code leads the reporter away before they saved it.
    assert page.locator("[data-before-report]").first.is_hidden()
    assert axe_violations(page) == []
    screenshot(page, "melden-receipt")
    report = Report.objects.get()
    assert report.is_anonymous and report.lat is not None and report.postcode == "1781AB"
    assert Attachment.objects.get().report == report

    page.get_by_label("Ik heb mijn ontvangstcode bewaard").check()
    page.get_by_role("button", name="Klaar").click()
    page.get_by_label("Ontvangstcode").fill(code.lower())
    page.get_by_role("button", name="Toon mijn melding").click()
    assert report.reference in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Een vraag beantwoorden of iets aanvullen").fill(
        "Het gaat om de loods achter nr. 12."
    )
    page.get_by_role("button", name="Bericht versturen").click()
    page.get_by_text("Uw bericht is naar het team gestuurd").wait_for()
    screenshot(page, "melden-followup")
    assert Message.objects.get(report=report).text == "Het gaat om de loods achter nr. 12."
    assert code not in page.url


def test_named_report(phone, axe_violations):
    page = phone
    _fill_until_identity(
        page,
        axe_violations,
        "Winkel zonder klanten, eigenaar wisselt steeds.",
        category="Malafide bedrijven",
    )
    page.get_by_label("Met mijn naam").check()
    page.get_by_label("Uw naam").fill("Ilse de Handhaver")
    page.get_by_label("E-mailadres").fill("ilse@havenwaard.example")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Melding versturen").click()
    page.locator("[data-receipt-code]").wait_for()
    report = Report.objects.get()
    assert not report.is_anonymous and report.category.code == "malafide-bedrijven"


def test_server_side_errors_keep_what_was_typed(phone):
    page = phone
    page.goto("/melden")
    _next(page)
    page.get_by_label("Wat heeft u gezien?").fill("kort")
    _next(page)  # the page refuses to go on
    assert page.get_by_label("Wat heeft u gezien?").get_attribute("aria-invalid") == "true"
    page.get_by_label("Wat heeft u gezien?").fill("Lang genoeg om te versturen.")
    _next(page)
    _next(page)
    page.get_by_label("BSN").fill("123456789")
    _next(page)
    _next(page)
    page.get_by_role("button", name="Melding versturen").click()
    page.locator(".error-summary").get_by_text("elfproef").wait_for()
    assert page.get_by_label("BSN").input_value() == "123456789"
    assert Report.objects.count() == 0


def test_a_character_that_cannot_be_stored_is_named_at_its_field(phone):
    """A NUL (pasted from a binary file, put in by an extension) is refused by the input
    guard before the form is read; the page's script names the field and keeps the text."""
    page = phone
    page.goto("/melden")
    _next(page)
    field = page.get_by_label("Wat heeft u gezien?")
    field.fill("Lang genoeg om te versturen.")
    field.evaluate("el => { el.value = el.value + '\\u0000'; }")
    _next(page)
    _next(page)
    _next(page)
    _next(page)
    page.get_by_role("button", name="Melding versturen").click()
    page.locator(".error-summary").get_by_text("nulteken").wait_for()
    assert field.input_value().startswith("Lang genoeg om te versturen.")
    assert field.get_attribute("aria-invalid") == "true"
    assert Report.objects.count() == 0


def test_offline_report_is_sent_once_when_back_online(phone, screenshot):
    page = phone
    page.goto("/melden")
    _next(page)
    page.get_by_label("Wat heeft u gezien?").fill("Busjes die 's nachts lossen bij de schuur.")
    for _ in range(4):
        _next(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_text("op dit apparaat bewaard").wait_for()
    screenshot(page, "melden-offline")
    assert Report.objects.count() == 0
    page.context.set_offline(False)
    page.locator("[data-receipt-code]").wait_for()
    page.locator("#outbox").get_by_text("Uw melding is verstuurd").wait_for()
    page.evaluate(
        "window.dispatchEvent(new Event('online'))"
    )  # a second 'online' sends nothing more
    page.wait_for_timeout(500)
    assert Report.objects.count() == 1

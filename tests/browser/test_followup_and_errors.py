"""Where a reporter or a team member would notice it: the follow-up answer moves the status
and every message has its moment, a photo is added later, the team sees the deadline of a
question and may decide without the answer, error summaries take focus and lead to their
field, and without JavaScript the address is looked up on the server."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from baken.accounts.models import Team
from baken.core.dates import long
from baken.core.roles import Role
from baken.places.models import RegisteredAddress
from baken.reports.models import Attachment, Message, Report, StatusChange
from baken.reports.weighing import question_ask, triage_start
from baken.reports.workflow import Status
from tests.browser.test_triage import _as

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Sterke hennepgeur bij de loods aan de Havenweg, ramen afgeplakt."


def _filed_and_asked(make_user):
    """A report through the public API, routed to no team, and a question to its reporter."""
    body = Client().post("/api/v1/reports", {"description": TEXT}, content_type="application/json")
    report = Report.objects.get(pk=body.json()["id"])
    team = Team.objects.create(name="Havenwaard")
    Report.objects.filter(pk=report.pk).update(team=team)
    analyst = make_user(role=Role.ANALYST, team=team, first_name="Ahmed")
    triage_start(report=report, actor=analyst)
    question_ask(report=report, actor=analyst, text="Sinds wanneer zijn de ramen afgeplakt?")
    return Report.objects.get(pk=report.pk), body.json()["receipt_code"], analyst


def _jpeg(path):
    image = Image.new("RGB", (80, 60), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 57.0, 31.0), 3: "E", 4: (4.0, 45.0, 37.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return str(path)


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def test_follow_up_answer_moves_the_status_shows_moments_and_takes_a_photo_later(
    page, make_user, axe_violations, screenshot, tmp_path
):
    report, code, _analyst = _filed_and_asked(make_user)
    page.goto("/melden/opvolgen")
    page.get_by_label("Ontvangstcode").fill(code)
    page.get_by_role("button", name="Toon mijn melding").click()
    status = page.locator(".public-status")
    assert "We hebben een vraag voor u" in status.inner_text()
    question = Message.objects.get(report=report)
    assert long(question.sent_at) in page.locator(".dialogue").inner_text()

    page.get_by_label("Een vraag beantwoorden of iets aanvullen").fill("Sinds maart.")
    page.get_by_role("button", name="Bericht versturen").click()
    page.get_by_text("Uw bericht is naar het team gestuurd").wait_for()
    assert "Uw melding wordt beoordeeld" in status.inner_text()
    for message in Message.objects.filter(report=report):
        assert long(message.sent_at) in page.locator(".dialogue").inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Foto's of pdf-bestanden toevoegen").set_input_files(
        _jpeg(tmp_path / "ramen.jpg")
    )
    page.get_by_role("button", name="Bericht versturen").click()
    page.get_by_text("Verstuurd naar het team, met 1 foto of bestand").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "melden-followup-answered")
    added = Attachment.objects.get(report=report)
    assert added.added_later


def test_team_sees_the_deadline_decides_without_the_answer_and_the_answer_arrived(
    browser, live_server, make_user, axe_violations, screenshot
):
    report, _code, analyst = _filed_and_asked(make_user)
    asked_at = StatusChange.objects.get(report=report, to_status=Status.AWAITING_REPORTER).at
    context, page = _as(browser, live_server, analyst)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    due = long(asked_at + timedelta(days=14))
    page.get_by_text(f"antwoord verwacht vóór {due}").wait_for()
    assert page.get_by_label("Waarom besluit u zonder het antwoord van de melder?").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "werkruimte-wacht-op-melder")

    # Deciding without the answer: refused without saying why, then recorded.
    _answer_mandatory_criteria(live_server, analyst, report)
    page.reload()
    page.get_by_label("Geen actie").check()
    page.get_by_label("Onderbouwing").fill("Geen aanwijzingen voor ondermijning.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    expect(page.locator(".error-summary")).to_be_focused()
    summary.get_by_role("link", name="Zeg waarom u besluit zonder het antwoord").click()
    assert _focused(page) == "id_without_answer"
    assert axe_violations(page) == []
    screenshot(page, "werkruimte-besluit-zonder-antwoord", page.locator("#weging"))
    page.get_by_label("Waarom besluit u zonder het antwoord van de melder?").fill(
        "De melder reageert niet en de melding is zonder antwoord duidelijk genoeg."
    )
    page.get_by_label("Onderbouwing").fill("Geen aanwijzingen voor ondermijning.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Het besluit is vastgelegd").wait_for()
    context.close()
    assert Report.objects.get(pk=report.pk).status == Status.NO_ACTION


def _answer_mandatory_criteria(live_server, analyst, report) -> None:
    """Through the public API, as a team's own tool would."""
    from baken.reports.models import Criterion
    from tests.api.test_triage_api import auth

    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        answered = Client().post(
            f"/api/v1/reports/{report.pk}/criteria",
            {"criterion": code, "choice": "ja", "motivation": "Zie melding."},
            content_type="application/json",
            **auth(analyst),
        )
        assert answered.status_code == 200


def test_a_report_nobody_answered_is_back_in_the_inbox_marked(
    browser, live_server, make_user, screenshot
):
    from baken.reports.tasks import reporter_answer_overdue

    report, _code, analyst = _filed_and_asked(make_user)
    StatusChange.objects.filter(report=report, to_status=Status.AWAITING_REPORTER).update(
        at=timezone.now() - timedelta(days=15)
    )
    reporter_answer_overdue.call()
    context, page = _as(browser, live_server, analyst)
    page.goto("/werkruimte/")
    row = page.get_by_role("row").filter(has_text=report.reference)
    assert "Geen antwoord van de melder binnen 14 dagen" in row.inner_text()
    screenshot(page, "werkruimte-inbox-geen-antwoord")
    context.close()


def test_meldpunt_error_summary_takes_focus_and_leads_to_the_bsn(page, axe_violations, screenshot):
    page.goto("/melden")
    for _step in range(3):
        if _step == 1:
            page.get_by_label("Wat heeft u gezien?").fill(TEXT)
        page.get_by_role("button", name="Volgende").click()
    page.get_by_label("BSN").fill("123456789")
    for _step in range(2):
        page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Melding versturen").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Dit BSN klopt niet" in summary.inner_text()
    expect(page.locator(".error-summary")).to_be_focused()
    assert axe_violations(page) == []
    screenshot(page, "melden-foutoverzicht")
    summary.get_by_role("link").first.click()
    assert _focused(page) == "f-person-0-bsn"
    assert page.get_by_label("BSN").is_visible()
    assert page.get_by_label("BSN").get_attribute("aria-invalid") == "true"
    assert not Report.objects.exists()


def test_follow_up_wrong_code_summary_takes_focus_and_leads_to_the_field(page, axe_violations):
    page.goto("/melden/opvolgen")
    page.get_by_label("Ontvangstcode").fill("AAAA-BBBB-CCCC-DDDD-EEEE")
    page.get_by_role("button", name="Toon mijn melding").click()
    page.locator(".error-summary").wait_for()
    expect(page.locator(".error-summary")).to_be_focused()
    assert axe_violations(page) == []
    page.locator(".error-summary").get_by_role("link").click()
    assert _focused(page) == "receipt_code"
    field = page.get_by_label("Ontvangstcode")
    assert "receipt_code-error" in field.get_attribute("aria-describedby")


def test_without_javascript_the_address_is_looked_up_on_the_server(
    browser, live_server, axe_violations, screenshot
):
    RegisteredAddress.objects.create(
        postcode="1781AB", house_number=12, street="Havenweg", city="Havenwaard"
    )
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/melden")
    page.get_by_label("Wat heeft u gezien?").fill(TEXT)
    page.get_by_label("Postcode").fill("1781 ab")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_role("button", name="Zoek adres").click()
    page.get_by_text("Gevonden in de adresregistratie: Havenweg 12, Havenwaard.").wait_for()
    assert page.get_by_label("Straat").input_value() == "Havenweg"
    assert page.get_by_label("Woonplaats").input_value() == "Havenwaard"
    assert page.get_by_label("Wat heeft u gezien?").input_value() == TEXT
    screenshot(page, "melden-zonder-javascript-adres")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_text("Uw melding is verstuurd").first.wait_for()
    assert Report.objects.get().postcode == "1781AB"
    context.close()


def test_a_huge_paste_names_the_limit_and_keeps_the_text(page):
    # Ten megabytes in a field: each step takes seconds on a quiet machine (6.6–7.9 s for the
    # whole test), so the default 10 s per action failed once in CI under load.
    page.set_default_timeout(30_000)
    page.goto("/melden")
    page.get_by_role("button", name="Volgende").click()
    field = page.get_by_label("Wat heeft u gezien?")
    field.evaluate("(el, n) => { el.value = 'x'.repeat(n); }", 10 * 1024 * 1024)
    for _step in range(4):
        page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Melding versturen").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Uw tekst is te lang: ten hoogste 10000 tekens" in summary.inner_text()
    assert page.locator("#outbox").is_hidden()  # no "try again in a moment"
    summary.get_by_role("link").click()
    assert _focused(page) == "f-description"
    assert len(field.input_value()) == 10 * 1024 * 1024  # nothing lost
    assert not Report.objects.exists()


def test_login_error_summary_takes_focus_and_leads_to_the_field(page, axe_violations):
    page.goto("/inloggen")
    page.get_by_role("button", name="Volgende").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    expect(page.locator(".error-summary")).to_be_focused()
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()
    assert _focused(page) == "id_username"


def test_correcting_a_report_with_a_bad_bsn_leads_to_the_field(
    browser, live_server, make_user, axe_violations
):
    report, _code, analyst = _filed_and_asked(make_user)
    context, page = _as(browser, live_server, analyst)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    page.locator("summary", has_text="Controleren, aanvullen, verbeteren").click()
    page.locator("#id_new_kind").select_option(value="person")
    page.locator("#id_new_name").fill("J. Jansen")
    page.locator("#id_new_bsn").fill("123456789")
    page.get_by_label("Waarom deze wijziging?").fill("Naam van de wijkagent gekregen.")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Dit BSN klopt niet" in summary.inner_text()
    expect(page.locator(".error-summary")).to_be_focused()
    summary.get_by_role("link", name="Dit BSN klopt niet").click()
    assert _focused(page) == "id_new_bsn"
    assert page.locator("#id_new_bsn").input_value() == "123456789"
    assert axe_violations(page) == []
    context.close()


def test_a_paste_longer_than_the_field_says_it_was_cut(page):
    page.goto("/melden")
    page.get_by_role("button", name="Volgende").click()
    field = page.get_by_label("Wat heeft u gezien?")
    field.focus()
    field.evaluate(
        """(el) => { const data = new DataTransfer(); data.setData('text/plain', 'x'.repeat(20000));
        el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true})); }"""
    )
    message = page.locator("#f-description-jserror")
    assert message.inner_text() == (
        "Uw tekst is te lang: ten hoogste 10000 tekens. Alleen het begin is geplakt."
    )
    assert "f-description-jserror" in field.get_attribute("aria-describedby")

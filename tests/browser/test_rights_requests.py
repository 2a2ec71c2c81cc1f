"""Verzoeken van betrokkenen in a real browser (issue 16): the privacy officer registers a
request (a mistake first), searches for the person everywhere, confirms what is about her and
rejects what is not (without leaving the search), extends the deadline, adds a note and
decides. Every page passes axe, and works at a phone's width."""

from pathlib import Path

import pytest

from baken.rights.models import Hit, Request, RequestState
from tests.browser.test_audit_log import _log_in
from tests.rights.helpers import BSN, NAME, person_everywhere

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_register_search_confirm_and_decide(browser, live_server, make_user, axe_violations):
    person = person_everywhere(make_user)
    officer = person.officer
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, officer)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Verzoeken van betrokkenen"
    ).click()
    page.get_by_role("heading", name="Verzoeken van betrokkenen").wait_for()
    assert person.request.reference in page.get_by_role("table").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Nieuw verzoek").click()
    page.get_by_label("Inzage (AVG art. 15)").check()
    page.get_by_label("Naam van de verzoeker").fill(NAME)
    page.get_by_label("Geboortedatum").fill("1968-09-21")
    page.get_by_label("Wat wordt gevraagd").fill("Wil weten wat de gemeente over haar vastlegt.")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    page.locator(".error-summary").wait_for()  # how her identity was checked is missing
    assert page.get_by_label("Naam van de verzoeker").input_value() == NAME
    assert axe_violations(page) == []
    page.get_by_label("Hoe de identiteit is gecontroleerd").fill("Paspoort getoond aan de balie")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    page.get_by_text("is vastgelegd; het antwoord moet er uiterlijk").wait_for()
    request = Request.objects.order_by("-pk").first()
    assert request is not None and request.pk != person.request.pk
    assert axe_violations(page) == []

    # The search starts with her name and date of birth; she gave her BSN too.
    search = page.get_by_role("region", name="De persoon overal zoeken")
    assert search.get_by_label("Naam").input_value() == NAME
    search.get_by_label("BSN").fill(BSN)
    search.get_by_role("button", name="Zoeken").click()
    page.get_by_role("heading", name="Geregistreerde betrokkenen (1)").wait_for()
    assert "afgeschermd" in page.locator("#findings").inner_text()
    assert axe_violations(page) == []
    subject_item = page.locator(f"#item-subject-{person.subject.pk}")
    subject_item.get_by_role("button", name="Is de persoon").click()
    subject_item.get_by_text("bevestigd: is de persoon").wait_for()
    confirmed = page.get_by_role("region", name="Bevestigd: over de verzoeker")
    confirmed.get_by_text(f"Persoon {NAME} (#{person.subject.pk})").wait_for()
    sealed_item = page.locator(f"#item-report-{person.sealed.pk}")
    sealed_item.get_by_role("button", name="Gaat over de persoon").click()
    sealed_item.get_by_text("bevestigd: gaat over de persoon").wait_for()
    described = page.locator(f"#item-report-{person.described.pk}")
    described.locator("summary").click()  # rejecting asks why, folded away until then
    described.get_by_label("Waarom niet (niet verplicht)").fill(
        "Een naamgenoot: de eigenaar van de loods."
    )
    described.get_by_role("button", name="Gaat niet over de persoon").click()
    described.get_by_text("afgewezen: gaat niet over de persoon").wait_for()
    assert set(Hit.objects.filter(request=request).values_list("object_id", flat=True)) == {
        person.subject.pk,
        person.sealed.pk,
    }
    assert axe_violations(page) == []
    page.locator("#findings").screenshot(path=DOCS / "rights-search.png")

    page.get_by_text("Termijn verlengen").click()
    page.get_by_label("Reden voor de verlenging").fill("Gegevens in meerdere casussen.")
    page.get_by_role("button", name="Met twee maanden verlengen").click()
    page.get_by_text("De termijn is verlengd tot").wait_for()
    page.get_by_label("Notitie").fill("Verzoeker gebeld: overzicht volgt per post.")
    page.get_by_role("button", name="Notitie toevoegen").click()
    page.get_by_text("De notitie is toegevoegd.").wait_for()
    page.get_by_label("Deels toegewezen").check()
    page.get_by_label("Onderbouwing").fill(
        "Overzicht verstrekt; de afgeschermde melding niet (UAVG art. 41, lid 1, onder c)."
    )
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Het besluit over het verzoek is vastgelegd.").wait_for()
    request.refresh_from_db()
    assert request.state == RequestState.DECIDED and request.outcome == "partly"
    assert axe_violations(page) == []
    page.screenshot(path=DOCS / "rights-request.png", full_page=True)
    # On a phone nothing sticks out sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto("/verzoeken/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()

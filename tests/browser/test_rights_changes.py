"""Carrying out a request in a real browser (issue 16, part C): the privacy officer corrects
the person's registration (a mistake first: no reason), restricts a report while its
correctness is checked, records that the recipient of the case's hand-over was told, and
removes a report on a request for removal. Every page passes axe and works at a phone's
width."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from baken.reports.models import Report
from baken.rights import services
from baken.subjects.models import Subject
from tests.browser.test_audit_log import _log_in
from tests.rights.helpers import BIRTH, NAME, person_everywhere

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _request(officer, kind: str):
    return services.request_register(
        actor=officer,
        kind=kind,
        requester_name=NAME,
        requester_birth_date=date.fromisoformat(BIRTH),
        requester_address="Kerkstraat 14, 1781 AB Den Helder",
        identity_verified="Paspoort getoond aan de balie",
        description="Haar naam is veranderd; een melding over haar klopt niet.",
        received_on=timezone.localdate(),
    )


def test_correct_restrict_tell_and_remove(browser, live_server, make_user, axe_violations):
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "rectification")
    subject_hit = services.hit_confirm(
        actor=officer, pk=request.pk, kind="subject", object_id=person.subject.pk
    )
    report_hit = services.hit_confirm(
        actor=officer, pk=request.pk, kind="report", object_id=person.registered.pk
    )
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, officer)
    page.goto(f"/verzoeken/{request.pk}")
    panel = page.get_by_role("region", name="Corrigeren, verwijderen, beperken")
    panel.wait_for()
    assert axe_violations(page) == []

    # The registration: a new name, first without a reason.
    panel.locator(f"#change-{subject_hit.pk}").get_by_role("link", name="Corrigeren").click()
    page.get_by_role("heading", name=f"Betrokkene #{person.subject.pk} corrigeren").wait_for()
    page.get_by_label("Naam").fill("Geertruida Wolfswinkel-Bos")
    page.get_by_role("button", name="Correctie opslaan").click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_label("Naam").input_value() == "Geertruida Wolfswinkel-Bos"
    assert axe_violations(page) == []
    page.get_by_label("Reden").fill("Naam na huwelijk, volgens de BRP.")
    page.get_by_role("button", name="Correctie opslaan").click()
    page.get_by_text(f"#{person.subject.pk} is gecorrigeerd.").wait_for()
    assert Subject.objects.get(pk=person.subject.pk).name == "Geertruida Wolfswinkel-Bos"

    # The report is restricted while its correctness is checked; the tax office had it.
    row = panel.locator(f"#change-{report_hit.pk}")
    row.locator("summary", has_text="Beperken").click()
    row.get_by_role("button", name="Beperking bevestigen").click()
    page.get_by_text("is beperkt: niemand ziet dit meer").wait_for()
    assert Report.objects.get(pk=person.registered.pk).restricted_for == request.reference
    tell = panel.get_by_role("table", name="Vertel het de ontvangers van eerdere overdrachten")
    tell.get_by_role("cell", name="Belastingdienst").first.wait_for()
    tell.get_by_role("button", name="Vastleggen dat het verteld is").first.click()
    page.get_by_text("Vastgelegd: Belastingdienst is ingelicht.").wait_for()
    panel.get_by_text("Verteld op").first.wait_for()
    # Told once: the button is gone for that recipient and item.
    assert tell.get_by_role("button", name="Vastleggen dat het verteld is").count() == (
        tell.get_by_role("row").count() - 2
    )
    assert axe_violations(page) == []
    panel.screenshot(path=DOCS / "rights-changes.png")

    # On a phone nothing sticks out sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    # A request for removal: the report that only named her goes, with a statement.
    erasure = _request(officer, "erasure")
    services.hit_confirm(actor=officer, pk=erasure.pk, kind="report", object_id=person.described.pk)
    page.goto(f"/verzoeken/{erasure.pk}")
    panel = page.get_by_role("region", name="Corrigeren, verwijderen, beperken")
    panel.get_by_role("button", name="Definitief verwijderen").click()
    page.locator(".error-summary").wait_for()  # nothing chosen, nothing confirmed
    assert axe_violations(page) == []
    page.get_by_label(person.described.reference, exact=False).check()
    page.get_by_label("Ik begrijp dat wat ik heb gekozen definitief wordt vernietigd").check()
    page.get_by_role("button", name="Definitief verwijderen").click()
    page.get_by_text("Definitief verwijderd.").wait_for()
    assert not Report.objects.filter(pk=person.described.pk).exists()
    page.get_by_role("link", name="Lees de verklaring van vernietiging.").click()
    page.get_by_text(f"Verwijderd op verzoek {erasure.reference}").wait_for()
    assert person.described.reference in page.content()
    assert axe_violations(page) == []
    context.close()

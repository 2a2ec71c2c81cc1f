"""In Chromium: an intake officer corrects a report that has a time (it used to answer 500),
sees the change in Dutch local time in the version history, and opens the named reporter's
contact details with a reason."""

import pytest

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports.models import Report, ReportVersion
from tests.browser.test_login import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_intake_corrects_a_timed_report_and_reaches_its_reporter(
    page, make_user, axe_violations, screenshot
):
    # The reporter sends the report through the public API, with a time and a name.
    sent = page.request.post(
        "/api/v1/reports",
        data={
            "category": "drugs",
            "description": "Hennepgeur bij de loods aan de Havenweg, ramen afgeplakt.",
            "observed_at": {"start": "2026-11-28T22:30:00+01:00"},
            "location": {"address": {"postcode": "1781AB", "house_number": 12}},
            "subjects": [
                {"type": "vehicle", "license_plate": "VT-123-K"},
                {"type": "person", "name": "Jan van der Berg", "birth_date": "1980-04-02"},
                {"type": "address", "address": {"postcode": "1781AB", "house_number": 14}},
            ],
            "reporter": {
                "anonymous": False,
                "name": "Els de Vries",
                "email": "els@example.nl",
                "phone": "0612345678",
            },
        },
    )
    assert sent.status == 201, sent.text()
    north = Team.objects.create(name="Havenwaard Noord")
    report = Report.objects.get(pk=sent.json()["id"])
    Report.objects.filter(pk=report.pk).update(team=north)
    intake = make_user(role=Role.INTAKE, team=north, first_name="Ilse")

    _log_in(page, intake)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    working = page.get_by_role("region", name="Werkversie (versie 0)")
    assert "28 november 2026 22:30" in working.inner_text()

    page.locator("summary", has_text="Controleren, aanvullen, verbeteren").click()
    remove = page.locator("#verbeteren").get_by_label("Persoon: Jan van der Berg 2 april 1980")
    assert not remove.is_checked()
    screenshot(page, "report-correction-form", element=page.locator("#verbeteren"))
    assert page.get_by_label("Waargenomen vanaf").input_value() == "2026-11-28T22:30"
    page.get_by_label("Waargenomen vanaf").fill("2026-11-28T23:15")
    page.get_by_label("Omschrijving").fill(
        "Hennepgeur bij de loods aan de Havenweg 12, ramen afgeplakt, 's nachts busjes."
    )
    page.get_by_label("Waarom deze wijziging?").fill("Tijd nagevraagd bij de wijkagent.")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    page.get_by_text("Opgeslagen als versie 1").wait_for()

    version = ReportVersion.objects.get(report=report)
    assert version.changed == ["description", "observed_at"]
    history = page.get_by_role("region", name="Versies")
    text = history.inner_text()
    assert "Wanneer\n28 november 2026 22:30 23:15" in text and "2026-11-28T" not in text
    assert "23:15" in history.locator(".diff ins").all_inner_texts()
    assert "22:30" in history.locator(".diff del").all_inner_texts()
    assert (
        "28 november 2026 23:15"
        in page.get_by_role("region", name="Werkversie (versie 1)").inner_text()
    )
    assert axe_violations(page) == []
    screenshot(page, "report-corrected-with-time")

    # The reporter's contact: a reason first, then one click.
    contact = page.get_by_role("region", name="Contactgegevens van de melder")
    contact.get_by_role("button", name="Contactgegevens tonen").click()
    contact.get_by_text(
        "Geef aan waarom u de contactgegevens van de melder opent."
    ).first.wait_for()
    assert axe_violations(page) == []
    screenshot(page, "report-contact-needs-a-reason", element=contact)
    contact.get_by_label("Reden").fill("Vragen welke loods zij bedoelt.")
    contact.get_by_role("button", name="Contactgegevens tonen").click()
    contact.get_by_text("els@example.nl").wait_for()
    assert "Els de Vries" in contact.inner_text() and "+31612345678" in contact.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "report-contact-opened", element=contact)
    reveal = AuditEntry.objects.get(action="report.contact_reveal")
    assert reveal.detail == {"reason": "Vragen welke loods zij bedoelt."}
    assert reveal.actor_id == intake.pk

"""Awareness trainings in a real browser (issue 17): a team lead opens *Bewustwording* from
the menu, registers the training she gave, first forgetting the departments and typing 0
participants (Dutch errors, what she typed kept), then correctly; the home lists it with the
trainings registered earlier over the API, a planned one apart. Every page passes axe.

Screenshot: test-artifacts/screenshots/bewustwording.png (copied to docs/screenshots/)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from baken.core.roles import Role
from baken.reports.models import Department, DepartmentSize
from tests.api.test_triage_api import auth
from tests.browser.test_audit_log import _log_in

pytestmark = pytest.mark.django_db(transaction=True)

DEPARTMENTS = [
    ("burgerzaken", "Burgerzaken", DepartmentSize.LARGE),
    ("vergunningen", "Vergunningen", DepartmentSize.SMALL),
    ("handhaving", "Handhaving", DepartmentSize.LARGE),
    ("sociaal-domein", "Sociaal domein", DepartmentSize.LARGE),
]


def _earlier(user) -> None:
    """Two trainings registered over the API, as a colleague's script would, and one planned."""
    headers = auth(user)
    today = timezone.localdate()
    for days, title, codes, count, kind in [
        (-120, "E-learning ondermijning", ["burgerzaken", "sociaal-domein"], 64, "e_learning"),
        (-45, "Wat zie je op straat?", ["handhaving"], 23, "in_person"),
        (21, "Teamoverleg Sociaal domein", ["sociaal-domein"], 15, "team_meeting"),
    ]:
        made = Client().post(
            "/api/v1/trainings",
            {
                "held_on": (today + timedelta(days=days)).isoformat(),
                "title": title,
                "departments": codes,
                "participants": count,
                "format": kind,
                "trainer": "Ahmed El Amrani",
            },
            content_type="application/json",
            **headers,
        )
        assert made.status_code == 201, made.content


def test_a_team_lead_registers_a_training(
    browser, live_server, make_user, axe_violations, screenshot
):
    for position, (code, name, size) in enumerate(DEPARTMENTS):
        Department.objects.create(code=code, name=name, size=size, position=position)
    lead = make_user(role=Role.TEAM_LEAD, first_name="Tom", last_name="van den Berg")
    _earlier(make_user(role=Role.ANALYST, first_name="Ahmed", last_name="El Amrani"))
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, lead)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Bewustwording"
    ).click()
    page.get_by_role("heading", name="Bewustwording", level=1).wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Training registreren").click()
    page.get_by_role("heading", name="Training registreren", level=1).wait_for()
    assert axe_violations(page) == []

    # Forgetting the departments and typing 0: Dutch errors, the rest kept.
    page.get_by_label("Datum").fill("2026-11-12")
    page.get_by_label("Titel").fill("Signalen aan de balie")
    page.get_by_label("Aantal deelnemers").fill("0")
    page.get_by_label("Bijeenkomst op locatie").check()
    page.get_by_label("Trainer").fill("Tom van den Berg")
    page.get_by_role("button", name="Training registreren").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "Kies ten minste één afdeling." in text
    assert "Geef het aantal deelnemers: ten minste 1." in text
    assert page.get_by_label("Titel").input_value() == "Signalen aan de balie"
    assert page.get_by_label("Trainer").input_value() == "Tom van den Berg"
    assert page.get_by_label("Bijeenkomst op locatie").is_checked()
    assert axe_violations(page) == []
    screenshot(page, "bewustwording-training-fouten")

    page.get_by_label("Burgerzaken").check()
    page.get_by_label("Vergunningen").check()
    page.get_by_label("Aantal deelnemers").fill("18")
    page.get_by_role("button", name="Training registreren").click()
    page.get_by_text("De training van 12 november 2026 is geregistreerd.").wait_for()
    given = page.get_by_role("table", name="Gegeven trainingen")
    row = given.get_by_role("row", name="12 november 2026")
    for text in ("Signalen aan de balie", "Burgerzaken, Vergunningen", "18", "Tom van den Berg"):
        assert text in row.inner_text(), text
    assert given.get_by_role("row").count() == 4  # the header and three trainings
    planned = page.get_by_role("table", name="Gepland")
    assert "Teamoverleg Sociaal domein" in planned.inner_text()
    page.get_by_text("3 trainingen, 105 deelnemers in totaal.").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "bewustwording")

    # On a phone: the page does not scroll sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    context.close()

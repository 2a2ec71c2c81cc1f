"""The functional administrator keeps the departments in a real browser (issue 17): she opens
*Afdelingen* from the menu, adds the small department Vergunningen, sees its code made from
the name, is told in Dutch that a second 'vergunningen' exists already (what she typed kept),
and reads on a department that reports name that it can only be switched off. Every page
passes axe.

Screenshot: test-artifacts/screenshots/afdelingen.png (copied to docs/screenshots/)."""

import pytest

from baken.core.roles import Role
from baken.reports.models import Department, DepartmentSize, Report
from tests.browser.test_audit_log import _log_in
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_adds_a_small_department(page, make_user, axe_violations, screenshot):
    for position, name in enumerate(("Burgerzaken", "Handhaving", "Sociaal Domein"), start=1):
        Department.objects.create(code=name.lower().replace(" ", "-"), name=name, position=position)
    Department.objects.create(
        code="bibob-bureau", name="Bibob-bureau", size=DepartmentSize.SMALL, position=9
    )
    burgerzaken = Department.objects.get(code="burgerzaken")
    report = file_report()
    Report.objects.filter(pk=report.pk).update(department=burgerzaken)
    admin = make_user(role=Role.ADMIN, team=None, first_name="Fenna", last_name="Bakker")
    page.set_default_timeout(30_000)
    _log_in(page, admin)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Afdelingen").click()
    page.get_by_role("heading", name="Afdelingen", level=1).wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Nieuwe afdeling").click()
    page.get_by_role("heading", name="Nieuwe afdeling", level=1).wait_for()
    page.get_by_label("Naam").fill("Vergunningen")
    page.get_by_label("Klein: minder dan 25 medewerkers").check()
    page.get_by_label("Volgorde").fill("4")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De afdeling is opgeslagen.").wait_for()
    row = page.get_by_role("row").filter(has_text="Vergunningen")
    assert "vergunningen" in row.inner_text() and "klein" in row.inner_text()
    assert Department.objects.get(code="vergunningen").size == DepartmentSize.SMALL
    assert axe_violations(page) == []
    screenshot(page, "afdelingen")

    # The same name again, in lower case: a Dutch error at the field, what she typed kept.
    page.get_by_role("link", name="Nieuwe afdeling").click()
    page.get_by_label("Naam").fill("vergunningen")
    page.get_by_label("Klein: minder dan 25 medewerkers").check()
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".error-summary").wait_for()
    assert "Er is al een afdeling met deze naam." in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Naam").input_value() == "vergunningen"
    assert page.get_by_label("Klein: minder dan 25 medewerkers").is_checked()
    assert axe_violations(page) == []
    assert Department.objects.filter(name__iexact="vergunningen").count() == 1

    # A department that reports name: no removing, only switching off.
    page.get_by_role("link", name="Alle afdelingen").click()
    page.get_by_role("link", name="Burgerzaken").click()
    page.get_by_text("dus u kunt haar niet verwijderen").wait_for()
    assert page.get_by_role("button", name="Deze afdeling verwijderen").count() == 0
    assert "burgerzaken" in page.locator("main").inner_text()
    assert axe_violations(page) == []

"""The privacy officer reads the audit log: names, Dutch labels, one read per report page
view, and the object type chosen from a list (issue 12, item 7)."""

import pytest

from baken.audit.services import Target, audit_record
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Report
from baken.reports.validation import check_report
from tests.factories import PASSWORD, current_code

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, user):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code:", exact=True).fill(current_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").wait_for()


def test_privacy_officer_reads_names_and_dutch_labels(
    page, browser, live_server, make_user, axe_violations, screenshot
):
    analyst = make_user(
        role=Role.ANALYST, first_name="Ann", last_name="de Vries", username="avries"
    )
    payload = {"description": "Hennepgeur bij de schuur achter Dorpsstraat 3.", "category": "drugs"}
    report = intake_services.report_submit(checked=check_report(payload), actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    audit_record(actor=analyst, action="case.read", target=Target("cases.case", "12"))

    # The analyst opens the report page once: its panels load, one read is logged.
    context = browser.new_context(base_url=live_server.url)
    analyst_page = context.new_page()
    _log_in(analyst_page, analyst)
    analyst_page.goto(f"/werkruimte/meldingen/{report.pk}")
    analyst_page.get_by_role("heading", name="Gerelateerde meldingen", exact=True).wait_for()
    analyst_page.wait_for_load_state("networkidle")
    context.close()

    officer = make_user(
        role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder"
    )
    _log_in(page, officer)
    page.goto("/auditlog")
    page.get_by_label("Soort object").select_option(label="Melding")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**object_type=reports.report**")

    rows = page.locator("#results tbody tr")
    reads = rows.filter(has_text="Melding bekeken")
    assert reads.count() == 1
    text = reads.first.inner_text()
    assert "Ann de Vries (avries)" in text and "Analist" in text
    assert f"Melding {report.pk}" in text and "Getoonde onderdelen:" in text
    assert "report.read" not in page.locator("#results").inner_text()
    assert page.get_by_role("link", name="Download als CSV").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "audit-log")

    page.get_by_label("Soort object").select_option(label="Casus")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**object_type=cases.case**")
    page.get_by_role("link", name="Casus 12").wait_for()
    assert axe_violations(page) == []

"""Bewaren en vernietigen in a real browser (issue 15): the functional administrator proposes
a longer period, the privacy officer approves it, places a legal hold by reference, and reads
the statement of destruction of the night's run. Every page passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.privacy import retention
from baken.privacy.models import LegalHold, RetentionRule, RuleKind, RuleState
from baken.reports.models import Report
from baken.reports.validation import check_report
from tests.browser.test_audit_log import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_rules_approval_hold_and_statement(
    browser, live_server, make_user, axe_violations, screenshot
):
    admin = make_user(role=Role.ADMIN, team=None, first_name="Femke", last_name="Bakker")
    officer = make_user(
        role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder"
    )
    payload = {"description": "Hennepgeur bij de schuur achter Dorpsstraat 3.", "category": "drugs"}
    report = intake_services.report_submit(checked=check_report(payload), actor=SYSTEM).report

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    _log_in(page, admin)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Bewaren en vernietigen"
    ).click()
    page.get_by_role("heading", name="Geldende regels").wait_for()
    # A mistake first: no reason given. The summary names it; what was typed stays.
    page.get_by_label("Soort gegevens").select_option(label="Afgesloten casus")
    page.get_by_label("Bewaartermijn").fill("7")
    page.get_by_label("Eenheid").select_option(label="jaar")
    page.get_by_label("Wettelijke grondslag").fill("Archiefwet; selectielijst gemeenten 2020")
    page.get_by_role("button", name="Voorstellen").click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_label("Wettelijke grondslag").input_value() == (
        "Archiefwet; selectielijst gemeenten 2020"
    )
    assert axe_violations(page) == []
    page.get_by_label("Waarom deze wijziging").fill("De selectielijst vraagt zeven jaar.")
    page.get_by_role("button", name="Voorstellen").click()
    page.get_by_text("De wijziging is voorgesteld").wait_for()
    # A shorter period for cases closed without grounds for an intervention: a rule of its own.
    page.get_by_label("Soort gegevens").select_option(label="Afgesloten casus")
    page.get_by_label("Bewaartermijn").fill("2")
    page.get_by_label("Eenheid").select_option(label="jaar")
    page.get_by_label("Wettelijke grondslag").fill("Privacyprotocol, bijlage bewaartermijnen")
    page.get_by_label("Waarom deze wijziging").fill("Zonder grond voor interventie korter.")
    page.get_by_label("Alleen voor dit resultaat").select_option(
        label="Geen grond voor een interventie"
    )
    page.get_by_role("button", name="Voorstellen").click()
    page.get_by_text("De wijziging is voorgesteld").wait_for()
    heading = "Afgesloten casus (resultaat geen-grond): 2 jaar"
    assert page.get_by_role("heading", name=heading).count()
    screenshot(page, "bewaren-voorstel")
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    _log_in(page, officer)
    page.goto("/bewaren/")
    proposal = page.locator("section.card", has_text="De selectielijst vraagt zeven jaar.")
    proposal.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("De regel geldt nu.").wait_for()
    rule = RetentionRule.objects.get(
        kind=RuleKind.CASE_CLOSED, state=RuleState.IN_FORCE, case_result=""
    )
    assert (rule.version, rule.period_amount) == (2, 7)
    scoped = page.locator("section.card", has_text="Zonder grond voor interventie korter.")
    scoped.get_by_role("button", name="Goedkeuren").click()
    page.get_by_text("De regel geldt nu.").wait_for()
    rules = page.get_by_role("table", name="Geldende regels")
    rules.get_by_role("cell", name="Afgesloten casus (resultaat geen-grond)").wait_for()
    rules.get_by_role("cell", name="Afgesloten casus", exact=True).wait_for()

    page.get_by_label("Kenmerk van de melding of casus").fill(report.reference)
    page.get_by_label("Reden").select_option(label="Woo-verzoek (openbaarheid van bestuur)")
    page.get_by_label("Toelichting:", exact=True).fill("Woo-verzoek 2026-114")
    until = timezone.localdate() + timedelta(days=90)
    page.get_by_label("Tot en met").fill(until.isoformat())
    page.get_by_role("button", name="Bewaarplicht instellen").click()
    page.get_by_text("De bewaarplicht is ingesteld.").wait_for()
    assert LegalHold.objects.filter(report=report).exists()
    assert axe_violations(page) == []
    screenshot(page, "bewaren-privacyfunctionaris")

    Report.objects.filter(pk=report.pk).update(received_at=timezone.now() - timedelta(days=200))
    retention.run()
    page.goto("/bewaren/")
    page.get_by_role("link", name="Verklaring van vernietiging").first.click()
    page.get_by_role("heading", name="Verklaring van vernietiging").wait_for()
    assert "Melding nooit gewogen" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "bewaren-verklaring")
    context.close()

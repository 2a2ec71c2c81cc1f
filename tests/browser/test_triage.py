"""A report walked through triage in a real browser: the intake officer improves it and asks
the anonymous reporter a question, the reporter answers on the follow-up page, the analyst
weighs it (a decision refused while a mandatory criterion is open) and decides, and the team
lead finds it in the inbox."""

import pytest

from baken.accounts.models import Team
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Category, Criterion, Report, RoutingRule
from baken.reports.validation import check_report
from baken.reports.workflow import Status
from tests.browser.test_login import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _as(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, user)
    return context, page


def _answer(page, code, motivation, choice="ja"):
    """Answer one criterion in the weighing form (saved with the form's one button)."""
    page.locator(f"#choice-{code}").get_by_label(choice, exact=True).check()
    page.locator(f"#motivation-{code}").fill(motivation)


def test_a_report_from_arrival_to_decision(
    browser, live_server, make_user, axe_violations, screenshot
):
    north = Team.objects.create(name="Havenwaard Noord")
    RoutingRule.objects.create(
        position=1, name="Drugs naar Noord", category=Category.objects.get(code="drugs"), team=north
    )
    checked = check_report(
        {
            "category": "drugs",
            "description": "Sterke hennepgeur bij de loods aan de Havenweg, ramen afgeplakt.",
            "location": {"address": {"postcode": "1781AB", "house_number": 12}},
        }
    )
    submitted = intake_services.report_submit(checked=checked, actor=SYSTEM)
    report = submitted.report
    assert report.team == north  # routed on arrival

    # The intake officer checks and improves it, and asks the reporter a question.
    intake = make_user(role=Role.INTAKE, team=north, first_name="Ilse")
    context, page = _as(browser, live_server, intake)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inbox").click()
    page.get_by_role("link", name=report.reference).wait_for()
    assert axe_violations(page) == []
    screenshot(page, "werkruimte-inbox")
    page.get_by_role("link", name=report.reference).click()
    page.locator("summary", has_text="Controleren, aanvullen, verbeteren").click()
    page.get_by_label("Omschrijving").fill(
        "Sterke hennepgeur bij de loods aan de Havenweg 12, ramen afgeplakt, 's nachts busjes."
    )
    page.get_by_label("Waarom deze wijziging?").fill("Aangevuld na telefoontje met de wijkagent.")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    page.get_by_text("Opgeslagen als versie 1").wait_for()
    assert "12," in page.locator(".diff ins").first.inner_text()
    original = page.get_by_role("region", name="Het origineel van de melder")
    assert "Havenweg, ramen afgeplakt." in original.inner_text()
    page.get_by_label("Vraag aan de melder").fill("Weet u sinds wanneer de ramen zijn afgeplakt?")
    page.get_by_role("button", name="Vraag versturen").click()
    page.get_by_text("De vraag is verstuurd").wait_for()
    assert axe_violations(page) == []
    context.close()
    assert Report.objects.get(pk=report.pk).status == Status.AWAITING_REPORTER

    # The anonymous reporter answers with the receipt code.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    reporter = context.new_page()
    reporter.goto("/melden/opvolgen")
    reporter.get_by_label("Ontvangstcode").fill(submitted.receipt_code)
    reporter.get_by_role("button", name="Toon mijn melding").click()
    reporter.get_by_text("Weet u sinds wanneer de ramen zijn afgeplakt?").wait_for()
    reporter.get_by_label("Een vraag beantwoorden of iets aanvullen").fill("Sinds maart.")
    reporter.get_by_role("button", name="Bericht versturen").click()
    reporter.get_by_text("Uw bericht is naar het team gestuurd").wait_for()
    context.close()
    assert Report.objects.get(pk=report.pk).status == Status.IN_TRIAGE

    # The analyst weighs: a decision is refused while mandatory criteria are open.
    analyst = make_user(role=Role.ANALYST, team=north, first_name="Ahmed")
    context, page = _as(browser, live_server, analyst)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    page.get_by_text("Sinds maart.").wait_for()
    _answer(page, "verankering", "Een concreet pand aan de Havenweg.")
    page.get_by_role("button", name="Weging opslaan").click()
    page.get_by_text("1 antwoord is opgeslagen").wait_for()
    page.get_by_label("Verdere analyse").check()
    page.get_by_label("Onderbouwing").fill("Past in het beeld van hennepteelt in de haven.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    alert = page.get_by_role("status").filter(has_text="verplichte criteria")
    assert "Is er ten minste één signalerende indicator?" in alert.inner_text()
    screenshot(page, "werkruimte-weging")
    for criterion in Criterion.objects.filter(mandatory=True).exclude(code="verankering"):
        _answer(page, criterion.code, "Zie de melding en het antwoord van de melder.")
    page.get_by_role("button", name="Weging opslaan").click()
    page.get_by_text("antwoorden zijn opgeslagen").wait_for()
    page.get_by_label("Verdere analyse").check()
    page.get_by_label("Onderbouwing").fill("Past in het beeld van hennepteelt in de haven.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Het besluit is vastgelegd").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "werkruimte-melding")
    context.close()
    assert Report.objects.get(pk=report.pk).status == Status.IN_ANALYSIS

    # The team lead finds it among the team's reports in analysis and hands it to the analyst.
    lead = make_user(role=Role.TEAM_LEAD, team=north, first_name="Tara")
    context, page = _as(browser, live_server, lead)
    page.goto("/werkruimte/?status=in_analysis")
    page.get_by_role("link", name=report.reference).click()
    page.get_by_text("Past in het beeld van hennepteelt in de haven.").first.wait_for()
    page.get_by_label("Persoon").select_option(label=analyst.get_full_name())
    page.get_by_role("button", name="Toewijzen").click()
    page.get_by_text("De toewijzing is opgeslagen").wait_for()
    assert axe_violations(page) == []
    context.close()
    assert Report.objects.get(pk=report.pk).assignee == analyst

"""Issue 12, items 9 and 12 in a real browser: the analyst weighs every criterion in one save
with no page reload and then decides, and intake reads why the decision is not theirs; the
functional administrator sees a new routing rule's place and which reports it would take as
the form changes, and the rule lands above the catch-all rules."""

import pytest
from playwright.sync_api import expect

from baken.accounts.models import Team
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports import routing
from baken.reports.models import Criterion, Report, RoutingRule
from baken.reports.validation import check_report
from baken.reports.workflow import Status
from tests.browser.test_login import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _report(postcode="1781AB", category="drugs") -> Report:
    checked = check_report(
        {
            "category": category,
            "description": "Sterke hennepgeur bij de loods aan de Havenweg, ramen afgeplakt.",
            "location": {"address": {"postcode": postcode, "house_number": 12}},
        }
    )
    return intake_services.report_submit(checked=checked, actor=SYSTEM).report


def test_the_analyst_weighs_in_one_save_without_a_reload_and_decides(
    page, make_user, axe_violations, screenshot
):
    north = Team.objects.create(name="Havenwaard")
    report = _report()
    Report.objects.filter(pk=report.pk).update(team=north)

    intake = make_user(role=Role.INTAKE, team=north, first_name="Ilse")
    _log_in(page, intake)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    page.get_by_text("Het besluit neemt de analist of teamleider van het team").wait_for()
    assert page.locator("#weighing-form").count() == 0
    page.get_by_role("button", name="Uitloggen").click()

    analyst = make_user(role=Role.ANALYST, team=north, first_name="Ahmed")
    _log_in(page, analyst)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    mandatory = list(Criterion.objects.filter(is_active=True, mandatory=True))
    weging = page.locator("#weging")
    assert weging.get_by_text("Verplicht — nog niet beantwoord").count() == len(mandatory)
    page.evaluate("window.stillTheSamePage = true")

    # A mistake first: one motivation left out. Nothing saved, the summary takes focus.
    for criterion in mandatory:
        page.locator(f"#choice-{criterion.code}").get_by_label("ja", exact=True).check()
        page.locator(f"#motivation-{criterion.code}").fill(f"Zie de melding ({criterion.code}).")
    forgotten = mandatory[-1]
    page.locator(f"#motivation-{forgotten.code}").fill("")
    page.get_by_role("button", name="Weging opslaan").click()
    summary = page.locator(".error-summary")
    # Focus moves once htmx has settled the swapped panel, a moment after the summary appears.
    expect(summary).to_be_focused()
    assert forgotten.question in summary.inner_text()
    first = mandatory[0]
    assert (
        page.locator(f"#motivation-{first.code}").input_value() == f"Zie de melding ({first.code})."
    )
    assert axe_violations(page) == []
    screenshot(page, "werkruimte-weging-fout", element=weging)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == f"motivation-{forgotten.code}"

    page.locator(f"#motivation-{forgotten.code}").fill("Het antwoord van de melder.")
    page.get_by_role("button", name="Weging opslaan").click()
    page.get_by_text(f"{len(mandatory)} antwoorden zijn opgeslagen.").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True  # no page load happened
    assert weging.get_by_text("Verplicht — nog niet beantwoord").count() == 0
    assert axe_violations(page) == []
    screenshot(page, "werkruimte-weging-een-formulier", element=page.locator("#weging"))

    page.get_by_label("Verdere analyse").check()
    page.get_by_label("Onderbouwing").fill("Past in het beeld van hennepteelt in de haven.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text("Het besluit is vastgelegd").wait_for()
    assert Report.objects.get(pk=report.pk).status == Status.IN_ANALYSIS


def test_a_new_rule_shows_its_place_and_the_reports_it_would_take(
    page, make_user, axe_violations, screenshot
):
    haven, dorpen = Team.objects.create(name="Havenwaard"), Team.objects.create(name="Dorpen")
    Team.objects.create(name="Ondermijning")
    admin = make_user(role=Role.ADMIN, team=None, first_name="Fenna")
    routing.routing_rule_create(
        actor=admin, name="Havenwaard: postcodes 178x", postcode_prefix="178", team=haven
    )
    routing.routing_rule_create(
        actor=admin, name="Dorpen: postcodes 179x", postcode_prefix="179", team=dorpen
    )
    for postcode in ("1781AB", "1782AB", "1791AB"):
        _report(postcode)
    _report("1783AB", category="mensenhandel")

    _log_in(page, admin)
    page.goto("/werkruimte/routering/nieuw")
    preview = page.locator("#rule-preview")
    page.get_by_label("Naam").fill("Drugs naar Ondermijning")
    page.get_by_label("Categorie").select_option(label="Drugs")
    page.get_by_label("Team").select_option(label="Ondermijning")
    page.get_by_text("Deze regel zou 3 van de laatste 4 meldingen nemen.").wait_for()
    assert "Plaats in de volgorde: 1 van 3." in preview.inner_text()
    assert "Havenwaard (2)" in preview.inner_text() and "Dorpen (1)" in preview.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "werkruimte-routeringsregel-voorbeeld")

    # Chosen at the bottom, the catch-alls take its reports first, and the preview says so.
    page.get_by_label("Onderaan: geprobeerd na alle andere regels").check()
    page.get_by_text("Deze regel zou 0 van de laatste 4 meldingen nemen.").wait_for()
    assert "Havenwaard: postcodes 178x: 2" in preview.inner_text()
    page.get_by_label("Boven de vangnetregels (aanbevolen)").check()
    page.get_by_text("Deze regel zou 3 van de laatste 4 meldingen nemen.").wait_for()
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De routeringsregel is opgeslagen").wait_for()
    assert list(RoutingRule.objects.order_by("position").values_list("name", flat=True))[0] == (
        "Drugs naar Ondermijning"
    )

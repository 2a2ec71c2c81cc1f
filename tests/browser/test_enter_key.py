"""Enter in a text field does what the form is for: on the Meldpunt it sends the report
(without JavaScript) or goes to the next step (with it), never "Zoek adres"; on the routing
rule form it saves the rule, never "Voorbeeld". A browser presses a form's first submit
button in the page's order, so each form starts with a hidden copy of its main button."""

import pytest

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.reports.models import Report, RoutingRule
from tests.browser.test_login import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_enter_in_a_meldpunt_field_sends_the_report_without_javascript(no_js_page):
    page = no_js_page
    page.goto("/melden")
    page.get_by_label("Wat heeft u gezien?").fill("Elke nacht busjes bij de loods, ramen dicht.")
    page.get_by_label("Postcode").fill("1781 AB")
    page.get_by_label("Postcode").press("Enter")
    page.get_by_text("Uw ontvangstcode").wait_for()
    assert Report.objects.count() == 1


def test_enter_in_a_meldpunt_field_goes_to_the_next_step(page, axe_violations):
    page.goto("/melden")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Wat heeft u gezien?").fill("Elke nacht busjes bij de loods, ramen dicht.")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Postcode").fill("1781 AB")
    page.get_by_label("Postcode").press("Enter")
    page.get_by_text("Stap 4 van 6").wait_for()
    assert page.get_by_label("Kenteken").is_visible()
    assert Report.objects.count() == 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False])
def test_enter_in_the_routing_rule_form_saves_the_rule(browser, live_server, make_user, javascript):
    team = Team.objects.create(name="Havenwaard")
    admin = make_user(role=Role.ADMIN, team=None)
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    _log_in(page, admin)
    page.goto("/werkruimte/routering/nieuw")
    page.get_by_label("Team").select_option(label=team.name)
    page.get_by_label("Naam").fill("Havenwaard: postcodes 178x")
    page.get_by_label("Naam").press("Enter")
    page.get_by_text("De routeringsregel is opgeslagen").wait_for()
    assert RoutingRule.objects.filter(name="Havenwaard: postcodes 178x").exists()
    context.close()

"""The network page in a real browser: Cytoscape draws under the strict CSP, a node expands
from the text alternative, the path and PNG export work, and axe finds nothing."""

import pytest

from baken.core.roles import Role
from tests.browser.test_triage import _as
from tests.subjects.helpers import relation, subject, team_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_network_page(browser, live_server, make_user, axe_violations):
    analyst = make_user(role=Role.ANALYST)
    report = team_report(analyst.team)
    jan = subject("Jan de Vries", report=report, judge=analyst)
    company = subject("Schuur B.V.", "organisation", report=report, judge=analyst)
    car = subject("12-AB-CD", "vehicle", report=report, judge=analyst)
    relation(jan, company, "director_of", by=analyst)
    relation(company, car, "uses_vehicle", by=analyst)

    context, page = _as(browser, live_server, analyst)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"/werkruimte/betrokkenen/{jan.pk}/netwerk")
    page.wait_for_selector("#network-graph canvas")
    page.locator(f"#network-nodes [data-expand='{company.pk}']").click()
    page.wait_for_selector(f"#network-nodes tr[data-node='{car.pk}']")
    page.select_option("#path-from", str(jan.pk))
    page.select_option("#path-to", str(car.pk))
    page.click("#path-show")
    assert "12-AB-CD" in page.locator("#network-status").inner_text()
    page.click("#network-png")
    assert page.get_attribute("#network-download", "href").startswith("data:image/png")
    assert axe_violations(page) == []
    page.goto(f"/werkruimte/betrokkenen/{jan.pk}/relaties")
    page.select_option("select[name=kind]", "uses_vehicle")
    page.select_option("select[name=other]", str(car.pk))
    page.fill("input[name=source_registry]", "RDW")
    page.click("form[action$='toevoegen'] button[type=submit]")
    page.wait_for_selector(f"#relations-{jan.pk} .alert--success")
    assert axe_violations(page) == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()

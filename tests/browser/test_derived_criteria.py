"""Criteria backed by facts in a real browser (issue 12, item 5): the intervention stage says
what is still missing instead of offering "ja", and once an intervention is recorded on the
page the criterion reads "Afgeleid: 1 interventie vastgelegd." and the case can close; the
functional administrator marks a criterion derived in the case type editor. axe on each."""

import pytest
from playwright.sync_api import expect

from baken.accounts.models import Team
from baken.cases import services
from baken.cases.models import CaseTypeVersion, Fact
from baken.core.roles import Role
from tests.browser.test_triage import _as
from tests.cases.test_cases import answer_all, open_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_derived_criterion_follows_the_records(
    browser, live_server, make_user, axe_violations, screenshot
):
    north = Team.objects.create(name="Havenwaard Noord")
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    case = open_case(north, lead, title="Loods Havenweg")
    for _stage in range(2):
        answer_all(case, lead)
        case = services.case_advance(case=case, actor=lead, rationale="Volgende fase.")

    context, page = _as(browser, live_server, lead)
    page.goto(f"/werkruimte/casussen/{case.pk}")
    criterion = page.locator("#fase .criterion").filter(has_text="Zijn de interventies")
    expect(criterion).to_contain_text("Nog niet: er is geen interventie vastgelegd.")
    expect(criterion.locator("input[type=radio]")).to_have_count(0)  # nobody says "ja"
    expect(page.locator("#fase [role=status]")).to_contain_text("Zijn de interventies")
    assert axe_violations(page) == []
    screenshot(page, "derived-criterion-open", element=page.locator("#fase"))

    page.select_option("#kind", label="Sluiting (art. 13b Opiumwet) — Opiumwet art. 13b")
    page.fill("#start", "2026-11-02")
    with page.expect_navigation():
        page.get_by_role("button", name="Interventie vastleggen").click()
    page.goto(f"/werkruimte/casussen/{case.pk}")
    expect(criterion).to_contain_text("Afgeleid: 1 interventie vastgelegd.")
    expect(page.locator("#fase [role=status]")).to_have_count(0)  # nothing left to move on
    screenshot(page, "derived-criterion-met", element=page.locator("#fase"))
    context.close()

    admin = make_user(role=Role.ADMIN, team=None)
    context, page = _as(browser, live_server, admin)
    current = services.current_version()
    page.goto("/werkruimte/casussen/typen")
    with page.expect_navigation():
        page.get_by_role("button", name="Nieuwe versie").first.click()
    draft = CaseTypeVersion.objects.get(number=current.number + 1)
    form = page.locator("form").filter(has_text="Is afgesproken hoe de situatie gevolgd wordt?")
    form.get_by_label("Beantwoord door").select_option(Fact.HANDOVER_REGISTERED.value)
    with page.expect_navigation():
        form.get_by_role("button", name="Opslaan").click()
    monitoring = draft.stages.get(code="interventie").criteria.get(code="monitoring")
    assert monitoring.fact == Fact.HANDOVER_REGISTERED
    assert axe_violations(page) == []
    screenshot(page, "derived-criterion-editor", element=form)
    context.close()

"""No unbounded lists on the work pages, in a real browser (issue 18): a team lead whose team
has many running cases adds a report to one by searching it (at most 20 shown), with htmx and
without JavaScript, and adds a colleague of another team to the case by searching the name.
axe on every page; screenshots of the search panels."""

import pytest
from playwright.sync_api import expect

from baken.accounts.models import Team
from baken.cases.models import CaseMember
from baken.core.roles import Role
from tests.browser.test_login import _log_in
from tests.cases.test_case_join_search import many_cases
from tests.cases.test_cases import in_analysis, open_case

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in(browser, live_server, user, **options):
    """A page signed in as `user`; the first page of a cold server (on a busy machine) may
    take longer than the 10 s every later step gets."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    page = context.new_page()
    page.set_default_timeout(30_000)
    _log_in(page, user)
    page.set_default_timeout(10_000)
    return context, page


def test_a_report_joins_one_of_many_cases_by_search_and_a_colleague_is_found_by_name(
    browser, live_server, make_user, axe_violations, screenshot
):
    north = Team.objects.create(name="Havenwaard Noord")
    south = Team.objects.create(name="Havenwaard Zuid")
    lead = make_user(role=Role.TEAM_LEAD, team=north, first_name="Tara", last_name="Teamleider")
    wanted = open_case(north, lead, title="Loods Havenweg")
    many_cases(wanted, 30, title="Loods Kade")
    colleague = make_user(role=Role.CASE_HANDLER, team=south, first_name="Bram", last_name="Bakker")
    for i in range(25):
        make_user(role=Role.ANALYST, team=south, first_name="Anna", last_name=f"Zuid{i:02d}")
    report = in_analysis(north)

    context, page = _signed_in(browser, live_server, lead)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    page.locator("#casus-toevoegen summary").click()
    search = page.get_by_role("searchbox", name="Zoek een lopende casus op casusnummer of titel")
    # Ticked among the suggestions, then a search: the case stays ticked, once.
    page.locator("#join-suggested").get_by_label(wanted.reference).check()
    search.fill("loods")
    page.get_by_text("Meer dan 20 lopende casussen passen bij").wait_for()
    expect(page.locator(f'#casus-toevoegen input[value="{wanted.pk}"]:checked')).to_have_count(1)
    assert page.locator("#join-found input[type=radio]").count() == 20
    search.fill(wanted.reference.lower())
    expect(page.locator("#join-found input[type=radio]")).to_have_count(1)
    # Suggested too (the lead opened it), it left the suggestions: one choice, not two.
    expect(page.locator(f'#casus-toevoegen input[value="{wanted.pk}"]')).to_have_count(1)
    page.locator("#join-found").get_by_label(wanted.reference).check()
    assert axe_violations(page) == []
    screenshot(page, "melding-toevoegen-aan-casus-zoeken", page.locator("#casus-toevoegen"))
    page.get_by_label("Waarom deze casus").fill("Zelfde loods, nieuwe signalen.")
    page.get_by_role("button", name="Aan de casus toevoegen").click()
    page.get_by_role("heading", name="Loods Havenweg").wait_for()
    assert wanted.reports.filter(pk=report.pk).exists()

    # On the case page: a colleague of another team, searched by name (not a list of all).
    assert page.locator("#id_user option").count() <= 21
    assert "Bram Bakker" not in page.locator("#id_user").inner_text()
    page.get_by_role("searchbox", name="Zoek een persoon op naam").fill("anna")
    with page.expect_navigation():
        page.locator("#leden").get_by_role("button", name="Zoeken").click()
    page.get_by_text("Meer dan 20 personen passen bij “anna”").wait_for()
    assert page.locator("#id_user option").count() == 21  # with "Kies…"
    page.get_by_role("searchbox", name="Zoek een persoon op naam").fill("bram bak")
    with page.expect_navigation():
        page.locator("#leden").get_by_role("button", name="Zoeken").click()
    page.locator("#id_user").select_option(label="Bram Bakker (Havenwaard Zuid)")
    page.locator("#id_reason").fill("Kent de eigenaar van de loods.")
    assert axe_violations(page) == []
    screenshot(page, "casus-lid-zoeken", page.locator("#leden"))
    with page.expect_navigation():
        page.get_by_role("button", name="Lid toevoegen").click()
    page.get_by_text("Bram Bakker (").first.wait_for()
    assert CaseMember.objects.filter(case=wanted, user=colleague, removed_at=None).exists()
    assert axe_violations(page) == []
    context.close()


def test_without_javascript_the_case_is_searched_on_a_page_of_its_own(
    browser, live_server, make_user, axe_violations
):
    north = Team.objects.create(name="Havenwaard Noord")
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    wanted = open_case(north, lead, title="Loods Havenweg")
    many_cases(wanted, 25, title="Loods Kade")
    report = in_analysis(north)

    context, page = _signed_in(browser, live_server, lead, java_script_enabled=False)
    # Without JavaScript the search is a page of its own (cases:join, GET).
    page.goto(f"/werkruimte/casussen/uit-melding/{report.pk}/toevoegen")
    page.get_by_role("searchbox", name="Zoek een lopende casus op casusnummer of titel").fill(
        "Havenweg"
    )
    with page.expect_navigation():
        page.locator("#join-zoek").press("Enter")
    page.get_by_role("heading", name="Toevoegen aan een lopende casus").wait_for()
    assert page.locator("input[type=radio][name=join-case]").count() == 1
    page.get_by_label(wanted.reference).check()
    page.get_by_label("Waarom deze casus").fill("Zelfde loods.")
    with page.expect_navigation():
        page.get_by_role("button", name="Aan de casus toevoegen").click()
    page.get_by_role("heading", name="Loods Havenweg").wait_for()
    assert wanted.reports.filter(pk=report.pk).exists()
    context.close()

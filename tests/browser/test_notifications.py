"""Notifications in a real browser (issue 12): a report assigned to the analyst shows as
"Notificaties (1 nieuw)" in the header; the list names it with its moment; clicking it opens
the report and marks it read; the e-mail choice on the account page is saved. axe clean."""

import pytest
from playwright.sync_api import expect

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.notifications.models import NotificationPreference
from baken.reports.models import Report
from tests.browser.test_triage import _as
from tests.notifications.conftest import auth
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bell_the_list_and_through_to_the_report(
    browser, live_server, client, make_user, axe_violations, screenshot
):
    north = Team.objects.create(name="Havenwaard Noord")
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    analyst = make_user(role=Role.ANALYST, team=north, email="analist@havenwaard.example")
    report = file_report(description="Sterke hennepgeur bij de loods aan de Havenweg.")
    Report.objects.filter(pk=report.pk).update(team=north)
    assigned = client.post(
        f"/api/v1/reports/{report.pk}/assignment",
        {"team": north.pk, "assignee": analyst.pk},
        content_type="application/json",
        **auth(lead),
    )
    assert assigned.status_code == 200

    context, page = _as(browser, live_server, analyst)
    bell = page.get_by_role("link", name="Notificaties (1 nieuw)")
    expect(bell).to_be_visible()
    with page.expect_navigation():
        bell.click()
    expect(page.get_by_role("heading", name="Notificaties", exact=True)).to_be_visible()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Er is een melding aan u toegewezen.")
    expect(row).to_contain_text(report.reference)
    assert axe_violations(page) == []
    screenshot(page, "notificaties")
    # On a 320 px phone the header's link and the list fit without sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "notificaties-telefoon")
    page.set_viewport_size({"width": 1280, "height": 800})

    with page.expect_navigation():
        row.get_by_role("link", name="Er is een melding aan u toegewezen.").click()
    assert page.url.endswith(f"/werkruimte/meldingen/{report.pk}")
    expect(page.get_by_role("link", name="Notificaties", exact=True)).to_be_visible()

    # The e-mail choice, on the account page (the form is loaded there with htmx).
    page.goto("/account")
    choice = page.get_by_label("Ik ben toegevoegd aan een casus")
    expect(choice).not_to_be_checked()
    choice.check()
    assert axe_violations(page) == []
    screenshot(page, "account-notificaties", element=page.locator("#notificatie-instellingen"))
    with page.expect_navigation():
        page.get_by_role("button", name="Instellingen voor notificaties opslaan").click()
    expect(page.get_by_text("Uw instellingen voor notificaties zijn opgeslagen.")).to_be_visible()
    assert NotificationPreference.objects.get(user=analyst, kind="case_member").email
    expect(page.get_by_label("Ik ben toegevoegd aan een casus")).to_be_checked()
    context.close()

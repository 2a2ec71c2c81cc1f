"""The access review in a real browser (issue 16): the privacy officer opens the open flags
from the menu, reads a flag with the audit entries behind it, forgets the note of a review and
then gives it, and reads the weekly access report of Noord. Every page passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baken.accounts.models import Team
from baken.cases import services as case_services
from baken.cases.selectors import case_get
from baken.core.roles import Role
from baken.oversight import review
from baken.oversight.models import AccessFlag, ReviewState
from baken.reports.models import Report, RoutingRule
from baken.reports.selectors import report_get
from baken.reports.workflow import Status
from tests.browser.test_audit_log import _log_in
from tests.oversight.conftest import WEDNESDAY, Clock, file

pytestmark = pytest.mark.django_db(transaction=True)


def _a_wednesday(make_user, monkeypatch):
    """Noord's Wednesday 18 November 2026, read by the clock of that day: a normal day of the
    analyst and the case handler, the analyst back at night, and a burst of reads."""
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    north = Team.objects.create(name="Noord")
    RoutingRule.objects.create(name="Postcode 1781 naar Noord", team=north, postcode_prefix="1781")
    analyst = make_user(role=Role.ANALYST, team=north, first_name="Anna", last_name="Bakker")
    handler = make_user(role=Role.CASE_HANDLER, team=north, first_name="Hans", last_name="Visser")
    make_user(role=Role.TEAM_LEAD, team=north, first_name="Lotte", last_name="Meijer")
    clock.at(6)
    reports = []
    for n in range(12):
        clock.tick(7)
        reports.append(file(f"Melding {n} over de loods aan de Havenweg.", number=n + 1))
    Report.objects.filter(pk=reports[0].pk).update(status=Status.IN_ANALYSIS)
    clock.at(9)
    case = case_services.case_open(
        reports=[Report.objects.get(pk=reports[0].pk)],
        title="Loods Havenweg",
        summary="Signalen van een hennepkwekerij.",
        handler=handler,
        actor=analyst,
        rationale="Weging 3: concreet en recent.",
    )
    for report in reports:
        clock.tick(9)
        report_get(user=analyst, pk=report.pk)
    clock.at(13)
    case_get(user=handler, pk=case.pk)
    report_get(user=handler, pk=reports[0].pk)
    clock.at(22, 50)
    for report in reports[3:6]:
        clock.tick(4)
        report_get(user=analyst, pk=report.pk)
    clock.at(4, day=WEDNESDAY + timedelta(days=1))
    review.run(WEDNESDAY)
    monkeypatch.undo()
    return analyst


def test_the_officer_reviews_a_flag_and_reads_the_weekly_report(
    browser, live_server, make_user, axe_violations, screenshot, monkeypatch
):
    analyst = _a_wednesday(make_user, monkeypatch)
    flag = AccessFlag.objects.get()
    officer = make_user(
        role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder"
    )
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    _log_in(page, officer)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Toegangscontrole"
    ).click()
    page.get_by_role("heading", name="Toegangscontrole").wait_for()
    flags = page.get_by_role("table", name="Signalen")
    flags.get_by_role("cell", name="Anna Bakker").wait_for()
    assert "3 keer gelezen in de nacht (van 22:00 tot 7:00)." in flags.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "access-review")

    flags.get_by_role("link", name="Inzage 's nachts of in het weekend").click()
    page.get_by_role("heading", name="De 3 auditregels achter dit signaal").wait_for()
    entries = page.get_by_role("table", name="Auditregels")
    assert entries.get_by_role("row").count() == 4  # the heading and three reads
    assert "18-11-2026 22:54" in entries.inner_text()
    # A mistake first: a judgement without a note. The summary names it; the choice stays.
    page.get_by_label("Bespreken").check()
    page.get_by_role("button", name="Beoordeling opslaan").click()
    page.locator(".error-summary").wait_for()
    assert (
        "een beoordeling heeft altijd een toelichting"
        in page.locator(".error-summary").inner_text()
    )
    assert page.get_by_label("Bespreken").is_checked()
    assert axe_violations(page) == []
    page.get_by_label("Toelichting").fill("Vragen bij de teamleider waarom Anna 's avonds werkte.")
    page.get_by_role("button", name="Beoordeling opslaan").click()
    page.get_by_text("Uw beoordeling is opgeslagen.").wait_for()
    flag.refresh_from_db()
    assert flag.state == ReviewState.TO_DISCUSS and flag.user == analyst
    assert axe_violations(page) == []
    screenshot(page, "access-flag")

    page.get_by_role("link", name="Toegangscontrole", exact=True).first.click()
    page.get_by_role("link", name="Weekrapport van de inzage per team").click()
    page.get_by_label("Week").fill("2026-W47")
    page.get_by_role("button", name="Tonen").click()
    page.get_by_role("heading", name="Noord").wait_for()
    table = page.get_by_role("table", name="Inzage per gebruiker en dag, Noord")
    assert "Anna Bakker" in table.inner_text() and "Hans Visser" in table.inner_text()
    assert page.get_by_role("link", name="Downloaden als pdf").get_attribute("href") == (
        "/toezicht/weekrapport.pdf?week=2026-W47"
    )
    assert axe_violations(page) == []
    screenshot(page, "access-report")
    # On a phone the table scrolls in its own box; the page itself does not.
    page.set_viewport_size({"width": 375, "height": 800})
    for url in ("", "/toezicht/?state=", f"/toezicht/{flag.pk}"):
        if url:
            page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    screenshot(page, "access-flag-phone")
    context.close()

"""The awareness figures in a real browser (issue 17): a team lead opens them from the
dashboard's Bewustwording section and reads the reports per department and month with the
trainings marked, before and after each training, the first-time departments and the shares,
in Dutch; the page passes axe, on a desktop and on a phone.

Screenshot: test-artifacts/screenshots/bewustwording-cijfers.png (copied to docs/screenshots/).
"""

from datetime import timedelta

import pytest
from django.utils.timezone import localdate

from baken.awareness.figures import add_months
from baken.core.roles import Role
from baken.reports.models import Department, DepartmentSize, Indicator
from baken.reports.workflow import Status
from tests.awareness.test_figures import on, training
from tests.browser.test_audit_log import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def demo_like(team) -> None:
    names = [
        ("vergunningen", "Vergunningen", DepartmentSize.LARGE),
        ("handhaving", "Handhaving", DepartmentSize.LARGE),
        ("burgerzaken", "Burgerzaken", DepartmentSize.LARGE),
        ("belastingen", "Belastingen", DepartmentSize.LARGE),
        ("juridische-zaken", "Juridische Zaken", DepartmentSize.SMALL),
        ("inkoop", "Inkoop", DepartmentSize.SMALL),
    ]
    d = {
        code: Department.objects.create(code=code, name=name, size=size, position=i)
        for i, (code, name, size) in enumerate(names)
    }
    today = localdate()
    training(add_months(today, -9), d["vergunningen"], d["inkoop"], title="Signalen aan de balie")
    training(add_months(today, -5), d["handhaving"], title="Ondermijning op straat")
    training(
        add_months(today, -2), d["belastingen"], d["burgerzaken"], title="Week van de integriteit"
    )
    signs = list(Indicator.objects.all()[:2])
    plan = [  # department, months ago, how many
        ("vergunningen", 11, 1), ("vergunningen", 8, 3), ("vergunningen", 7, 2),
        ("vergunningen", 3, 2), ("handhaving", 10, 1), ("handhaving", 4, 4),
        ("handhaving", 3, 3), ("belastingen", 1, 2), ("burgerzaken", 1, 1),
        ("juridische-zaken", 6, 1), ("inkoop", 8, 1),
    ]  # fmt: skip
    for code, months_ago, n in plan:
        for i in range(n):
            day = add_months(today, -months_ago) + timedelta(days=i * 3)
            on(min(day, today), team, department=d[code], signs=signs[: i % 2 + 1])
    for months_ago in range(12):
        on(add_months(today, -months_ago), team)  # from the public: no department
    for i, status in enumerate([Status.IN_ANALYSIS, Status.NO_ACTION, Status.LINKED_TO_CASE]):
        on(add_months(today, -i - 1), team, category="niet-pluis", status=status)


def test_a_team_lead_reads_what_the_awareness_work_brings(
    browser, live_server, make_user, north, axe_violations, screenshot
):
    demo_like(north)
    lead = make_user(role=Role.TEAM_LEAD, team=north, first_name="Tessa", last_name="Bakker")
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, lead)

    page.goto("/werkruimte/inzicht/")
    section = page.locator("section", has=page.get_by_role("heading", name="Bewustwording"))
    section.get_by_role("link", name="Alle cijfers over bewustwording, per maand").click()
    page.get_by_role("heading", name="Bewustwording in cijfers", level=1).wait_for()
    table = page.get_by_role("table", name="Meldingen per afdeling en maand")
    text = table.inner_text()
    assert "Vergunningen" in text and "Kleine afdelingen (anoniem)" in text
    assert "Geen afdeling opgegeven" in text
    assert page.get_by_text("Signalen aan de balie").count() >= 1
    effects = page.get_by_role("table", name="Voor en na elke training").inner_text()
    assert "3 maanden ervoor" in effects and "Ondermijning op straat" in effects
    firsts = page.get_by_role("table", name="Afdelingen die voor het eerst meldden").inner_text()
    assert "Belastingen" in firsts and "Juridische Zaken" not in firsts
    assert axe_violations(page) == []
    screenshot(page, "bewustwording-cijfers")

    # A period the wrong way round: a Dutch message, the dates typed kept.
    page.get_by_label("Van").fill("2026-10-01")
    page.get_by_label("Tot en met").fill("2026-09-01")
    page.get_by_role("button", name="Tonen").click()
    page.get_by_role("alert").first.wait_for()
    assert page.get_by_label("Van").input_value() == "2026-10-01"
    assert axe_violations(page) == []

    # On a phone: the page does not scroll sideways; the wide table scrolls in its own box.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/werkruimte/bewustwording/cijfers")
    page.get_by_role("heading", name="Bewustwording in cijfers", level=1).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []

"""The page for employees, /melden/over, in a real browser (issue 17): reached from the
Meldpunt, Dutch, axe clean, readable on a desk and on a phone; and a report made through
/melden that names a department and ticks a sign.

Screenshots: test-artifacts/screenshots/melden-over.png (desk), melden-over-telefoon.png,
melden-signalen.png and melden-afdeling.png (copied to docs/screenshots/)."""

import pytest

from baken.reports.models import Category, Department, DepartmentSize, Report
from tests.browser.test_meldpunt import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DESK = {"viewport": {"width": 1280, "height": 900}}


def _context_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _worker_ready(page) -> None:
    """/melden installs its service worker, which fetches the Meldpunt's pages (this one
    too) to keep them offline: wait for that, so no fetch outlives the test."""
    # A page served with a certificate the browser does not trust (the production-form run's
    # self-signed one, tests/browser/gunicorn_server.py) gets no service worker, and `ready`
    # would never resolve (evaluate has no timeout): wait at most five seconds.
    page.evaluate(
        "async () => { if (!('serviceWorker' in navigator)) return;"
        " await Promise.race([navigator.serviceWorker.ready,"
        " new Promise((done) => setTimeout(done, 5000))]); }"
    )


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_employee_reads_what_undermining_is_on_a_desk(
    browser, live_server, settings, axe_violations, screenshot
):
    settings.MUNICIPALITY_NAME = "gemeente Havenwaard"
    context, page = _context_page(browser, live_server, **DESK)
    page.goto("/melden")
    _worker_ready(page)
    page.get_by_role("link", name="Wat is ondermijning en wat gebeurt er met uw melding?").click()
    page.wait_for_url("**/melden/over")
    page.get_by_role("heading", level=1, name="Ondermijning: wat is het").wait_for()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "Voor iedereen die werkt bij gemeente Havenwaard." in page.inner_text("main")
    drugs = Category.objects.get(code="drugs")
    themes = page.get_by_role("region", name="Signalen per thema")
    themes.get_by_role("heading", level=3, name=drugs.name).wait_for()
    assert drugs.indicators.first().text in themes.inner_text()
    assert axe_violations(page) == []
    assert _no_sideways_scrolling(page)
    screenshot(page, "melden-over")

    # From the table of contents to the part about anonymity, and on to following a report.
    page.get_by_role("link", name="Anoniem melden: wat betekent dat?").click()
    anonymous = page.get_by_role("region", name="Anoniem melden: wat betekent dat?")
    assert "We bewaren uw IP-adres niet." in anonymous.inner_text()
    assert "kleine afdeling" in anonymous.inner_text()
    page.get_by_role("link", name="Volg uw melding met uw ontvangstcode").click()
    page.wait_for_url("**/melden/opvolgen")
    context.close()


def test_the_page_reads_on_a_phone(browser, live_server, axe_violations, screenshot):
    context, page = _context_page(browser, live_server, **PHONE)
    page.goto("/melden/over")
    page.get_by_role("heading", level=1).wait_for()
    assert axe_violations(page) == []
    assert _no_sideways_scrolling(page)
    screenshot(page, "melden-over-telefoon")
    page.get_by_role("link", name="Vermoeden melden").first.click()
    page.wait_for_url("**/melden")
    _worker_ready(page)
    context.close()


def test_a_report_names_a_department_and_a_recognised_sign(
    browser, live_server, axe_violations, screenshot
):
    Department.objects.create(code="burgerzaken", name="Burgerzaken", position=1)
    Department.objects.create(
        code="vergunningen", name="Vergunningen", size=DepartmentSize.SMALL, position=2
    )
    sign = Category.objects.get(code="drugs").indicators.all()[1]
    context, page = _context_page(browser, live_server, **PHONE)
    page.goto("/melden")
    _worker_ready(page)
    # Ticking a sign chooses its category: the reporter need not do both.
    page.locator("details.signs").filter(has=page.locator("#f-sign-drugs")).locator(
        "summary"
    ).click()
    page.get_by_label(sign.text).check()
    assert page.get_by_label("Drugs", exact=True).is_checked()
    assert axe_violations(page) == []
    screenshot(page, "melden-signalen")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Wat heeft u gezien?").fill("Hennepgeur bij de loods, ramen afgeplakt.")
    for _ in range(4):
        page.get_by_role("button", name="Volgende").click()
    department = page.get_by_label("Uw afdeling")
    assert department.input_value() == ""  # "Wil ik niet zeggen" until the reporter chooses
    department.select_option(label="Vergunningen (kleine afdeling)")
    assert axe_violations(page) == []
    assert _no_sideways_scrolling(page)
    screenshot(page, "melden-afdeling")
    page.get_by_role("button", name="Melding versturen").click()
    page.locator("[data-receipt-code]").wait_for()
    report = Report.objects.get()
    assert report.is_anonymous and report.category.code == "drugs"
    assert report.department.code == "vergunningen" and report.department_small
    assert list(report.signs.all()) == [sign]
    assert "vergunningen" not in str(report.original)
    context.close()


def test_without_javascript_a_department_switched_off_meanwhile_is_still_taken(
    browser, live_server
):
    """The administrator switches the department off while the form is open: the report is
    taken with the department the reporter chose when it was offered (a report refused for
    it could be lost from a phone's offline outbox), with the ticked sign."""
    gone = Department.objects.create(code="inkoop", name="Inkoop", position=1)
    Department.objects.create(code="burgerzaken", name="Burgerzaken", position=2)
    sign = Category.objects.get(code="drugs").indicators.first()
    context, page = _context_page(browser, live_server, java_script_enabled=False, **PHONE)
    page.goto("/melden")
    page.get_by_label("Drugs", exact=True).check()
    page.locator("details.signs").filter(has=page.locator("#f-sign-drugs")).locator(
        "summary"
    ).click()
    page.get_by_label(sign.text).check()
    page.get_by_label("Wat heeft u gezien?").fill("Hennepgeur bij de loods, ramen afgeplakt.")
    page.get_by_label("Uw afdeling").select_option(label="Inkoop")
    Department.objects.filter(pk=gone.pk).update(is_active=False)
    page.get_by_role("button", name="Melding versturen").last.click()
    page.get_by_text("ontvangstcode", exact=False).first.wait_for()
    report = Report.objects.get()
    assert report.department == gone and list(report.signs.all()) == [sign]
    context.close()

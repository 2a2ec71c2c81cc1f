"""Small screens. On a phone the workspace menu folds behind a "Menu" button so the inbox is
in the first screen; at 320 px wide (WCAG 2.1 AA 1.4.10 Reflow) no page of the tour scrolls
sideways — a wide table scrolls inside its own named region instead —, axe finds nothing and
no category shows its code instead of its name.
The pages are the demo municipality's, visited as each of its users."""

import re

import pytest

from baken.accounts.models import User
from baken.cases.models import Case
from baken.demo import municipality as demo
from baken.demo.reports import DemoReports, demo_register
from baken.exports.services import export_request
from baken.insights.overview import overview_build
from baken.insights.overview_week import Week
from baken.places.models import RegisteredAddress
from baken.reports.models import Report, ReportSubject
from baken.reports.workflow import Status
from baken.subjects.models import Subject
from baken.subjects.relations import relation_add
from baken.subjects.services import subject_create_from
from tests.browser.test_login import _log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NARROW = {"viewport": {"width": 320, "height": 640}}

# Category codes a person should never read (the names are Dutch words; these codes are not),
# but for the functional administrator who edits the catalogue.
CODES = ("illegale-prostitutie", "fraude-corruptie", "malafide-bedrijven", "niet-pluis")

# A moment written another way than `5 december 2026 22:30` or `05-12-2026 22:30` (ADR 0016):
# ISO 8601, a day or month without its leading zero, an abbreviated month.
NOT_DUTCH = re.compile(
    r"\b20\d\d-\d\d-\d\d\b|\b\d{1,2}-\d-20\d\d\b|\b\d-\d{1,2}-20\d\d\b"
    r"|\b\d{1,2} (?!mei\b)[A-Za-z]{3}\.? 20\d\d\b"
)

# The elements that stick out past the right edge, deepest first: what to fix when it fails.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
    && !e.closest('.table-scroll') && e.getClientRects().length)
  .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right
    > document.documentElement.clientWidth + 0.5))
  .slice(0, 4).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')
    + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture
def municipality(settings, tmp_path):
    """The demo municipality as `baken demo-setup` loads it (fewer reports), with two
    registered subjects and a relation, the demo users' passwords known to the test."""
    settings.ATTACHMENT_DIR = tmp_path
    settings.VAR_DIR = tmp_path
    settings.EXPORT_DIR = tmp_path / "exports"
    demo.demo_load()
    RegisteredAddress.objects.bulk_create(demo_register(), batch_size=2000)
    DemoReports(seed=1, photo_share=0).create(120)
    overview_build(week=Week.last_complete())
    users = {}
    for user in User.objects.filter(is_demo=True):
        user.set_password(PASSWORD)
        user.save()
        users[user.username] = user
    if not Subject.objects.exists():
        named = ReportSubject.objects.filter(
            kind="person", report__team__name=demo.TEAMS[0], report__merged_into=None
        )[:2]
        one, other = (subject_create_from(report_subject=n, actor=users["analist"]) for n in named)
        relation_add(
            source=one,
            target=other,
            kind="associate_of",
            actor=users["analist"],
            source_report=named[0].report,
        )
    return users


def _context(browser, live_server, **device):
    return browser.new_context(base_url=live_server.url, locale="nl-NL", **device)


def _check(page, axe_violations, problems: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    # Folded parts too (a correction form, the filters): open, they must fit as well.
    page.evaluate("document.querySelectorAll('main details').forEach((d) => { d.open = true; })")
    page.wait_for_load_state("networkidle")
    where = page.url.split("://", 1)[1].split("/", 1)[1]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        problems.append(f"/{where}: {width} px wide: {page.evaluate(WIDEST)}")
    if violations := axe_violations(page):
        problems.append(f"/{where}: {violations}")
    text = "" if "/beheer/categorie" in page.url else page.locator("body").inner_text()
    if codes := [code for code in CODES if code in text]:
        problems.append(f"/{where}: category codes instead of names: {codes}")
    if odd := NOT_DUTCH.findall(page.locator("body").inner_text()):
        problems.append(f"/{where}: moments not written the Dutch way: {odd[:3]}")


def _visit_menu(page, axe_violations, problems: list[str]) -> None:
    """Every entry of the user's menu (the menu folded on this screen is opened first)."""
    urls = page.locator("#main-menu a").evaluate_all("(links) => links.map((a) => a.href)")
    for url in urls:
        page.goto(url)
        _check(page, axe_violations, problems)


def test_the_phone_inbox_starts_in_the_first_screen(
    browser, live_server, municipality, axe_violations, screenshot
):
    context = _context(browser, live_server, **PHONE)
    page = context.new_page()
    _log_in(page, municipality["intake"])
    page.get_by_role("navigation", name="Hoofdmenu").wait_for()
    page.goto("/werkruimte/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Mijn taken").is_visible()
    table = page.locator("#results table")
    assert table.bounding_box()["y"] < 844 - 100, "the reports start below the first screen"
    # Wider than the phone: the table scrolls in its own region, named and reachable by Tab.
    region = page.get_by_role("region", name="Tabel: Meldingen")
    assert region.get_attribute("tabindex") == "0"
    assert axe_violations(page) == []
    screenshot(page, "phone-inbox")

    # The menu opens and closes with the keyboard, and Escape folds it back onto its button.
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Mijn taken").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "phone-menu-open")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.textContent.trim()").startswith("Menu")
    # The filters are folded too, one click away.
    page.get_by_text("Filters", exact=True).click()
    assert page.get_by_label("Categorie").first.is_visible()
    context.close()

    # Without JavaScript there is no button to press: the menu is simply there.
    context = _context(browser, live_server, java_script_enabled=False, **PHONE)
    page = context.new_page()
    _log_in(page, municipality["analist"])  # another user: a TOTP code counts once
    page.goto("/werkruimte/")
    assert page.get_by_role("button", name="Menu").count() == 0
    assert page.get_by_role("link", name="Mijn taken").is_visible()
    context.close()


def test_no_page_of_the_tour_scrolls_sideways_at_320_px(
    browser, live_server, municipality, axe_violations, screenshot
):
    problems: list[str] = []
    # A report still to weigh, so its page shows the weighing form.
    report = Report.objects.filter(
        team__name=demo.TEAMS[0], merged_into=None, status=Status.IN_TRIAGE
    ).first()
    export = export_request(
        user=municipality["analist"], kind="reports", fmt="csv", filters={}, language="nl"
    )
    subject = Subject.objects.first()
    case = Case.objects.filter(memberships__user=municipality["analist"]).first()

    # Reporter: the Meldpunt and each of its steps, the receipt, the follow-up page with the
    # report, and the login.
    context = _context(browser, live_server, **NARROW)
    page = context.new_page()
    page.goto("/melden")
    steps = [
        lambda: page.get_by_label("Drugs").check(),
        lambda: page.get_by_label("Wat heeft u gezien?").fill("Hennepgeur bij de loods."),
        lambda: (
            page.get_by_label("Postcode").fill("1781 ab"),
            page.get_by_label("Huisnummer").fill("12"),
        ),
        lambda: page.get_by_label("Kenteken").fill("ab123c"),
        lambda: None,  # photos
    ]
    for fill in steps:
        _check(page, axe_violations, problems)
        fill()
        page.get_by_role("button", name="Volgende").click()
    _check(page, axe_violations, problems)  # named or anonymous
    page.get_by_role("button", name="Melding versturen").click()
    code = page.locator("[data-receipt-code]").inner_text()
    _check(page, axe_violations, problems)
    page.goto("/melden/opvolgen")
    _check(page, axe_violations, problems)
    page.get_by_label("Ontvangstcode").fill(code)
    page.get_by_role("button", name="Toon mijn melding").click()
    page.get_by_role("heading", level=1).wait_for()
    _check(page, axe_violations, problems)
    page.goto("/inloggen")
    _check(page, axe_violations, problems)
    context.close()

    pages_of = {
        "intake": [
            f"/werkruimte/meldingen/{report.pk}",
        ],
        "analist": [
            f"/werkruimte/meldingen/{report.pk}",
            f"/werkruimte/exports/{export.pk}",
            f"/werkruimte/betrokkenen/{subject.pk}",
            f"/werkruimte/betrokkenen/{subject.pk}/netwerk",
            "/werkruimte/inzicht/brandpunten",
            f"/werkruimte/casussen/{case.pk}",
        ],
        "regisseur": [],
        "teamleider": [f"/werkruimte/meldingen/{report.pk}", f"/werkruimte/casussen/{case.pk}"],
        "management": [],
        "beheerder": ["/beheer/gebruikers/nieuw", "/werkruimte/routering/nieuw"],
        "privacy": [],
    }
    for username, extra in pages_of.items():
        context = _context(browser, live_server, **NARROW)
        page = context.new_page()
        _log_in(page, municipality[username])
        page.get_by_role("navigation", name="Hoofdmenu").wait_for()
        _check(page, axe_violations, problems)
        _visit_menu(page, axe_violations, problems)
        for url in extra:
            page.goto(url)
            _check(page, axe_violations, problems)
        if username == "analist":
            screenshot(page, "narrow-analyst-case")
        if username == "beheerder":
            page.goto("/werkruimte/casussen/typen")
            page.locator("main a[href*='/versies/']").first.click()
            _check(page, axe_violations, problems)
            page.goto("/beheer/gebruikers")
            page.locator("main table a[href*='/beheer/gebruikers/']").first.click()
            _check(page, axe_violations, problems)
        context.close()

    assert not problems, "\n".join(problems)

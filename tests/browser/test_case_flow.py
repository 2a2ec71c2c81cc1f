"""A case in a real browser (issue "Werkruimte III"): a report in further analysis becomes a
case, which cannot move on while a mandatory criterion is open; the privacy officer approves
one source and refuses another; a hit is recorded, the plan of approach written, a hand-over
to the RIEC registered with its package, an intervention recorded, a second report added and a
note written, and the case closed with a result; the accountability report's text holds each
of those steps. axe on every page."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from baken.accounts.models import Team
from baken.cases.models import Case, Handover
from baken.core.roles import Role
from tests.browser.test_triage import _as
from tests.cases.test_cases import in_analysis

pytestmark = pytest.mark.django_db(transaction=True)


def _answer_all(page):
    """Answer every open criterion of the stage with its first choice."""
    forms = page.locator("form.criterion-form")
    for i in range(forms.count()):
        form = page.locator("form.criterion-form").nth(i)
        form.locator("input[type=radio]").first.check()
        form.locator("textarea").fill("Vastgelegd in het dossier.")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()


def _advance(page, rationale: str):
    page.get_by_label("Onderbouwing").first.fill(rationale)
    with page.expect_navigation():
        page.get_by_role("button", name="Naar de volgende fase").click()


def test_a_case_from_report_to_accountability(
    browser, live_server, make_user, axe_violations, screenshot
):
    north = Team.objects.create(name="Havenwaard Noord")
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    report = in_analysis(north)

    context, page = _as(browser, live_server, lead)
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    page.locator("#casus summary").click()
    page.get_by_label("Titel:", exact=True).fill("Loods Havenweg")
    page.get_by_label("Waarom een casus").fill("Weging 3: concreet, recent en ernstig.")
    page.get_by_role("button", name="Casus openen").click()
    page.get_by_role("heading", name="Loods Havenweg").wait_for()
    case = Case.objects.get(reports=report)
    assert axe_violations(page) == []

    # Refused while a mandatory criterion is open, with what is missing named.
    _advance(page, "Te vroeg.")
    assert "Beantwoord eerst de verplichte criteria" in page.content()
    assert Case.objects.get(pk=case.pk).stage.code == "bronnenonderzoek"

    # Source research: ask two sources.
    for source, purpose in (
        ("brp", "Wie staat er ingeschreven?"),
        ("sociaal-domein", "Uitkering?"),
    ):
        page.select_option("#source", value=str(_source(source)))
        page.fill("#purpose", purpose)
        with page.expect_navigation():
            page.get_by_role("button", name="Vraag de privacyfunctionaris").click()

    # The privacy officer (in a browser of their own) approves one and refuses the other.
    officer_context, officer_page = _as(browser, live_server, officer)
    officer_page.goto("/werkruimte/casussen/bronnenonderzoek")
    assert "Loods Havenweg" not in officer_page.content()  # the request only, no case content
    assert axe_violations(officer_page) == []
    for purpose, decision in (
        ("Wie staat er ingeschreven?", "Goedkeuren"),
        ("Uitkering?", "Afwijzen"),
    ):
        request = officer_page.locator("section.panel").filter(has_text=purpose)
        request.locator("textarea").fill("Afgewogen tegen het doel.")
        with officer_page.expect_navigation():
            request.get_by_role("button", name=decision).click()
    officer_context.close()

    page.goto(f"/werkruimte/casussen/{case.pk}")
    sources = page.locator("#bronnen")
    assert "Afgewezen" in sources.inner_text()
    sources.get_by_label("hit", exact=True).check()
    with page.expect_navigation():
        sources.get_by_role("button", name="Vastleggen").click()
    page.locator("#bronnen textarea[name=findings]").fill("Vijf volwassenen ingeschreven.")
    with page.expect_navigation():
        page.get_by_role("button", name="Bevindingen opslaan").click()
    _answer_all(page)
    _advance(page, "Bronnen geraadpleegd; route RIEC.")
    page.get_by_role("heading", name="Fase: Plan van aanpak").wait_for()

    # The plan of approach (privacy checks 2A and 2B), then the hand-over to the RIEC.
    _answer_all(page)
    page.select_option("#recipient-kind", value="riec")
    page.fill("#recipient", "RIEC Noord-Holland")
    page.fill("#what", "Samenvatting van de casus en de betrokkenen.")
    page.fill("#legal-basis", "Convenant RIEC, art. 5")
    with page.expect_download() as download:
        page.get_by_role("button", name="Vastleggen en het pakket downloaden").click()
    assert download.value.suggested_filename.endswith(".zip")
    # The page reloads by itself: the register shows the hand-over, the form is empty again.
    expect(page.locator("#register li").first).to_contain_text("RIEC Noord-Holland")
    expect(page.locator("#recipient")).to_have_value("")
    assert Handover.objects.get(case=case).recipient == "RIEC Noord-Holland"
    _advance(page, "Plan vastgesteld.")
    page.get_by_role("heading", name="Fase: Interventie en monitoring").wait_for()

    # An intervention, then closing with a result.
    page.select_option("#kind", label="Sluiting (art. 13b Opiumwet) — Opiumwet art. 13b")
    page.fill("#start", "2026-11-02")
    with page.expect_navigation():
        page.get_by_role("button", name="Interventie vastleggen").click()

    # A second report joins the running case from its own page; a note in the timeline.
    second = in_analysis(north)
    page.goto(f"/werkruimte/meldingen/{second.pk}")
    page.locator("#casus-toevoegen summary").click()
    # The case is searched by its number (no list of every open case of the team).
    search = page.get_by_role("searchbox", name="Zoek een lopende casus op casusnummer of titel")
    search.fill(case.reference)
    page.locator("#join-found").get_by_label(case.reference).check()
    assert axe_violations(page) == []
    page.get_by_label("Waarom deze casus").fill("Zelfde loods, nieuwe signalen.")
    page.get_by_role("button", name="Aan de casus toevoegen").click()
    page.get_by_role("heading", name="Loods Havenweg").wait_for()
    reports = page.locator("section[aria-labelledby=reports-title]").inner_text()
    assert second.reference in reports and case.reports.filter(pk=second.pk).exists()
    page.get_by_label("Notitie").fill("Eigenaar belde zelf op.")
    page.get_by_role("button", name="Notitie toevoegen").click()
    expect(page.locator("#tijdlijn")).to_contain_text("Eigenaar belde zelf op.")
    assert axe_violations(page) == []
    _answer_all(page)
    page.select_option("#id_close-result", label="Interventie uitgevoerd")
    page.fill("#id_close-rationale", "Pand gesloten; signalen gestopt.")
    with page.expect_navigation():
        page.get_by_role("button", name="Casus afsluiten").click()
    assert Case.objects.get(pk=case.pk).is_closed
    assert axe_violations(page) == []
    screenshot(page, "casus")

    pdf = page.request.get(f"/werkruimte/casussen/{case.pk}/verantwoording.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    # Words as the reader sees them (table cells wrap lines).
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split()
    ).replace("- ", "-")  # "Noord-" at a line's end
    for step in (
        "Weging 3: concreet, recent en ernstig.",
        "Basisregistratie Personen",
        "afgewezen door de privacyfunctionaris",
        "Vijf volwassenen ingeschreven.",
        "Privacytoets 2A",
        "RIEC Noord-Holland",
        "Sluiting (art. 13b Opiumwet)",
        "Interventie uitgevoerd",
        "Zelfde loods, nieuwe signalen.",
        "Eigenaar belde zelf op.",
    ):
        assert step in text, step
    context.close()


def _source(code: str) -> int:
    from baken.cases.models import Source

    return Source.objects.get(code=code).pk

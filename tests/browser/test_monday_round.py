"""Issue 12's closing proof: the team's Monday round on the demo municipality of `make run`,
in Chromium, logged in as the demo users the way a person does.

Intake corrects three reports of different shapes (a generated one with a time, like the demo
report 91 that answered 500; one from the Meldpunt with an address and subjects of three
kinds; one sent without a category, placed by a point on the map) and asks the anonymous
reporter a question; the analyst weighs one report in one form, decides on further analysis,
opens a case and asks a source; the privacy officer approves it; the team lead reads the
weekly overview. No console error, no answer of 400 or more, axe clean, and a screenshot of
every step in test-artifacts/screenshots/maandag-*.png.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import expect

from baken.accounts.models import User
from baken.cases.models import Case, Consultation, ConsultationState
from baken.core import dates
from baken.demo.municipality import credentials_path
from baken.reports.models import Criterion, Receipt, Report, ReportVersion
from baken.reports.workflow import Status
from tests.factories import current_code

pytestmark = pytest.mark.django_db(transaction=True)

HAVENWAARD = "OOV Havenwaard"


class Round:
    """One person's browser, watched: console errors, page errors and every answer of 400 or
    more go into `problems`, asserted empty when the person is done. The round provokes no
    error on purpose, so there is no list of expected ones."""

    def __init__(self, browser, live_server, problems: list[str]):
        self.problems = problems
        self.context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        self.context.on(
            "response",
            lambda r: (
                problems.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 400
                else None
            ),
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on(
            "console",
            lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))

    def log_in(self, username: str):
        """As a person does: the password from the demo's credentials, the code of their
        authenticator."""
        row = next(
            r for r in json.loads(credentials_path().read_text()) if r["username"] == username
        )
        page = self.page
        page.goto("/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(row["password"])
        page.get_by_role("button", name="Volgende").click()
        page.get_by_label("Code:", exact=True).fill(
            current_code(User.objects.get(username=username))
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
        return page

    def close(self):
        self.context.close()
        assert self.problems == []


def _pick_reports() -> tuple[Report, Report, Report]:
    """Three reports in the Havenwaard inbox of different shapes (chosen by query, worked on
    only through the pages): one with a time and subjects (the generated demo report), one
    from the Meldpunt with an address and several subjects and a receipt (so its anonymous
    reporter can be asked), and one sent without a category, with a point on the map."""
    inbox = Report.objects.filter(
        team__name=HAVENWAARD, status__in=[Status.RECEIVED, Status.IN_TRIAGE], merged_into=None
    ).annotate(subject_count=Count("subjects"))
    timed = (
        inbox.filter(observed_start__isnull=False, category__isnull=False, subject_count__gte=1)
        .order_by("pk")
        .first()
    )
    receipted = Receipt.objects.values("report_id")
    addressed = (
        inbox.filter(pk__in=receipted, is_anonymous=True, postcode__gt="", subject_count__gte=3)
        .order_by("pk")
        .first()
    )
    assert timed and addressed, "the demo has reports of each shape"
    uncategorised = (
        inbox.filter(category__isnull=True, lat__isnull=False).exclude(pk=timed.pk).order_by("pk")
    ).first()
    assert uncategorised, "the demo has a report without a category"
    return timed, addressed, uncategorised


def _correct(page, report: Report, fill, reason: str):
    """Open the report, correct it in "Controleren, aanvullen, verbeteren" and save."""
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    page.locator("summary", has_text="Controleren, aanvullen, verbeteren").click()
    fill(page)
    page.get_by_label("Waarom deze wijziging?").fill(reason)
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_text("Opgeslagen als versie 1")).to_be_visible()
    return page.get_by_role("region", name="Versies")


def test_the_teams_monday_round_on_the_demo(
    browser, live_server, settings, tmp_path, axe_violations, screenshot
):
    settings.VAR_DIR = tmp_path
    call_command("demo-setup")
    timed, addressed, uncategorised = _pick_reports()
    problems: list[str] = []

    # --- Intake (Ilse) ---------------------------------------------------------------------
    intake = Round(browser, live_server, problems)
    page = intake.log_in("intake")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("link", name=timed.reference)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "maandag-01-intake-inbox")

    # 1. Demo report 91's shape: a time ("Wanneer"), an address, a point and subjects.
    def later(page):
        field = page.get_by_label("Waargenomen vanaf")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", field.input_value())
        field.fill("2026-11-15T21:05")

    versions = _correct(page, timed, later, "Tijd nagevraagd bij de wijkagent.")
    # The time it had stays the reporter's, and the diff strikes it (not an empty "—").
    before = dates.long(timed.observed_start)
    original = page.get_by_role("region", name="Het origineel van de melder")
    expect(original).to_contain_text(before)
    expect(versions.locator(".diff del")).to_contain_text([before.split()[-1]])
    expect(versions.locator(".diff ins")).to_contain_text(["21:05"])
    text = versions.inner_text()
    assert "Wanneer" in text and "2026-11-15T" not in text
    working = page.get_by_role("region", name="Werkversie (versie 1)")
    expect(working).to_contain_text("15 november 2026 21:05")
    assert axe_violations(page) == []
    screenshot(page, "maandag-02-intake-tijd-verbeterd")

    # 2. From the Meldpunt: an address and persons, organisations, vehicles; no time.
    def supplement(page):
        form = page.locator("#verbeteren")
        form.get_by_label("Toevoeging").fill("A")
        form.get_by_label("Betrokkene toevoegen").select_option(label="Voertuig")
        form.get_by_label("Kenteken").fill("HT-441-B")
        form.get_by_label("Wat bekend is").fill("Grijze bestelbus, 's nachts bij de loods.")

    versions = _correct(page, addressed, supplement, "Aangevuld na een telefoontje van handhaving.")
    expect(versions.locator(".diff ins").filter(has_text="HT-441-B")).to_have_count(1)
    # A subject added is added whole: nothing of the ones already there reads as changed.
    subjects = versions.locator("dd").filter(has_text="HT-441-B")
    expect(subjects.locator("del")).to_have_count(0)
    # The address reads as on the page: street, number, postcode.
    where = versions.locator("dd").filter(has=page.locator("ins", has_text="-A,"))
    expect(where).to_contain_text(addressed.street)
    assert where.inner_text().startswith(addressed.street)
    expect(where).to_contain_text(re.compile(r"\(\d\d,\d{5}, \d,\d{5}\)"))  # Dutch decimals
    expect(page.get_by_role("region", name="Werkversie (versie 1)")).to_contain_text("HT-441-B")
    assert axe_violations(page) == []
    screenshot(page, "maandag-03-intake-betrokkene-toegevoegd")

    # It came in anonymously with a receipt: intake asks the reporter a question.
    page.get_by_label("Vraag aan de melder").fill("Weet u sinds wanneer de bus daar staat?")
    page.get_by_role("button", name="Vraag versturen").click()
    expect(page.get_by_text("De vraag is verstuurd")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "maandag-04-intake-vraag-aan-melder")

    # 3. Sent without a category ("niet pluis"), placed by a point on the map: categorised.
    def categorise(page):
        page.locator("#verbeteren").get_by_label("Categorie").select_option(label="Drugs")

    versions = _correct(page, uncategorised, categorise, "Past bij drugs: afgeplakte ramen.")
    expect(versions.locator(".diff ins").filter(has_text="Drugs")).to_have_count(1)
    assert axe_violations(page) == []
    screenshot(page, "maandag-05-intake-categorie-gekozen")
    intake.close()
    for report in (timed, addressed, uncategorised):
        assert ReportVersion.objects.filter(report=report).count() == 1
    assert Report.objects.get(pk=addressed.pk).status == Status.AWAITING_REPORTER

    # --- Analyst (Ahmed): weighs in one form, decides, opens a case, asks a source ----------
    analyst = Round(browser, live_server, problems)
    page = analyst.log_in("analist")
    page.goto(f"/werkruimte/meldingen/{timed.pk}")
    page.evaluate("window.stillTheSamePage = true")
    mandatory = Criterion.objects.filter(is_active=True, mandatory=True)
    open_mark = page.locator("#weging").get_by_text("Verplicht — nog niet beantwoord")
    expect(open_mark).to_have_count(mandatory.count())
    for criterion in mandatory:
        page.locator(f"#choice-{criterion.code}").get_by_label("ja", exact=True).check()
        page.locator(f"#motivation-{criterion.code}").fill("Zie de melding en de verbeterde tijd.")
    page.get_by_role("button", name="Weging opslaan").click()
    expect(page.get_by_text("antwoorden zijn opgeslagen.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True  # one form, no reload
    expect(open_mark).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, "maandag-06-analist-weging", element=page.locator("#weging"))
    page.get_by_label("Verdere analyse").check()
    page.get_by_label("Onderbouwing").fill("Weging 3: concreet, recent en ernstig.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het besluit is vastgelegd")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "maandag-07-analist-besluit")

    page.locator("#casus summary").click()
    page.get_by_label("Titel:", exact=True).fill("Busjes Visserslaan")
    page.get_by_label("Waarom een casus").fill("Weging 3: concreet, recent en ernstig.")
    page.get_by_role("button", name="Casus openen").click()
    expect(page.get_by_role("heading", name="Busjes Visserslaan")).to_be_visible()
    case = Case.objects.get(reports=timed)
    page.select_option("#source", label="Basisregistratie Personen (BRP)")
    page.fill("#purpose", "Wie staan er ingeschreven op het adres?")
    with page.expect_navigation():
        page.get_by_role("button", name="Vraag de privacyfunctionaris").click()
    expect(page.locator("#bronnen")).to_contain_text("Wie staan er ingeschreven op het adres?")
    assert axe_violations(page) == []
    screenshot(page, "maandag-08-analist-casus-bron-gevraagd")
    analyst.close()

    # --- Privacy officer (Priya): approves the source ---------------------------------------
    officer = Round(browser, live_server, problems)
    page = officer.log_in("privacy")
    page.goto("/werkruimte/casussen/bronnenonderzoek")
    request = page.locator("section.panel").filter(has_text="Wie staan er ingeschreven")
    expect(request).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "maandag-09-privacy-bronverzoek")
    request.locator("textarea").fill("Noodzakelijk en proportioneel voor het doel.")
    with page.expect_navigation():
        request.get_by_role("button", name="Goedkeuren").click()
    expect(
        page.locator("section.panel").filter(has_text="Wie staan er ingeschreven")
    ).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, "maandag-10-privacy-goedgekeurd")
    officer.close()
    assert Consultation.objects.get(case=case).state == ConsultationState.APPROVED

    # --- Team lead (Tom): the weekly overview -----------------------------------------------
    lead = Round(browser, live_server, problems)
    page = lead.log_in("teamleider")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Weekoverzicht"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"\d{4}-W\d\d"))
    expect(page.get_by_role("img", name="Nieuwe meldingen deze week per categorie")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "maandag-11-teamleider-weekoverzicht")
    lead.close()

    assert problems == []

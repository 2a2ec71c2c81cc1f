"""Subjects in a real browser, as an analyst (issue 5): the analyst names two people in a
report through "Controleren, aanvullen, verbeteren", the report's subjects panel offers an
exact BSN match (score 100) and a fuzzy one ("J. van der Berg" / "Jan v.d. Berg"), the
analyst links one and rejects the other (nothing merged, the rejection remembered), draws a
relation between the two registered people, and opens the network and the map; both pages
are screenshotted and axe finds nothing on any page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS
from baken.subjects.models import Judgement, Mention, Relation, Subject
from tests.browser.test_triage import _as
from tests.subjects.helpers import relation, subject, team_report
from tests.subjects.test_areas import HAVENWAARD, located
from tests.subjects.test_matching import BSN, registered

pytestmark = pytest.mark.django_db(transaction=True)


def _add_person(page, *, reason: str, **fields: str) -> None:
    """Name one more person in the working version, the way the team does it."""
    page.locator("summary", has_text="Controleren, aanvullen, verbeteren").click()
    form = page.locator("#verbeteren form")
    form.get_by_label("Betrokkene toevoegen").select_option(label="Persoon")
    for label, value in fields.items():
        form.get_by_label(f"{label}:", exact=True).fill(value)  # Django adds the colon
    form.get_by_label("Waarom deze wijziging?").fill(reason)
    form.get_by_role("button", name="Opslaan als nieuwe versie").click()


def _card(panel, named: str):
    """The panel's card for a subject the report names ("Persoon: <named>")."""
    return panel.locator(".named-subject").filter(
        has=panel.page.get_by_role("heading", name=f"Persoon: {named}", exact=True)
    )


def _button(card, label: str, name: str):
    """A judgement button; its accessible name is "<label> : <registered subject's name>"."""
    return card.get_by_role("button", name=re.compile(rf"^{label}\s*: {re.escape(name)}$"))


def _offered(card, named: str) -> dict[str, str]:
    """{registered subject's name: what its suggestion says} for one named subject."""
    matches = card.get_by_role("list", name=f"Mogelijke overeenkomsten voor {named}")
    if matches.count() == 0:
        return {}
    items = matches.locator(":scope > li")
    return {
        items.nth(i).locator("p > a").first.inner_text(): items.nth(i).inner_text()
        for i in range(items.count())
    }


def _score(text: str) -> int:
    found = re.search(r"score (\d+) van 100", text)
    assert found, text
    return int(found.group(1))


@pytest.fixture
def log_in(browser, live_server):
    """A logged-in page per user; the contexts close before the live server stops."""
    contexts = []

    def log_in(user):
        context, page = _as(browser, live_server, user)
        contexts.append(context)
        return page

    yield log_in
    for context in contexts:
        context.close()


def test_subjects_from_a_report_to_the_network_and_the_map(
    log_in, make_user, axe_violations, screenshot
):
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    analyst = make_user(role=Role.ANALYST, first_name="Ahmed")
    # Registered from earlier reports of the analyst's team, so the analyst may know of them.
    jan = registered(analyst, type="person", name="Jan v.d. Berg")
    pieter = registered(analyst, type="person", name="Pieter Bakker", bsn=BSN)
    registered(analyst, type="person", name="Karin Smit")  # nothing in common: never offered
    # The same name, known only to another municipality's team: never offered either.
    stranger = make_user(role=Role.ANALYST, team=Team.objects.create(name="Andere gemeente"))
    registered(stranger, type="person", name="Jan van der Berg")
    home = subject(
        "Havenkade 1, Havenwaard",
        "address",
        report=team_report(analyst.team),
        judge=analyst,
        street="Havenkade",
        house_number=1,
        postcode="1781AB",
        city="Havenwaard",
        lat=52.938,
        lon=4.772,
    )
    relation(pieter, home, "lives_at", by=analyst, source_registry="BRP")
    # A new report with a place, naming nobody yet.
    report = located(analyst.team, *HAVENWAARD)
    subjects_before = Subject.objects.count()

    page = log_in(analyst)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    # 1. The analyst names the two people in the report (two saves, each with a reason).
    page.goto(f"/werkruimte/meldingen/{report.pk}")
    panel = page.locator(f"#subjects-{report.pk}")
    panel.get_by_text("De melding noemt geen personen").wait_for()
    _add_person(page, reason="Naam genoemd door de wijkagent.", **{"Naam": "J. van der Berg"})
    page.get_by_text("Opgeslagen als versie 1").wait_for()
    _add_person(page, reason="BSN uit het BRP.", **{"Naam": "P. Bakker", "BSN": BSN})
    page.get_by_text("Opgeslagen als versie 2").wait_for()
    named = list(report.subjects.values_list("name", "bsn"))
    assert named == [("J. van der Berg", ""), ("P. Bakker", BSN)]

    # 2. The subjects panel offers the candidates, with their scores and reasons.
    fuzzy, exact = _card(panel, "J. van der Berg"), _card(panel, "P. Bakker")
    _button(exact, "Dezelfde", "Pieter Bakker").wait_for()
    offered = _offered(exact, "P. Bakker")
    assert list(offered) == ["Pieter Bakker"]
    assert _score(offered["Pieter Bakker"]) == 100
    assert "Zelfde BSN" in offered["Pieter Bakker"]
    assert BSN not in exact.inner_text()  # the number itself is not repeated
    offered = _offered(fuzzy, "J. van der Berg")
    assert list(offered) == ["Jan v.d. Berg"]  # not Karin Smit, not the other team's Jan
    assert 80 <= _score(offered["Jan v.d. Berg"]) < 100
    assert "Vergelijkbare naam: “J. van der Berg” en “Jan v.d. Berg”" in offered["Jan v.d. Berg"]
    assert not Mention.objects.filter(report_subject__report=report).exists()  # offered only
    assert axe_violations(page) == []
    screenshot(page, "subject-candidates", element=panel)

    # 3. The analyst links the exact match and rejects the fuzzy one.
    _button(exact, "Dezelfde", "Pieter Bakker").click()
    panel.get_by_role("status").filter(has_text="is gekoppeld aan Pieter Bakker").wait_for()
    expect(exact.get_by_text("Gekoppeld aan")).to_be_visible()
    expect(exact.get_by_role("link", name="Pieter Bakker")).to_be_visible()
    assert _offered(exact, "P. Bakker") == {}
    _button(fuzzy, "Niet dezelfde", "Jan v.d. Berg").click()
    panel.get_by_role("status").filter(has_text="wordt niet meer voorgesteld").wait_for()
    expect(fuzzy.get_by_text("Geen vastgelegde betrokkene komt overeen.")).to_be_visible()
    page.reload()
    fuzzy.get_by_text("Geen vastgelegde betrokkene komt overeen.").wait_for()
    assert _offered(fuzzy, "J. van der Berg") == {}  # the rejection is remembered
    expect(exact.get_by_text("Gekoppeld aan Pieter Bakker")).to_be_visible()
    assert axe_violations(page) == []

    judged = {
        m.subject: (m.report_subject.name, m.judgement, m.score, m.judged_by)
        for m in Mention.objects.filter(report_subject__report=report)
    }
    subjects_after = Subject.objects.count()
    merged = Subject.objects.filter(merged_into__isnull=False).exists()
    assert set(judged) == {pieter, jan}
    assert judged[pieter] == ("P. Bakker", Judgement.SAME, 100, analyst)
    name, judgement, score, by = judged[jan]
    assert (name, judgement, by) == ("J. van der Berg", Judgement.NOT_SAME, analyst)
    assert 80 <= score < 100  # the score as the analyst saw it, kept with the judgement
    assert subjects_after == subjects_before  # nothing registered of itself
    assert not merged  # and nothing merged

    # 4. On the linked subject's page the analyst draws a relation to the other person.
    exact.get_by_role("link", name="Pieter Bakker").click()
    page.get_by_role("heading", name="Pieter Bakker", level=1).wait_for()
    naming = page.get_by_role("region", name="Meldingen die deze betrokkene noemen")
    expect(naming.get_by_role("link", name=report.reference, exact=True)).to_be_visible()
    assert (
        f"beoordeelde ‘P. Bakker’ in {report.reference}" in page.locator(".timeline").inner_text()
    )
    relations = page.locator(f"#relations-{pieter.pk}")
    relations.get_by_label("Relatie", exact=True).select_option(label="bekende van")
    other = relations.get_by_label("Andere betrokkene", exact=True)
    relations.get_by_role("searchbox", name="Zoek de andere betrokkene op").fill("berg")
    expect(other.locator("option")).to_have_text(
        ["— kies een betrokkene —", "Jan v.d. Berg (persoon)"]
    )
    other.select_option(label="Jan v.d. Berg (persoon)")
    relations.get_by_label("Bron: melding").select_option(str(report.pk))
    relations.get_by_role("button", name="Relatie toevoegen").click()
    relations.get_by_role("status").filter(has_text="De relatie met Jan v.d. Berg").wait_for()
    row = relations.locator("tbody tr").filter(has_text="Jan v.d. Berg")
    assert "bekende van" in row.inner_text() and report.reference in row.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "subject-page")
    added = Relation.objects.select_related("source", "target", "source_report").get(
        kind="associate_of"
    )
    assert (added.source, added.target, added.source_report) == (pieter, jan, report)
    assert added.added_by == analyst

    # ... and it shows on the other end too.
    page.goto(f"/werkruimte/betrokkenen/{jan.pk}/relaties")
    row = page.locator(f"#relations-{jan.pk} tbody tr").filter(has_text="Pieter Bakker")
    assert "bekende van" in row.inner_text() and report.reference in row.inner_text()
    assert axe_violations(page) == []

    # 5. The network around the linked subject: drawn, and the same in the text alternative.
    page.goto(f"/werkruimte/betrokkenen/{pieter.pk}")
    page.get_by_role("link", name="Toon het netwerk van relaties").click()
    page.get_by_role("heading", name="Netwerk rond Pieter Bakker").wait_for()
    page.wait_for_selector("#network-graph canvas")
    nodes = page.locator("#network-nodes tbody tr")
    assert sorted(nodes.locator("td:first-child").all_inner_texts()) == [
        "Havenkade 1, Havenwaard",
        "Jan v.d. Berg",
        "Pieter Bakker",
    ]
    edges = [
        " | ".join(row.locator("td").all_inner_texts()[:3])
        for row in page.locator("#network-edges tbody tr").all()
    ]
    assert sorted(edges) == [
        "Pieter Bakker | bekende van | Jan v.d. Berg",
        "Pieter Bakker | woont op | Havenkade 1, Havenwaard",
    ]
    page.click("#network-png")  # the graph was drawn: it exports as an image
    assert page.get_attribute("#network-download", "href").startswith("data:image/png")
    assert axe_violations(page) == []
    screenshot(page, "subject-network")

    # 6. The map: the report as a marker, the address as a marker, the areas as outlines.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kaart").click()
    page.wait_for_selector("#map-tools:not([hidden])")
    # "1 meldingen": map.js has one text for every count (no plural); either form passes.
    assert page.locator("#map-status").inner_text() == "1 melding getoond."
    # Reports are drawn blue, addresses brown (map.js); the rest are the area outlines.
    assert page.locator("#map path.leaflet-interactive[stroke='#01689b']").count() == 1
    assert page.locator("#map path.leaflet-interactive[stroke='#8a3b00']").count() == 1
    counts = page.get_by_role("region", name="Meldingen per gebied").locator("tbody tr")
    assert counts.filter(has_text="Havenwaard").locator("td").inner_text() == "1"
    page.locator("#map path.leaflet-interactive[stroke='#01689b']").click()
    page.locator("#map .leaflet-popup").get_by_role("link", name=report.reference).wait_for()
    # Leaflet fades the popup in; axe would measure the contrast of a half-transparent link.
    expect(page.locator("#map .leaflet-popup")).to_have_css("opacity", "1")
    assert axe_violations(page) == []
    screenshot(page, "subject-map")

    assert problems == []  # no CSP refusal, no failed request (a panel's 500), no script error

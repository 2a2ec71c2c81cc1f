"""Adding a report to a running case without a list of every open case of the team: the
report page's cases panel offers a search by case number or title (at most 20 results, with
htmx or as a page of its own) and a few suggestions (a case holding a report about the same
address, the cases one recently worked in); what is posted is checked against the cases the
user may add to. The panel reads a bounded number of queries however many cases are open."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.cases.models import Case
from baken.cases.selectors import JOIN_FOUND_MAX
from baken.core.roles import Role
from baken.reports.models import Report
from tests.cases.test_cases import in_analysis, open_case

pytestmark = pytest.mark.django_db


def many_cases(
    template: Case, n: int, *, title: str = "Casus Dorpsstraat", prefix: str = "TEST"
) -> list[Case]:
    """`n` more open cases of `template`'s team, opened before it (newest first: i = 0)."""
    return Case.objects.bulk_create(
        Case(
            reference=f"Z-{prefix}-{i:04d}",
            title=f"{title} {i}",
            team=template.team,
            version=template.version,
            stage=template.stage,
            opened_at=template.opened_at - timedelta(days=i + 1),
        )
        for i in range(n)
    )


def panel(browser, report) -> str:
    """The "add to a running case" part of the report page's cases panel."""
    html = browser.get(reverse("cases:report_panel", args=[report.pk])).content.decode()
    return html.partition('id="casus-toevoegen"')[2]


def search(browser, report, query: str, *, htmx: bool = True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return browser.get(reverse("cases:join", args=[report.pk]), {"zoek": query}, **headers)


def test_the_team_lead_searches_by_case_number_or_title_instead_of_a_list_of_every_case(
    case, lead, north, verified_client
):
    others = many_cases(case, 45)
    report = in_analysis(north)
    browser = verified_client(lead)
    shown = panel(browser, report)
    # No list of the team's 46 open cases: a search field with its label, no <select>.
    assert 'type="search"' in shown and 'for="join-zoek"' in shown and "<select" not in shown
    assert not any(other.reference in shown for other in others)

    by_title = search(browser, report, "dorpsstraat").content.decode()
    assert by_title.count('type="radio"') == JOIN_FOUND_MAX
    assert "Meer dan 20 lopende casussen" in by_title and "Typ meer van de titel" in by_title
    # The newest first: the 20 newest of the 45 matching cases.
    assert others[0].reference in by_title and others[44].reference not in by_title

    # A case number as typed: lower case, without its dashes.
    wanted = others[44]
    by_number = search(browser, report, wanted.reference.lower().replace("-", " ")).content
    assert wanted.reference in by_number.decode()
    assert by_number.decode().count('type="radio"') == 1
    nothing = search(browser, report, "Kerkplein").content.decode()
    assert 'type="radio"' not in nothing and "Geen lopende casus" in nothing

    # Chosen from the results, the report joins the case.
    joined = browser.post(
        reverse("cases:join", args=[report.pk]),
        {"join-case": wanted.pk, "join-rationale": "Zelfde pand."},
    )
    assert joined.status_code == 302 and wanted.reports.filter(pk=report.pk).exists()


def test_without_javascript_the_search_is_a_page_of_its_own(case, lead, north, verified_client):
    report = in_analysis(north)
    browser = verified_client(lead)
    page = search(browser, report, case.reference, htmx=False)
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Toevoegen aan een lopende casus</h1>" in html
    assert f'value="{case.pk}"' in html and "Waarom deze casus" in html
    assert report.reference in html


def test_suggested_are_cases_about_the_same_address_and_the_ones_you_recently_worked_in(
    case, analyst, lead, north, verified_client
):
    report = in_analysis(north)
    Report.objects.filter(pk=report.pk).update(postcode="1781AB", house_number=3)
    same_address = open_case(north, lead, title="Woning Havenweg")
    Report.objects.filter(pk=same_address.reports.get().pk).update(
        postcode="1781AB", house_number=3
    )
    elsewhere = open_case(north, lead, title="Schuur Kerkweg")
    many_cases(case, 30)

    for_lead = panel(verified_client(lead), report)
    assert same_address.reference in for_lead
    assert "bevat een melding over hetzelfde adres of dezelfde betrokkene" in for_lead
    # The lead opened both of them; the analyst's own case is not hers recently.
    assert elsewhere.reference in for_lead and "u werkte er onlangs in" in for_lead
    assert for_lead.count('type="radio"') <= 10

    # The analyst is a member of her own case only: the lead's cases are not suggested.
    for_analyst = panel(verified_client(analyst), report)
    assert case.reference in for_analyst
    assert same_address.reference not in for_analyst and elsewhere.reference not in for_analyst


def test_a_suggested_case_the_search_finds_stands_in_the_form_once(
    case, lead, north, verified_client
):
    """With htmx the search swaps its results in and sends the suggestions again without
    the cases it found: never two radio buttons for one case in the form."""
    report = in_analysis(north)
    elsewhere = open_case(north, lead, title="Schuur Kerkweg")  # the lead worked in both
    other = open_case(north, lead, title="Woning Havenweg")
    browser = verified_client(lead)
    assert elsewhere.reference in panel(browser, report).partition("Voorgesteld")[2]

    found = search(browser, report, "kerkweg").content.decode()
    results, _, suggestions = found.partition('id="join-suggested"')
    assert results.count(f'value="{elsewhere.pk}"') == 1
    assert 'hx-swap-oob="true"' in suggestions and f'value="{elsewhere.pk}"' not in suggestions
    assert other.reference in suggestions  # the other suggestions stay


def test_a_case_not_yours_to_add_to_is_refused_with_a_reason_and_never_found(
    case, analyst, north, south, make_user, verified_client
):
    report = in_analysis(north)
    elsewhere = open_case(south, make_user(role=Role.ANALYST, team=south), title="Loods Zuid")
    browser = verified_client(analyst)
    assert elsewhere.reference not in search(browser, report, "Loods").content.decode()
    refused = browser.post(
        reverse("cases:join", args=[report.pk]),
        {"join-case": elsewhere.pk, "join-rationale": "Zelfde loods."},
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and not elsewhere.reports.filter(pk=report.pk).exists()
    assert "Kies een lopende casus waarin u werkt" in html
    # What the user typed stays; the cases they may add to are offered again.
    assert "Zelfde loods." in html and case.reference in html and elsewhere.reference not in html

    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at"])
    closed = browser.post(
        reverse("cases:join", args=[report.pk]),
        {"join-case": case.pk, "join-rationale": "Erbij."},
    )
    assert closed.status_code == 400 and "Kies een lopende casus" in closed.content.decode()
    assert not case.reports.filter(pk=report.pk).exists()


def test_the_panel_reads_a_bounded_number_of_queries_however_many_cases_are_open(
    case, lead, north, verified_client, django_assert_max_num_queries
):
    report = in_analysis(north)
    browser = verified_client(lead)
    counts = []
    for more in (1, 60):
        many_cases(case, more, title=f"Casus {more}", prefix=f"T{more:03d}")
        for url, data in (
            (reverse("cases:report_panel", args=[report.pk]), {}),
            (reverse("cases:join", args=[report.pk]), {"zoek": "Casus"}),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert browser.get(url, data, HTTP_HX_REQUEST="true").status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
    with django_assert_max_num_queries(20):
        panel(browser, report)
    with django_assert_max_num_queries(15):
        search(browser, report, "Casus")

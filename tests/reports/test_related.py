"""Related reports (issue "Werkruimte I", item 8): each kind of clue is found and explained,
only reports the user may see are suggested, a dismissal is remembered, the panel's query
count does not grow with the number of reports."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import LinkKind, Report, ReportLink
from baken.reports.related import names_similar, normalise_name, related_for, report_link
from baken.reports.validation import check_report

pytestmark = pytest.mark.django_db

NOW = timezone.now()
POINT = {"lat": 52.6500, "lon": 4.7500}
# About 110 m north of POINT.
NEAR_POINT = {"lat": 52.6510, "lon": 4.7500}


def file_report(team, description="Verdachte situatie bij een bedrijfspand.", **extra) -> Report:
    checked = check_report({"description": description, **extra}, require_answers=False)
    report = intake_services.report_submit(checked=checked, actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=team)
    return Report.objects.get(pk=report.pk)


def observed(days_ago: int) -> dict:
    return {"start": (NOW - timedelta(days=days_ago)).isoformat()}


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


@pytest.fixture
def report(north):
    return file_report(
        north,
        location={"address": {"postcode": "1781 AB", "house_number": 3}, "point": POINT},
        observed_at=observed(10),
        subjects=[
            {"type": "person", "name": "Jan de Vries", "bsn": "111222333"},
            {"type": "organisation", "name": "Bakkerij Jansen B.V.", "kvk_number": "12345678"},
            {"type": "vehicle", "license_plate": "12-AB-CD"},
        ],
    )


@pytest.fixture
def world(north, south, report):
    """One report per kind of clue, plus some that must not be suggested."""
    return {
        "address": file_report(
            north, location={"address": {"postcode": "1781AB", "house_number": 3}}
        ),
        "bsn": file_report(
            north, subjects=[{"type": "person", "name": "Piet Pietersen", "bsn": "111222333"}]
        ),
        "kvk": file_report(
            north,
            subjects=[{"type": "organisation", "name": "Garage Zuid", "kvk_number": "12345678"}],
        ),
        "plate": file_report(north, subjects=[{"type": "vehicle", "license_plate": "12abcd"}]),
        "person": file_report(north, subjects=[{"type": "person", "name": "J. de Vries"}]),
        "company": file_report(
            north, subjects=[{"type": "organisation", "name": "Bakkerij Jansen"}]
        ),
        "place_time": file_report(north, location={"point": NEAR_POINT}, observed_at=observed(5)),
        # Not related: elsewhere, other names, or near but months apart.
        "unrelated": file_report(
            north,
            location={"address": {"postcode": "1782 CD", "house_number": 10}},
            subjects=[{"type": "person", "name": "Piet de Boer"}],
        ),
        "long_ago": file_report(north, location={"point": NEAR_POINT}, observed_at=observed(120)),
        "far_away": file_report(
            north, location={"point": {"lat": 52.70, "lon": 4.75}}, observed_at=observed(9)
        ),
        # The same address, but another team's: the north analyst may not see it.
        "invisible": file_report(
            south, location={"address": {"postcode": "1781AB", "house_number": 3}}
        ),
    }


EXPECTED = {
    "address": "address",
    "bsn": "bsn",
    "kvk": "kvk",
    "plate": "plate",
    "person": "name",
    "company": "name",
    "place_time": "place_time",
}


def by_name(world, related) -> dict[str, set[str]]:
    names = {r.pk: name for name, r in world.items()}
    return {names[item.report.pk]: {reason.code for reason in item.reasons} for item in related}


def test_each_kind_of_clue_is_found_and_only_that(analyst, report, world):
    found = by_name(world, related_for(user=analyst, report=report))
    assert found == {name: {code} for name, code in EXPECTED.items()}


def test_reasons_say_why_in_words(analyst, report, world):
    from django.utils import translation

    with translation.override("en"):
        related = related_for(user=analyst, report=report)
    texts = {reason.code: reason.text for item in related for reason in item.reasons}
    assert texts["address"] == "Same address: 1781 AB 3"
    assert texts["plate"] == "Same licence plate: 12-AB-CD"
    assert texts["kvk"] == "Same KvK number: 12345678"
    assert "111222333" not in texts["bsn"]  # the BSN itself is never repeated
    names = {r.text for item in related for r in item.reasons if r.code == "name"}
    assert "Similar name: “Jan de Vries” and “J. de Vries”" in names
    assert "Similar name: “Bakkerij Jansen B.V.” and “Bakkerij Jansen”" in names
    assert texts["place_time"] == "Close in place and time: 111 m and 5 days apart"


def test_nothing_the_user_may_not_see_is_suggested(make_user, analyst, south, report, world):
    assert "invisible" not in by_name(world, related_for(user=analyst, report=report))
    # The south analyst is suggested the south report only, not the north ones.
    south_analyst = make_user(role=Role.ANALYST, team=south)
    assert set(by_name(world, related_for(user=south_analyst, report=report))) == {"invisible"}
    # A role that sees no report content is suggested nothing at all.
    assert related_for(user=make_user(role=Role.MANAGEMENT, team=None), report=report) == []


def test_suggestions_shown_are_logged_with_ids(analyst, report, world):
    related_for(user=analyst, report=report)
    entry = AuditEntry.objects.filter(action="report.list", actor_id=analyst.pk).last()
    assert world["address"].pk in entry.detail["ids"]
    assert world["invisible"].pk not in entry.detail["ids"]


@pytest.mark.parametrize(
    ("a", "b", "kind", "similar"),
    [
        ("J. de Vries", "Jan de Vries", "person", True),
        ("Jan van der Berg", "J. Berg", "person", True),
        ("Ahmet Yılmaz", "A. Yilmaz", "person", True),
        ("Piet de Vries", "Jan de Vries", "person", False),
        ("Jan de Vries", "Jan Jansen", "person", False),
        ("Bakkerij Jansen B.V.", "Bakkerij Jansen", "organisation", True),
        ("Bakkerij Jansen BV", "bakkerij jänsen v.o.f.", "organisation", True),
        ("Bakkerij Jansen", "Slagerij Jansen", "organisation", False),
    ],
)
def test_dutch_names_are_compared_sensibly(a, b, kind, similar):
    assert names_similar(a, b, kind) is similar


def test_normalised_names():
    assert normalise_name("J. van der Vries") == "j vries"
    assert normalise_name("Bakkerij Jansen B.V.", "organisation") == "bakkerij jansen"


def test_a_dismissal_is_remembered_and_a_link_shown_first(analyst, report, world):
    report_link(report=report, other=world["plate"], actor=analyst, kind=LinkKind.DISMISSED)
    report_link(report=world["unrelated"], other=report, actor=analyst, kind=LinkKind.RELATED)
    related = related_for(user=analyst, report=report)
    names = by_name(world, related)
    assert "plate" not in names
    assert related[0].report == world["unrelated"] and related[0].linked
    link = ReportLink.objects.get(kind=LinkKind.RELATED)
    assert link.report_id < link.other_id  # one row per pair, lower id first
    # A new judgement of the pair replaces the earlier one.
    report_link(report=world["plate"], other=report, actor=analyst, kind=LinkKind.RELATED)
    assert ReportLink.objects.filter(kind=LinkKind.DISMISSED).count() == 0
    assert AuditEntry.objects.filter(action="report.link").count() == 3


def test_linking_over_html_and_the_panel(verified_client, analyst, report, world):
    browser = verified_client(analyst)
    panel = browser.get(reverse("reports:related", args=[report.pk]))
    assert panel.status_code == 200
    body = panel.content.decode()
    assert world["address"].reference in body and world["invisible"].reference not in body
    response = browser.post(
        reverse("reports:link", args=[report.pk]),
        {"other": world["bsn"].pk, "kind": "dismissed", "reason": "Andere persoon."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    response = browser.post(
        reverse("reports:link", args=[report.pk]),
        {"other": world["kvk"].pk, "kind": "related"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert world["bsn"].reference not in body and world["kvk"].reference in body
    assert 'role="status"' in body


def test_linking_over_the_api(client, analyst, report, world):
    headers = auth(analyst)
    url = f"/api/v1/reports/{report.pk}"
    response = client.post(
        f"{url}/links",
        {"other": world["person"].pk, "kind": "dismissed"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    body = client.get(f"{url}/related", **headers).json()
    ids = {item["id"] for item in body["results"]}
    assert world["person"].pk not in ids and world["company"].pk in ids
    item = next(i for i in body["results"] if i["id"] == world["company"].pk)
    assert [r["code"] for r in item["reasons"]] == ["name"]


def test_roles_without_the_action_get_403(client, verified_client, make_user, north, report):
    other = file_report(north, location={"address": {"postcode": "1781AB", "house_number": 3}})
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    Report.objects.filter(pk__in=[report.pk, other.pk]).update(assignee=handler)
    data = {"other": other.pk, "kind": "related"}
    response = client.post(
        f"/api/v1/reports/{report.pk}/links", data, content_type="application/json", **auth(handler)
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    browser = verified_client(handler)
    assert browser.post(reverse("reports:link", args=[report.pk]), data).status_code == 403
    assert not ReportLink.objects.exists()


def test_invisible_reports_are_404(client, verified_client, make_user, south, report, world):
    stranger = make_user(role=Role.ANALYST, team=south)
    assert client.get(f"/api/v1/reports/{report.pk}/related", **auth(stranger)).status_code == 404
    browser = verified_client(stranger)
    assert browser.get(reverse("reports:related", args=[report.pk])).status_code == 404
    # Linking to a report the user may not see is a 404 too, over the API and HTML.
    lead = make_user(role=Role.TEAM_LEAD, team=south)
    data = {"other": world["address"].pk, "kind": "related"}
    url = f"/api/v1/reports/{world['invisible'].pk}/links"
    response = client.post(url, data, content_type="application/json", **auth(lead))
    assert response.status_code == 404
    browser = verified_client(lead)
    response = browser.post(reverse("reports:link", args=[world["invisible"].pk]), data)
    assert response.status_code == 404
    assert not ReportLink.objects.exists()


def test_the_panel_query_count_does_not_grow(
    verified_client, analyst, north, report, django_assert_max_num_queries
):
    browser = verified_client(analyst)
    url = reverse("reports:related", args=[report.pk])
    counts = []
    for extra in (2, 40):
        for n in range(extra):
            file_report(
                north,
                description=f"Weer iets op dit adres, nummer {n}.",
                location={"address": {"postcode": "1781AB", "house_number": 3}},
                subjects=[{"type": "vehicle", "license_plate": "12-AB-CD"}],
            )
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(30):
        browser.get(url)

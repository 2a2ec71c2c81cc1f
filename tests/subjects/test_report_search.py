"""Search finds reports by what they mention — names, identifiers and addresses — before
anyone registered a subject (issue 12, item 8); only reports the user may see, with why each
was found, and the search audited."""

import pytest
from django.urls import reverse

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.dates import compact
from baken.core.roles import Role
from baken.reports.models import Report
from baken.reports.workflow import Status
from baken.subjects import search
from tests.api.test_triage_api import auth
from tests.reports.test_triage import improve

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "description": "Drukte bij een loods, elke nacht busjes die laden en lossen.",
    "category": "drugs",
    "location": {"address": {"postcode": "1781AB", "house_number": 12, "street": "Havenkade"}},
    "subjects": [
        {"type": "person", "name": "Jan van der Berg"},
        {"type": "vehicle", "license_plate": "vt123k", "description": "witte bestelbus"},
        {"type": "organisation", "name": "Loodsverhuur Noord B.V.", "kvk_number": "12345678"},
        {"type": "person", "name": "Karin Smit", "bsn": "123456782"},
    ],
}


@pytest.fixture
def world(client, make_user):
    """A report made through the public API, routed to the team of Noord."""
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    response = client.post("/api/v1/reports", PAYLOAD, content_type="application/json")
    assert response.status_code == 201, response.content
    Report.objects.filter(pk=response.json()["id"]).update(team=north)
    users = {
        "analyst": make_user(role=Role.ANALYST, team=north),
        "intake": make_user(role=Role.INTAKE, team=north),
        "stranger": make_user(role=Role.ANALYST, team=south),
    }
    return Report.objects.get(pk=response.json()["id"]), users


def found(client, user, query) -> dict:
    response = client.get("/api/v1/search", {"q": query}, **auth(user))
    assert response.status_code == 200, response.content
    return {r["reference"]: r["found_by"] for r in response.json()["reports"]}


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("Jan van der Berg", "name", "Jan van der Berg"),
        ("Berg", "name", "Jan van der Berg"),
        ("jan van den berg", "name", "Jan van der Berg"),
        ("VT-123-K", "license_plate", "VT-123-K"),
        ("vt123k", "license_plate", "VT-123-K"),
        ("1234 5678", "kvk_number", "12345678 (Loodsverhuur Noord B.V.)"),
        ("123456782", "bsn", "123456782 (Karin Smit)"),
        ("Havenkade", "report_address", "Havenkade 12"),
        ("1781 ab 12", "report_address", "Havenkade 12"),
        ("loodsverhuur", "name", "Loodsverhuur Noord B.V."),
    ],
)
def test_a_report_made_through_the_api_is_found_by_what_it_mentions(
    client, world, query, field, value
):
    report, users = world
    reasons = found(client, users["analyst"], query)
    assert report.reference in reasons, query
    assert {"field": field, "value": value} in reasons[report.reference]
    # Intake works the same queue and finds it too; an analyst of another team never does.
    assert report.reference in found(client, users["intake"], query)
    assert found(client, users["stranger"], query) == {}


def test_intake_loses_it_when_it_leaves_the_intake_queue(client, world):
    report, users = world
    Report.objects.filter(pk=report.pk).update(status=Status.IN_ANALYSIS)
    assert found(client, users["intake"], "Jan van der Berg") == {}
    assert report.reference in found(client, users["analyst"], "Jan van der Berg")


def test_the_search_is_audited_with_the_reports_shown(client, world):
    report, users = world
    found(client, users["analyst"], "Berg")
    entry = AuditEntry.objects.filter(action="search", actor_id=users["analyst"].pk).latest("seq")
    assert entry.detail["reports"] == [report.pk]
    assert "Berg" not in str(entry.detail)  # the query itself is not kept


def test_a_name_added_by_the_improve_form_is_found_and_a_removed_one_is_not(world, verified_client):
    report, users = world
    browser = verified_client(users["analyst"])
    assert search.search(user=users["analyst"], query="Kees Klomp").reports == []
    named = [str(i) for i, s in enumerate(report.subjects.all()) if s.name == "Jan van der Berg"]
    response = improve(
        browser,
        report,
        category="drugs",
        street="Havenkade",
        new_kind="person",
        new_name="Kees Klomp",
        remove_subjects=named,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert search.search(user=users["analyst"], query="Kees Klomp").reports == [report]
    assert search.search(user=users["analyst"], query="Jan van der Berg").reports == []


def test_the_page_shows_reference_category_date_and_why(world, verified_client):
    report, users = world
    page = verified_client(users["analyst"]).get(reverse("subjects:search"), {"q": "vt123k"})
    html = page.content.decode()
    assert report.reference in html and report.category.name in html
    assert "Kenteken: VT-123-K" in html
    assert compact(report.received_at) in html


def test_a_report_from_the_meldpunt_form_is_found_by_its_names_and_plate(client, make_user):
    north = Team.objects.create(name="Noord")
    response = client.post(
        "/melden",
        {
            "category": "drugs",
            "description": "Elke nacht busjes bij de loods, ramen afgeplakt.",
            "identity": "anonymous",
            "location_postcode": "1781 AB",
            "location_house_number": "12",
            "location_street": "Havenkade",
            "person-0-name": "Jan van der Berg",
            "vehicle-0-license_plate": "vt 123 k",
        },
    )
    assert response.status_code in (200, 201, 302), response.content.decode()[:1000]
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(team=north)
    analyst = make_user(role=Role.ANALYST, team=north)
    for query in ("berg", "VT-123-K", "havenkade", "1781AB 12"):
        assert search.search(user=analyst, query=query).reports == [report], query

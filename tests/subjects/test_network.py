"""The network around a subject: only what the user may see, step by step, in a bounded
number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.core.roles import Role
from baken.reports.models import Report

from .helpers import relation, subject, team_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def chain(analyst, make_user):
    """jan — company — address — car (visible), plus a secret subject linked to jan and to
    the company, and a visible subject reachable only through the secret one."""
    report = team_report(analyst.team)
    outsider = make_user(role=Role.ANALYST, team__name="Andere gemeente")
    hidden_report = team_report(outsider.team)
    jan = subject("Jan de Vries", report=report, judge=analyst)
    company = subject("Schuur B.V.", "organisation", report=report, judge=analyst)
    address = subject("Dorpsstraat 3, Dorp", "address", report=report, judge=analyst)
    car = subject("12-AB-CD", "vehicle", report=report, judge=analyst)
    secret = subject("Geheime Piet", report=hidden_report, judge=outsider)
    behind = subject("Achter Piet", report=report, judge=analyst)
    relation(jan, company, "director_of", by=analyst)
    relation(company, address, "registered_at", by=analyst)
    relation(company, car, "uses_vehicle", by=analyst)
    relation(jan, secret, "associate_of", by=analyst)
    relation(secret, behind, "family_of", by=analyst)
    return locals()


def _ids(data):
    return {n["id"] for n in data["nodes"]}


def test_network_json_depth_and_need_to_know(analyst, chain, verified_client):
    browser = verified_client(analyst)
    url = reverse("subjects:network_data", args=[chain["jan"].pk])
    one = browser.get(url, {"depth": 1}).json()
    assert _ids(one) == {chain["jan"].pk, chain["company"].pk}
    three = browser.get(url, {"depth": 3}).json()
    assert _ids(three) == {chain[k].pk for k in ("jan", "company", "address", "car")}
    assert chain["secret"].pk not in _ids(three)
    assert chain["behind"].pk not in _ids(three)  # reachable only through the secret one
    for edge in three["edges"]:
        assert edge["source"] in _ids(three) and edge["target"] in _ids(three)
    assert "Geheime" not in str(three)


def test_network_page_has_text_alternative_and_no_inline_script(analyst, chain, verified_client):
    browser = verified_client(analyst)
    page = browser.get(reverse("subjects:network", args=[chain["jan"].pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="network-nodes"' in html and "Schuur B.V." in html
    assert "Geheime" not in html
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert "<script>" not in html and "style=" not in html


def test_network_api(analyst, chain, verified_client):
    browser = verified_client(analyst)
    data = browser.get(f"/api/v1/subjects/{chain['jan'].pk}/network?depth=2").json()
    assert _ids(data) == {chain[k].pk for k in ("jan", "company", "address", "car")}
    assert browser.get(f"/api/v1/subjects/{chain['secret'].pk}/network").status_code == 404


def test_network_query_count_does_not_grow(analyst, chain, verified_client):
    browser = verified_client(analyst)
    url = reverse("subjects:network_data", args=[chain["jan"].pk])
    browser.get(url, {"depth": 3})
    with CaptureQueriesContext(connection) as small:
        browser.get(url, {"depth": 3})
    for n in range(15):
        extra = subject(f"Extra {n}", "vehicle", report=chain["report"], judge=analyst)
        relation(chain["company"], extra, "owner_of", by=analyst)
    with CaptureQueriesContext(connection) as large:
        response = browser.get(url, {"depth": 3})
    assert len(response.json()["nodes"]) == 19
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 22  # session, user, 2FA, two audit entries


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.TEAM_LEAD, 200), (Role.MANAGEMENT, 403), (Role.ADMIN, 403)],
)
def test_network_per_role(role, status, chain, make_user, analyst, verified_client):
    user = make_user(role=role, team=analyst.team)
    url = reverse("subjects:network", args=[chain["jan"].pk])
    assert verified_client(user).get(url).status_code == status


def test_case_handler_who_sees_may_not_link(chain, make_user, analyst, verified_client):
    handler = make_user(role=Role.CASE_HANDLER, team=analyst.team)
    Report.objects.filter(pk=chain["report"].pk).update(assignee=handler)
    browser = verified_client(handler)
    pk = chain["jan"].pk
    assert browser.get(reverse("subjects:network_data", args=[pk])).status_code == 200
    response = browser.post(
        f"/api/v1/subjects/{pk}/relations",
        {"other": chain["car"].pk, "kind": "uses_vehicle", "source_registry": "RDW"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"

"""The triage work over the API: the same rules as the pages, problem+json for refusals."""

import io

import pytest
from django.core.management import call_command

from baken.core.roles import Role
from baken.reports.models import Criterion, Report
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


@pytest.fixture
def setup(make_user):
    analyst = make_user(role=Role.ANALYST)
    report = file_report()
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    return analyst, Report.objects.get(pk=report.pk)


def test_patch_improves_and_a_stale_revision_is_a_409(client, setup):
    analyst, report = setup
    url = f"/api/v1/reports/{report.pk}"
    body = {
        "revision": 0,
        "reason": "Tekst aangevuld.",
        "changes": {"description": "Nieuwe tekst, lang genoeg."},
    }
    response = client.patch(url, body, content_type="application/json", **auth(analyst))
    assert response.status_code == 200 and response.json()["revision"] == 1
    again = client.patch(url, body, content_type="application/json", **auth(analyst))
    assert again.status_code == 409
    assert again.json()["invalid_params"][0]["name"] == "revision"
    versions = client.get(f"{url}/versions", **auth(analyst)).json()
    assert [v["number"] for v in versions] == [0, 1]
    assert versions[0]["data"]["description"] != versions[1]["data"]["description"]


def test_decision_refused_names_each_open_criterion(client, setup):
    analyst, report = setup
    response = client.post(
        f"/api/v1/reports/{report.pk}/decision",
        {"kind": "no_action", "rationale": "Geen ondermijning."},
        content_type="application/json",
        **auth(analyst),
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    mandatory = set(Criterion.objects.filter(mandatory=True).values_list("code", flat=True))
    assert names == {f"criteria.{code}" for code in mandatory}


def test_full_weighing_over_the_api(client, setup):
    analyst, report = setup
    headers = auth(analyst)
    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        answered = client.post(
            f"/api/v1/reports/{report.pk}/criteria",
            {"criterion": code, "choice": "ja", "motivation": "Zie melding."},
            content_type="application/json",
            **headers,
        )
        assert answered.status_code == 200
    assert answered.json()["open"] == []
    decided = client.post(
        f"/api/v1/reports/{report.pk}/decision",
        {"kind": "in_analysis", "rationale": "Verder onderzoeken."},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201
    transitions = client.get(f"/api/v1/reports/{report.pk}/transitions", **headers).json()
    assert [t["to"] for t in transitions][-1] == "in_analysis"


def test_roles_and_strangers(client, setup, make_user):
    analyst, report = setup
    intake = make_user(role=Role.INTAKE, team=analyst.team)
    denied = client.post(
        f"/api/v1/reports/{report.pk}/decision",
        {"kind": "no_action", "rationale": "x"},
        content_type="application/json",
        **auth(intake),
    )
    assert denied.status_code == 403
    asked = client.post(
        f"/api/v1/reports/{report.pk}/messages",
        {"text": "Welk adres bedoelt u?"},
        content_type="application/json",
        **auth(intake),
    )
    assert asked.status_code == 201  # intake may ask the reporter
    admin = make_user(role=Role.ADMIN, team=None)
    for path in ("", "/versions", "/notes", "/criteria", "/transitions", "/messages"):
        assert client.get(f"/api/v1/reports/{report.pk}{path}", **auth(admin)).status_code == 404


def test_inbox_filters_over_the_api(client, setup):
    analyst, report = setup
    other = file_report(description="Een tweede melding met genoeg tekst erin.")
    Report.objects.filter(pk=other.pk).update(team=analyst.team, status="in_triage")
    listed = client.get("/api/v1/reports", {"status": "in_triage"}, **auth(analyst)).json()
    assert [r["id"] for r in listed["results"]] == [other.pk]
    bad = client.get("/api/v1/reports", {"older_than_days": "veel"}, **auth(analyst))
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_the_schema_documents_the_triage_paths(client):
    paths = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("versions", "notes", "criteria", "decision", "transitions", "messages"):
        assert f"/api/v1/reports/{{id}}/{path}" in paths
    assert "patch" in paths["/api/v1/reports/{id}"]

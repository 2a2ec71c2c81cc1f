"""Exports over the API: POST /api/v1/exports (202), its progress, its file; only the owner;
problem+json for what does not fit."""

import io

import pytest
from django.core.management import call_command

from baken.core.roles import Role
from baken.exports.models import Export

from .conftest import csv_rows, reports_for, xlsx_rows

pytestmark = pytest.mark.django_db
EXPORTS = "/api/v1/exports"


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def post(client, user, body):
    return client.post(EXPORTS, body, content_type="application/json", **auth(user))


def test_an_export_is_accepted_followed_and_fetched(client, analyst, north):
    made = reports_for(north, 3)
    response = post(client, analyst, {"kind": "reports", "format": "csv", "filters": {}})
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["status_url"] == f"{EXPORTS}/{body['id']}"
    status = client.get(body["status_url"], **auth(analyst)).json()
    assert status["state"] == "done" and (status["rows_done"], status["rows_total"]) == (3, 3)
    assert status["file_url"] == f"{EXPORTS}/{body['id']}/file"
    file = client.get(status["file_url"], HTTP_ACCEPT="text/csv", **auth(analyst))
    assert file.status_code == 200 and file["Content-Type"].startswith("text/csv")
    rows = csv_rows(b"".join(file.streaming_content))
    assert sorted(row[0] for row in rows[1:]) == sorted(r.reference for r in made)
    listed = client.get(EXPORTS, **auth(analyst)).json()
    assert [e["id"] for e in listed] == [body["id"]]


def test_filters_are_the_lists_own_parameters(client, analyst, north):
    [waiting] = reports_for(north, 1, status="in_triage")
    reports_for(north, 2)
    body = post(
        client,
        analyst,
        {"kind": "reports", "format": "xlsx", "filters": {"status": ["in_triage"]}},
    ).json()
    file = client.get(f"{EXPORTS}/{body['id']}/file", **auth(analyst))
    _header, *rows = xlsx_rows(b"".join(file.streaming_content))
    assert [row[0] for row in rows] == [waiting.reference]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"kind": "everything", "format": "csv"}, "kind"),
        ({"kind": "reports", "format": "pdf"}, "format"),
        ({"kind": "reports", "format": "csv", "filters": {"status": ["bogus"]}}, "filters.status"),
        ({"kind": "reports", "format": "csv", "filters": {"colour": ["red"]}}, "filters.colour"),
        ({"kind": "reports", "format": "csv", "filters": {"status": "received"}}, "filters.status"),
        ({"kind": "reports", "format": "csv", "filters": []}, "filters"),
    ],
)
def test_what_does_not_fit_is_a_problem_naming_the_parameter(client, analyst, body, name):
    response = post(client, analyst, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert name in [p["name"] for p in response.json()["invalid_params"]]
    assert not Export.objects.exists()


def test_a_list_the_user_may_not_export_is_403(client, make_user):
    boss = make_user(role=Role.MANAGEMENT, team=None)
    response = post(client, boss, {"kind": "reports", "format": "csv"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_only_the_owner_sees_an_export(client, analyst, make_user, north):
    reports_for(north, 1)
    body = post(client, analyst, {"kind": "reports", "format": "csv"}).json()
    colleague = make_user(role=Role.ANALYST, team=north)
    for path in (f"{EXPORTS}/{body['id']}", f"{EXPORTS}/{body['id']}/file"):
        assert client.get(path, **auth(colleague)).status_code == 404
        assert client.get(path).status_code == 401
    assert client.get(EXPORTS, **auth(colleague)).json() == []
    assert client.get(f"{EXPORTS}/not-a-uuid", **auth(analyst)).status_code == 404


def test_a_filter_is_named_filters_even_when_it_is_called_kind(client, analyst):
    response = post(
        client,
        analyst,
        {"kind": "interventions", "format": "csv", "filters": {"kind": ["no-such-type"]}},
    )
    assert response.status_code == 400
    names = [p["name"] for p in response.json()["invalid_params"]]
    assert names == ["filters.kind"]
    assert not Export.objects.exists()


@pytest.mark.parametrize(
    "filters",
    [
        {"start": ["9999-12-01"], "end": ["9999-12-31"], "period": ["custom"]},
        {"start": ["0001-01-01"], "end": ["0001-01-31"], "period": ["custom"]},
    ],
)
def test_figures_with_impossible_dates_are_a_400_not_a_failed_export(
    client, analyst, north, filters
):
    response = post(client, analyst, {"kind": "figures", "format": "xlsx", "filters": filters})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [problem] = response.json()["invalid_params"]
    assert problem["name"] in ("filters.start", "filters.end", "filters.period")
    assert problem["reason"]
    assert not Export.objects.exists()
    # The worker would have failed on them: the dashboard's own dates still work.
    fine = {"start": ["2026-01-05"], "end": ["2026-03-01"], "period": ["custom"]}
    ok = post(client, analyst, {"kind": "figures", "format": "xlsx", "filters": fine})
    assert ok.status_code == 202 and ok.json()["state"] == "done"

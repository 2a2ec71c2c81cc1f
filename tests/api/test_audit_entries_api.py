"""The audit log over the API keeps its codes and ISO 8601 moments, with a Dutch label beside
each code (issue 12, item 7: the log reads as a privacy officer reads it)."""

import datetime
import io

import pytest
from django.core.management import call_command

from baken.core.roles import Role
from baken.reports.models import Report

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def test_each_entry_has_dutch_labels_beside_its_codes(client, make_user):
    analyst = make_user(role=Role.ANALYST)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    made = client.post(
        "/api/v1/reports",
        {"category": "drugs", "description": "Hennepgeur bij de schuur achter Dorpsstraat 3."},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    Report.objects.filter(pk=pk).update(team=analyst.team)
    assert client.get(f"/api/v1/reports/{pk}", **_auth(analyst)).status_code == 200

    answer = client.get(
        "/api/v1/audit-entries",
        {"action": "report.read", "object_id": str(pk)},
        **_auth(officer),
    )
    [entry] = answer.json()["results"]
    assert entry["action"] == "report.read" and entry["action_label"] == "Melding bekeken"
    assert entry["object_type"] == "reports.report" and entry["object_type_label"] == "Melding"
    assert entry["actor_role"] == "analyst" and entry["actor_role_label"] == "Analist"
    assert datetime.datetime.fromisoformat(entry["at"]).utcoffset() is not None

    made_entry = client.get(
        "/api/v1/audit-entries", {"action": "report.create"}, **_auth(officer)
    ).json()["results"][0]
    assert made_entry["actor_role_label"] == "Publiek (melder)"


def test_the_labels_are_in_the_openapi_document(client):
    document = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").json()
    entry = document["components"]["schemas"]["AuditEntry"]
    for field in ("action_label", "actor_role_label", "object_type_label"):
        assert entry["properties"][field]["type"] == "string", field
        assert field in entry["required"]

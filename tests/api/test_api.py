import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from baken.accounts.models import ApiToken
from baken.core.roles import Role

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _token_for(user) -> str:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return out.getvalue().strip()


def test_schema_is_public_openapi_3(client):
    response = client.get("/api/v1/schema", HTTP_ACCEPT="application/json")
    document = response.json()
    assert response.status_code == 200
    assert document["openapi"].startswith("3.")
    assert "/api/v1/me" in document["paths"] and "/api/v1/audit-entries" in document["paths"]
    assert "tokenAuth" in document["components"]["securitySchemes"]


def test_every_reference_in_the_schema_resolves(client):
    document = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").json()

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for item in node:
                yield from refs(item)

    found = set(refs(document))
    assert "#/components/schemas/ReportAddress" in found  # the report format's shared part
    for ref in found:
        node = document
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, f"{ref} does not resolve"
            node = node[part]


def test_token_acts_with_its_owners_rights(client, make_user):
    officer = make_user(role=Role.PRIVACY_OFFICER)
    analyst = make_user(role=Role.ANALYST)
    officer_auth = {"HTTP_AUTHORIZATION": f"Token {_token_for(officer)}"}
    analyst_auth = {"HTTP_AUTHORIZATION": f"Token {_token_for(analyst)}"}

    me = client.get("/api/v1/me", **analyst_auth).json()
    assert me["username"] == analyst.username and me["role"] == "analyst"

    assert client.get("/api/v1/audit-entries", **officer_auth).status_code == 200
    denied = client.get("/api/v1/audit-entries", **analyst_auth)
    assert denied.status_code == 403
    assert denied["Content-Type"] == PROBLEM
    assert denied.json()["status"] == 403


def test_token_of_a_deactivated_or_revoked_owner_stops_working(client, make_user):
    user = make_user()
    raw = _token_for(user)
    ApiToken.objects.filter(user=user).update(revoked_at=timezone.now())
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM


def test_unknown_or_malformed_tokens_get_problem_json(client, db):
    for header in ["Token nope", "Token a b", "Token"]:
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        assert response.json()["title"]


def test_without_credentials_it_is_401_with_a_challenge(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_session_needs_the_second_factor(client, make_user, verified_client):
    user = make_user()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 401
    assert verified_client(user).get("/api/v1/me").status_code == 200


def test_invalid_query_parameters_are_named_in_invalid_params(client, make_user):
    officer = make_user(role=Role.PRIVACY_OFFICER)
    response = client.get(
        "/api/v1/audit-entries",
        {"since": "gisteren", "actor_id": "-3"},
        HTTP_AUTHORIZATION=f"Token {_token_for(officer)}",
    )
    body = response.json()
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert {p["name"] for p in body["invalid_params"]} == {"since", "actor_id"}
    assert all(p["reason"] and p["code"] for p in body["invalid_params"])


def test_unknown_path_and_wrong_method_are_problem_json(client, make_user):
    auth = {"HTTP_AUTHORIZATION": f"Token {_token_for(make_user())}"}
    missing = client.get("/api/v1/does-not-exist", **auth)
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM
    wrong = client.delete("/api/v1/me", **auth)
    assert wrong.status_code == 405 and wrong["Content-Type"] == PROBLEM


def test_malformed_json_body_is_a_400_problem(client, make_user):
    auth = {"HTTP_AUTHORIZATION": f"Token {_token_for(make_user())}"}
    response = client.generic(
        "POST", "/api/v1/me", "{not json", content_type="application/json", **auth
    )
    # POST is not allowed on /me; a parse error must never become a 500 either way.
    assert response.status_code in (400, 405)
    assert response["Content-Type"] == PROBLEM


def test_audit_entries_are_paginated_and_filtered(client, make_user):
    officer = make_user(role=Role.PRIVACY_OFFICER)
    auth = {"HTTP_AUTHORIZATION": f"Token {_token_for(officer)}"}
    body = client.get("/api/v1/audit-entries", {"action": "token.create"}, **auth).json()
    assert body["count"] == 1 and body["results"][0]["action"] == "token.create"


def test_the_openapi_document_validates_without_warnings(tmp_path):
    # --validate checks the document against the OpenAPI 3 specification; --fail-on-warn
    # makes every view whose schema drf-spectacular had to guess a failure.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")

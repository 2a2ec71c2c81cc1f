"""The sharing register's API with numbers no database holds: `team` and `subject` have a
maximum (2^63 - 1, the largest id the databases hold); past it a 400 problem naming the
parameter, never an error of the server, in the list and in the CSV alike."""

import pytest
from django.test import Client

from baken.core.roles import Role
from tests.api.test_triage_api import auth

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/registers/sharing", "/api/v1/registers/sharing.csv"])
@pytest.mark.parametrize("name", ["team", "subject"])
def test_a_number_past_the_largest_id_is_a_problem(make_user, url, name):
    headers = auth(make_user(role=Role.PRIVACY_OFFICER))
    for huge in (10**30, 2**63):
        answer = Client().get(url, {name: huge}, **headers)
        assert answer.status_code == 400, answer.content[:300]
        assert answer["Content-Type"] == "application/problem+json"
        assert name in [p["name"] for p in answer.json()["invalid_params"]]


def test_the_document_gives_the_maximum(client):
    document = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").json()
    parameters = document["paths"]["/api/v1/registers/sharing"]["get"]["parameters"]
    by_name = {p["name"]: p["schema"] for p in parameters}
    assert by_name["team"]["maximum"] == 2**63 - 1
    assert by_name["subject"]["maximum"] == 2**63 - 1

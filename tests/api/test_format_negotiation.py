"""`?format=`: the schema still answers as JSON with `format=json`; a format no renderer of
the endpoint knows is a 406 problem document, not a bare 404 (found by the fuzz test on
registers/sharing.csv)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_as_json_and_an_unknown_format_refused_as_406(client, login, make_user):
    assert client.get("/api/v1/schema?format=json").json()["openapi"].startswith("3.")
    login(make_user(role="privacy_officer"))
    answer = client.get("/api/v1/registers/sharing.csv?format=xyz")
    assert answer.status_code == 406
    assert answer["Content-Type"].startswith("application/problem+json")

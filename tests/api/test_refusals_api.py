"""Refusals that the services raise (core.refusals.Refused) reach API clients through the one
exception handler, as the same problem documents the views' own translation gave before
(issue 14, ADR 0027): the status, `type`, `code` and the field in `invalid_params`, the
reason in the client's language."""

import io

import pytest
from django.core.management import call_command

from baken.core.roles import Role

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
RULES = "/api/v1/routing-rules"


def auth(user, language: str = "nl") -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {
        "HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}",
        "HTTP_ACCEPT_LANGUAGE": language,
    }


def refused(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    return response.json()


@pytest.fixture
def admin(make_user):
    return make_user(role=Role.ADMIN, team=None)


def test_a_rule_with_a_prefix_that_starts_no_postcode_names_the_field(client, admin, north):
    body = refused(
        client.post(
            RULES,
            {"name": "Fout", "team": north.pk, "postcode_prefix": "17AB"},
            content_type="application/json",
            **auth(admin),
        )
    )
    assert body["type"] == "https://baken.invalid/problems/invalid" and body["code"] == "invalid"
    [param] = body["invalid_params"]
    assert (param["name"], param["code"]) == ("postcode_prefix", "invalid")
    assert "postcode" in param["reason"] and "1781" in param["reason"]  # Dutch: "Geef ..."
    assert param["reason"].startswith("Geef")


def test_a_rule_with_an_assignee_of_another_team_names_the_assignee(
    client, admin, make_user, north, south
):
    stranger = make_user(role=Role.ANALYST, team=south)
    body = refused(
        client.post(
            RULES,
            {"name": "Fout", "team": north.pk, "assignee": stranger.pk},
            content_type="application/json",
            **auth(admin, "en"),
        )
    )
    [param] = body["invalid_params"]
    assert (param["name"], param["code"]) == ("assignee", "invalid")
    assert param["reason"].isascii()  # in English, as the client asked


def test_a_changed_rule_is_refused_the_same_way_and_stays_as_it_was(client, admin, north):
    headers = auth(admin)
    rule = client.post(
        RULES, {"name": "Noord", "team": north.pk}, content_type="application/json", **headers
    ).json()
    body = refused(
        client.put(
            f"{RULES}/{rule['id']}",
            {"name": "Noord", "team": north.pk, "postcode_prefix": "0123"},
            content_type="application/json",
            **headers,
        )
    )
    assert [p["name"] for p in body["invalid_params"]] == ["postcode_prefix"]
    assert client.get(f"{RULES}/{rule['id']}", **headers).json()["postcode_prefix"] == ""


def test_a_prefix_is_kept_as_the_service_writes_it(client, admin, north):
    created = client.post(
        RULES,
        {"name": "Kade", "team": north.pk, "postcode_prefix": "1781 ab"},
        content_type="application/json",
        **auth(admin),
    )
    assert created.status_code == 201 and created.json()["postcode_prefix"] == "1781AB"


def test_the_preview_names_a_bad_prefix_like_the_rule_does(client, admin):
    body = refused(
        client.post(
            f"{RULES}/preview",
            {"postcode_prefix": "17AB"},
            content_type="application/json",
            **auth(admin),
        )
    )
    [param] = body["invalid_params"]
    assert (param["name"], param["code"]) == ("postcode_prefix", "invalid")

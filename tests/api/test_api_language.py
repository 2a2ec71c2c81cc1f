"""The API answers in Dutch unless the client names English in Accept-Language."""

import pytest

from baken.core.roles import Role
from tests.api.test_triage_api import auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


def _bad_search(client, analyst, **headers):
    return client.get("/api/v1/search", {"q": "Vries", "limit": "veel"}, **auth(analyst), **headers)


def test_validation_messages_are_dutch_by_default(client, analyst):
    response = _bad_search(client, analyst)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == "nl"
    body = response.json()
    assert body["title"] == "Het verzoek is niet geldig."
    [param] = body["invalid_params"]
    assert param["name"] == "limit" and param["reason"] == "Een geldig getal is vereist."


def test_dutch_when_asked_for_and_english_when_asked_for(client, analyst):
    dutch = _bad_search(client, analyst, HTTP_ACCEPT_LANGUAGE="nl").json()
    english = _bad_search(client, analyst, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert dutch["invalid_params"][0]["reason"] == "Een geldig getal is vereist."
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]
    assert english.json()["title"] == "The request is not valid."
    assert english.json()["invalid_params"][0]["reason"] == "A valid integer is required."


def test_a_language_baken_does_not_have_falls_back_to_dutch(client, analyst):
    response = _bad_search(client, analyst, HTTP_ACCEPT_LANGUAGE="de-DE, fr;q=0.8")
    assert response["Content-Language"] == "nl"
    assert response.json()["title"] == "Het verzoek is niet geldig."


def test_the_pages_still_ignore_the_browsers_language(client):
    response = client.get("/melden", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "nl"


def test_the_apis_own_refusals_are_dutch_too(client, analyst):
    dutch = client.get("/api/v1/search", {"q": "x"}, **auth(analyst)).json()
    english = client.get("/api/v1/search", {"q": "x"}, HTTP_ACCEPT_LANGUAGE="en", **auth(analyst))
    assert dutch["invalid_params"][0]["reason"] == "Geef minstens twee tekens."
    assert english.json()["invalid_params"][0]["reason"] == "Give at least two characters."
    repeated = client.get("/api/v1/search?q=Vries&limit=1&limit=2", **auth(analyst)).json()
    assert repeated["invalid_params"][0]["reason"] == "Geef deze parameter één keer."


def test_a_call_from_bakens_own_page_keeps_the_pages_language(client, analyst):
    """The map's and the Meldpunt's scripts send the browser's Accept-Language; the page
    they serve is Dutch, so is what they get."""
    response = _bad_search(
        client, analyst, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response["Content-Language"] == "nl"
    assert response.json()["title"] == "Het verzoek is niet geldig."

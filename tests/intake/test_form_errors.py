"""The Meldpunt without JavaScript: a summary of specific problems linked to their fields,
too-large input named with its limit, and the address looked up on the server."""

import pytest
from django.test import Client

from baken.places.models import RegisteredAddress
from baken.reports.models import Report

pytestmark = pytest.mark.django_db

TEXT = "Elke nacht busjes bij de loods aan de Havenweg."


def test_an_invalid_bsn_is_summarised_specifically_and_linked_to_its_field(client):
    response = client.post(
        "/melden", {"description": TEXT, "identity": "anonymous", "person-0-bsn": "123456789"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    message = "Dit BSN klopt niet: het moet 9 cijfers hebben en de elfproef doorstaan."
    assert 'class="alert alert--error error-summary"' in html and 'tabindex="-1"' in html
    assert f'<a href="#f-person-0-bsn">{message}</a>' in html
    assert 'aria-describedby="f-person-0-bsn-help f-person-0-bsn-error" aria-invalid="true"' in html
    assert 'value="123456789"' in html  # kept


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("person-0-bsn", "12345", "Dit BSN klopt niet"),
        ("organisation-0-kvk_number", "12ab", "Een KvK-nummer heeft 8 cijfers"),
        ("person-0-description", "x" * 1001, "Uw tekst is te lang: ten hoogste 1000 tekens."),
    ],
)
def test_shape_errors_say_what_is_wrong_not_that_the_format_is_unexpected(
    client, field, value, message
):
    html = client.post("/melden", {"description": TEXT, field: value}).content.decode()
    assert message in html
    assert "niet de verwachte opmaak" not in html


def test_a_huge_paste_is_named_with_its_limit_not_a_retry(settings):
    browser = Client(enforce_csrf_checks=True)  # as a browser: the CSRF check reads the form
    browser.get("/melden")
    token = browser.cookies["csrftoken"].value
    form = {"csrfmiddlewaretoken": token, "description": "x" * 10_000_000}
    answer = browser.post("/melden", form, HTTP_ACCEPT="application/json")
    assert answer.status_code == 413
    assert answer.json()["title"].startswith("Uw tekst is te lang: ten hoogste 262144 tekens")
    page = browser.post("/melden", form)
    assert page.status_code == 413
    assert "Uw tekst is te lang" in page.content.decode()
    assert "over een moment opnieuw" not in page.content.decode()
    assert not Report.objects.exists()


def test_without_javascript_the_address_button_fills_street_and_town(client):
    RegisteredAddress.objects.create(
        postcode="1781AB", house_number=3, street="Havenkade", city="Havenwaard", lat=52.9, lon=4.7
    )
    response = client.post(
        "/melden",
        {
            "description": TEXT,
            "location_postcode": "1781 ab",
            "location_house_number": "3",
            "lookup": "address",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Havenkade"' in html and 'value="Havenwaard"' in html
    assert "Gevonden in de adresregistratie: Havenkade 3, Havenwaard." in html
    assert f">{TEXT}</textarea>" in html  # what was typed is kept
    assert not Report.objects.exists()  # looking up sends nothing


def test_the_address_button_says_so_when_the_register_does_not_know_it(client):
    html = client.post(
        "/melden",
        {"location_postcode": "9999ZZ", "location_house_number": "1²", "lookup": "address"},
    ).content.decode()
    assert "Dit adres staat niet in de adresregistratie" in html


@pytest.mark.parametrize("kind", ["yes_no", "choice"])
def test_an_unanswered_required_question_is_linked_to_its_own_field(client, kind):
    from baken.reports.models import Category, Question

    category = Category.objects.get(code="drugs")
    Question.objects.create(
        category=category,
        code="binnen",
        text="Was het binnen?",
        kind=kind,
        choices=["binnen", "buiten"] if kind == "choice" else [],
        required=True,
    )
    html = client.post("/melden", {"description": TEXT, "category": "drugs"}).content.decode()
    assert 'href="#f-answer-drugs-binnen"' in html
    assert 'id="f-answer-drugs-binnen"' in html  # the link leads somewhere
    assert 'aria-describedby="f-answer-drugs-binnen-error"' in html

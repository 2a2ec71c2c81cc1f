"""The Meldpunt's refusals are core.refusals.Refused (ADR 0027): the API answers them as
problem+json with the codes clients have always seen, and the reporting page shows a NUL
character typed into the form at its field, with everything else that was typed kept."""

import io

import pytest
from django.core.management import call_command

from baken.core.roles import Role
from baken.reports.models import Report
from baken.reports.validation import ReportInvalid, check_report

pytestmark = pytest.mark.django_db

TEXT = "Elke nacht busjes bij de loods aan de Havenweg."
UNSTORABLE = "Deze tekst bevat een teken dat niet kan worden opgeslagen"
PROBLEMS = "https://baken.invalid/problems/"


def test_a_nul_typed_into_the_form_is_shown_at_its_field_and_everything_else_is_kept(client):
    response = client.post(
        "/melden",
        {
            "description": TEXT,
            "identity": "named",
            "reporter_name": "Els de Vries",
            "reporter_email": "els@example.nl",
            "location_description": "Achter de loods",
            "location_postcode": "1781\x00AB",
            "person-0-name": "Jan\x00de Boer",
        },
    )
    assert response.status_code == 400  # the form again, not the 400 page
    html = response.content.decode()
    assert html.count(f'<a href="#f-location_postcode">{UNSTORABLE}') == 1
    assert f'<a href="#f-person-0-name">{UNSTORABLE}' in html
    # One problem per field: the postcode is not also "not a Dutch postcode".
    assert "Dit is geen Nederlandse postcode" not in html
    for kept in ('value="Els de Vries"', 'value="els@example.nl"', "Achter de loods", TEXT):
        assert kept in html
    assert not Report.objects.exists()


def test_the_page_script_and_the_api_still_get_the_guard_s_problem(client):
    # Asking for JSON, the page's script gets problem+json from the input guard, as the API.
    response = client.post(
        "/melden", {"description": f"{TEXT}\x00"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["code"] == "forbidden_character"
    assert not Report.objects.exists()


@pytest.mark.parametrize("character", ["\x00", "\ud800"])
def test_the_report_check_refuses_what_no_database_can_store(character):
    # A register imported from a file reaches check_report without the input guard.
    with pytest.raises(ReportInvalid) as refused:
        check_report(
            {
                "description": TEXT,
                "answers": {f"a{character}": "x"},
                "subjects": [{"type": "person", "name": f"Jan{character}"}],
            }
        )
    params = {(p["name"], p["code"]) for p in refused.value.invalid_params()}
    assert ("subjects.0.name", "forbidden_character") in params
    assert ("answers.a\N{REPLACEMENT CHARACTER}", "forbidden_character") in params


def _token(user, *channels) -> dict:
    out = io.StringIO()
    args = [arg for channel in channels for arg in ("--channel", channel)]
    call_command("token", user.username, *args, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def test_the_api_answers_each_refusal_with_the_type_and_codes_it_always_had(
    client, settings, make_user
):
    def post(payload, **extra):
        return client.post("/api/v1/reports", payload, content_type="application/json", **extra)

    invalid = post({"description": TEXT, "reporter": {"anonymous": False, "name": " "}})
    assert invalid.status_code == 400 and invalid["Content-Type"] == "application/problem+json"
    body = invalid.json()
    assert (body["type"], body["code"]) == (f"{PROBLEMS}invalid", "invalid")
    assert body["invalid_params"][0]["name"] == "reporter.name"
    assert body["invalid_params"][0]["code"] == "required"

    assert post({"description": TEXT, "idempotency_key": "offline-3f1c9a7e"}).status_code == 201
    conflict = post(
        {"description": "Iets anders gezien bij de haven.", "idempotency_key": "offline-3f1c9a7e"}
    )
    body = conflict.json()
    assert conflict.status_code == 409 and body["code"] == "invalid"
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [
        ("idempotency_key", "conflict")
    ]

    token = _token(make_user(role=Role.INTAKE), "email")
    channel = post({"description": TEXT, "channel": "phone"}, **token)
    body = channel.json()
    assert channel.status_code == 403 and body["code"] == "permission_denied"
    assert "'phone'" in body["detail"] and "invalid_params" not in body

    settings.ATTACHMENT_MAX_BYTES = 10
    file = io.BytesIO(b"x" * 20)
    file.name = "foto.jpg"
    upload = client.post("/api/v1/attachments", {"file": file})
    body = upload.json()
    assert upload.status_code == 400 and body["type"] == f"{PROBLEMS}invalid"
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [("file", "too_large")]


def test_a_nul_in_the_address_looked_up_without_script_finds_nothing_and_keeps_the_form(client):
    response = client.post(
        "/melden",
        {
            "lookup": "address",
            "description": TEXT,
            "location_postcode": "1781\x00AB",
            "location_house_number": "12",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit adres staat niet in de adresregistratie" in html and TEXT in html

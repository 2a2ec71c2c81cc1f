"""Text Baken cannot store or parse is refused where it enters, with the field named, never a
500: NUL characters and lone surrogates anywhere, JSON too deep or too large (ADR 0023).
Runs on SQLite and on PostgreSQL (which refuses NUL in text outright)."""

import io

import pytest
from axes.models import AccessAttempt
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import URLResolver, get_resolver

from baken.accounts.forms import CodeForm, EnrolForm, LoginForm, UserCreateForm, UserUpdateForm
from baken.accounts.models import User
from baken.core.roles import Role
from baken.reports.models import Report

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
REPORTS = "/api/v1/reports"
TEXT = "Elke nacht busjes bij de loods aan de Havenweg."


def token(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def post_raw_json(client, path, text: str, **extra):
    return client.generic("POST", path, text.encode(), content_type="application/json", **extra)


def assert_names(response, name: str, code: str, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"]
    assert [(p["name"], p["code"]) for p in body["invalid_params"]] == [(name, code)]
    assert body["invalid_params"][0]["reason"]
    return body


def test_nul_in_a_reports_description_is_named(client):
    response = client.post(
        REPORTS, {"description": f"Busjes\x00 bij de loods {TEXT}"}, content_type="application/json"
    )
    assert_names(response, "description", "forbidden_character")
    assert not Report.objects.exists()


def test_nul_deeper_in_the_report_is_named_by_its_path(client):
    payload = {"description": TEXT, "subjects": [{"type": "person", "name": "Jan\x00"}]}
    response = client.post(REPORTS, payload, content_type="application/json")
    assert_names(response, "subjects.0.name", "forbidden_character")


def test_a_lone_surrogate_escape_in_json_is_named(client):
    response = post_raw_json(client, REPORTS, '{"description": "Busjes \\ud800 ' + TEXT + '"}')
    assert_names(response, "description", "forbidden_character")
    assert not Report.objects.exists()


def test_a_surrogate_pair_is_one_character_and_welcome(client):
    response = post_raw_json(client, REPORTS, '{"description": "' + TEXT + ' \\ud83d\\ude90"}')
    assert response.status_code == 201, response.content
    assert Report.objects.get().description.endswith("\N{MINIBUS}")


def test_json_nested_5000_deep_is_refused_before_parsing(client):
    deep = "[" * 5000 + "]" * 5000
    response = post_raw_json(client, REPORTS, '{"description": "' + TEXT + '", "x": ' + deep + "}")
    assert_names(response, "body", "too_deep")


def test_brackets_inside_strings_do_not_count_as_depth(client):
    description = TEXT + " " + "[{" * 100 + ' \\" ' + "}]" * 100
    response = post_raw_json(client, REPORTS, '{"description": "' + description + '"}')
    assert response.status_code == 201, response.content


def test_json_larger_than_the_request_limit_is_a_413_problem(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(REPORTS, {"description": "x" * 20_000}, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM
    assert "10000" in response.json()["title"]


def test_nul_in_the_search_query_is_named(client, make_user):
    auth = token(make_user(role=Role.ANALYST))
    response = client.get("/api/v1/search", {"q": "Havenweg\x00"}, **auth)
    assert_names(response, "q", "forbidden_character")
    assert client.get("/api/v1/search", {"q": "Havenweg"}, **auth).status_code == 200


def test_nul_in_the_search_page_query_is_a_dutch_400_page(verified_client, make_user):
    client = verified_client(make_user(role=Role.ANALYST))
    response = client.get("/werkruimte/betrokkenen/zoeken", {"q": "Havenweg\x00"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“q”" in page and "nulteken" in page


def test_the_meldpunt_form_without_script_shows_the_nul_at_its_field(client):
    # Marked @form_checks_text: its report check refuses the NUL (tests/intake/test_refusals.py).
    response = client.post("/melden", {"description": f"{TEXT}\x00", "channel": "web"})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#f-description">Deze tekst bevat een teken' in page
    assert "Ga terug" not in page
    assert not Report.objects.exists()


def test_the_meldpunt_pages_script_gets_the_field_named(client):
    response = client.post(
        "/melden",
        {"description": f"{TEXT}\x00", "channel": "web"},
        HTTP_ACCEPT="application/json",
    )
    assert_names(response, "description", "forbidden_character")


def test_the_anonymous_follow_up_refuses_nul_in_the_message(client):
    filed = client.post(REPORTS, {"description": TEXT}, content_type="application/json").json()
    response = client.post(
        "/melden/opvolgen",
        {"receipt_code": filed["receipt_code"], "action": "send", "text": "Nummer 14\x00"},
    )
    assert response.status_code == 400 and "“text”" in response.content.decode()
    api = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": filed["receipt_code"], "text": "Nummer 14\x00"},
        content_type="application/json",
    )
    assert_names(api, "text", "forbidden_character")


def test_a_nul_in_the_login_name_gets_the_login_form_back_with_the_error_at_the_field(
    client, make_user
):
    make_user(username="jan")
    response = client.post("/inloggen", {"username": "jan\x00", "password": "wat dan ook"})
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"username": ["Null-tekens zijn niet toegestaan."]}
    assert "Null-tekens zijn niet toegestaan." in page
    # Nothing was tried with the name: no failed login counted against anyone.
    assert not AccessAttempt.objects.exists()


def test_a_form_post_with_nul_keeps_everything_else_that_was_typed(verified_client, make_user):
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    response = admin.post(
        "/beheer/gebruikers/nieuw",
        {
            "username": "pietjansen",
            "first_name": "Piet\x00",
            "last_name": "Jansen",
            "email": "piet@gemeente.example",
            "role": Role.ANALYST,
            "new_team": "Havenwijk",
            "password": "een-lang-en-sterk-wachtwoord",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"first_name": ["Null-tekens zijn niet toegestaan."]}
    for kept in (
        'value="pietjansen"',
        'value="Jansen"',
        'value="piet@gemeente.example"',
        'value="Havenwijk"',
    ):
        assert kept in page
    assert not User.objects.filter(username="pietjansen").exists()


def test_a_page_that_reads_its_post_itself_still_gets_the_400_page(verified_client, make_user):
    # Not marked @form_checks_text: the guard refuses before the view can store the NUL.
    client = verified_client(make_user(role=Role.ANALYST))
    response = client.post("/uitloggen", {"reden": "klaar\x00"})
    assert response.status_code == 400 and "“reden”" in response.content.decode()


def test_an_api_client_still_gets_the_field_named_for_a_form_post(client):
    response = client.post(
        "/inloggen", {"username": "jan\x00", "password": "x"}, HTTP_ACCEPT="application/json"
    )
    assert_names(response, "username", "forbidden_character")


def test_a_nul_in_a_field_name_of_a_marked_form_is_still_refused(client):
    response = client.post("/inloggen", {"user\x00name": "jan", "password": "x"})
    assert response.status_code == 400


MARKED_FORMS = {
    "accounts:login": [LoginForm],
    "accounts:verify": [CodeForm],
    "accounts:enrol": [EnrolForm],
    "accounts:user_create": [UserCreateForm],
    "accounts:user_detail": [UserUpdateForm],
    # No Django form: reports.validation.check_report refuses a NUL at its field
    # (tests/intake/test_refusals.py).
    "intake:report": [],
}


def marked_views() -> set[str]:
    found = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif getattr(pattern.callback, "form_checks_text", False):
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return found


def test_every_page_that_takes_nul_to_its_form_is_listed_here():
    # A view marked @form_checks_text lets a NUL in a posted value through to its form: its
    # forms are checked below, field by field.
    assert marked_views() == set(MARKED_FORMS)


@pytest.mark.parametrize(
    "form_class", sorted({f for fs in MARKED_FORMS.values() for f in fs}, key=str)
)
def test_every_field_of_those_forms_refuses_a_nul(form_class):
    for name, field in form_class().fields.items():
        if isinstance(field, forms.BooleanField):
            continue  # a tick box: any text is "on", nothing of it is kept
        try:
            field.clean("1\x00")
        except ValidationError:
            continue
        pytest.fail(f"{form_class.__name__}.{name} takes a NUL")


def test_nul_in_a_field_name_is_shown_without_it(client):
    response = client.post(REPORTS, {"descr\x00iption": TEXT}, content_type="application/json")
    assert_names(response, "descr\N{REPLACEMENT CHARACTER}iption", "forbidden_character")


def test_a_cookie_with_nul_is_ignored_not_looked_up(client):
    client.cookies["baken_session"] = "abcdefgh\x00ijklmnop"
    client.cookies["baken_language"] = "en\x00"
    response = client.get("/melden")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"

"""Awareness trainings (issue 17): the team's awareness home, registering, changing and
removing a training on the pages and over the API, as an analyst and as a team lead; Dutch
errors that keep what was typed, problem+json in the API, an audit entry for every write, and
every other role refused."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.awareness.models import Training
from baken.core.roles import Role
from baken.demo.trainings import demo_trainings
from baken.reports.models import Department, DepartmentSize
from tests.api.test_triage_api import auth

pytestmark = pytest.mark.django_db
HOME = "/werkruimte/bewustwording/"
NEW = "/werkruimte/bewustwording/trainingen/nieuw"
API = "/api/v1/trainings"
NOT_ALLOWED = [Role.INTAKE, Role.CASE_HANDLER, Role.MANAGEMENT, Role.ADMIN, Role.PRIVACY_OFFICER]


@pytest.fixture
def departments(db):
    return {
        "burgerzaken": Department.objects.create(code="burgerzaken", name="Burgerzaken"),
        "vergunningen": Department.objects.create(
            code="vergunningen", name="Vergunningen", size=DepartmentSize.SMALL
        ),
        "archief": Department.objects.create(code="archief", name="Archief", is_active=False),
    }


def form(**changes) -> dict:
    data = {
        "held_on": "2026-11-12",
        "title": "Signalen aan de balie",
        "departments": ["burgerzaken", "vergunningen"],
        "participants": "18",
        "format": "in_person",
        "trainer": "Tom van den Berg",
        "notes": "Veel vragen over adressen.",
    }
    return {**data, **changes}


def actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.ANALYST])
def test_registering_a_training_on_the_page_shows_it_on_the_home_in_dutch(
    role, make_user, verified_client, departments
):
    user = make_user(role=role)
    client = verified_client(user)
    home = client.get(HOME)
    assert home.status_code == 200
    page = home.content.decode()
    assert "Bewustwording" in page and "Training registreren" in page
    assert "Er is nog geen training geregistreerd." in page

    response = client.post(NEW, form(), follow=True)
    assert response.redirect_chain[-1][0] == HOME
    page = response.content.decode()
    assert "De training van 12 november 2026 is geregistreerd." in page
    assert "12 november 2026" in page and "Signalen aan de balie" in page
    assert "Burgerzaken, Vergunningen" in page
    assert "Bijeenkomst op locatie" in page and "Tom van den Berg" in page
    assert "1 training, 18 deelnemers in totaal." in page

    training = Training.objects.get()
    assert training.registered_by == user and training.held_on == date(2026, 11, 12)
    [entry] = actions("training.create")
    assert entry.actor_id == user.pk and entry.object_id == str(training.pk)
    assert entry.detail == {
        "departments": ["burgerzaken", "vergunningen"],
        "participants": 18,
        "format": "in_person",
    }


def test_a_planned_training_is_shown_apart(make_user, verified_client, departments):
    client = verified_client(make_user(role=Role.ANALYST))
    coming = timezone.localdate() + timedelta(days=10)
    client.post(NEW, form())
    response = client.post(NEW, form(held_on=coming.isoformat(), title="Teamoverleg Handhaving"))
    assert response.status_code == 302
    page = client.get(HOME).content.decode()
    planned, given = page.split("Gepland</h2>")[1].split("Gegeven trainingen</h2>")
    assert "Teamoverleg Handhaving" in planned and "Signalen aan de balie" not in planned
    assert "Signalen aan de balie" in given and "Teamoverleg Handhaving" not in given


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"departments": []}, "departments", "Kies ten minste één afdeling."),
        ({"participants": "0"}, "participants", "Geef het aantal deelnemers: ten minste 1."),
        ({"participants": "veel"}, "participants", "Geef het aantal deelnemers als heel getal."),
        ({"held_on": "2030-01-01"}, "held_on", "Kies een datum vanaf 2000 tot een jaar vanaf nu"),
        ({"held_on": "12-13-2026"}, "held_on", "Geef een datum zoals 12-11-2026."),
        ({"trainer": " "}, "trainer", "Zeg wie de training gaf."),
        ({"departments": ["archief"]}, "departments", "Kies afdelingen uit de lijst."),
    ],
)
def test_a_wrong_form_says_why_in_dutch_and_keeps_what_was_typed(
    changes, field, message, make_user, verified_client, departments
):
    client = verified_client(make_user(role=Role.TEAM_LEAD))
    response = client.post(NEW, form(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Verbeter het volgende" in page and message in page
    assert f'href="#id_{field}' in page
    # What was typed is still there.
    assert 'value="Signalen aan de balie"' in page and "Veel vragen over adressen." in page
    assert not Training.objects.exists() and not actions("training.create")


def test_changing_and_removing_a_training_on_its_page(make_user, verified_client, departments):
    lead, analyst = make_user(role=Role.TEAM_LEAD), make_user(role=Role.ANALYST)
    verified_client(lead).post(NEW, form())
    training = Training.objects.get()
    url = reverse("awareness:training", args=[training.pk])
    # Another person of the team corrects it: the trainings are the team's, not one person's.
    client = verified_client(analyst)
    page = client.get(url).content.decode()
    assert "Training van 12 november 2026" in page and 'value="18"' in page
    response = client.post(url, form(participants="21", departments=["burgerzaken"]))
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.participants == 21
    assert [d.code for d in training.departments.all()] == ["burgerzaken"]
    [entry] = actions("training.update")
    assert entry.actor_id == analyst.pk
    assert entry.detail == {
        "fields": ["departments", "participants"],
        "departments": ["burgerzaken"],
    }
    # Saving it again unchanged writes nothing.
    client.post(url, form(participants="21", departments=["burgerzaken"]))
    assert len(actions("training.update")) == 1

    delete = reverse("awareness:training_delete", args=[training.pk])
    confirm = client.get(delete).content.decode()
    assert "Training verwijderen" in confirm and "21 deelnemers" in confirm
    assert Training.objects.exists()  # a GET only asks
    response = client.post(delete, follow=True)
    assert "De training van 12 november 2026 is verwijderd." in response.content.decode()
    assert not Training.objects.exists()
    [entry] = actions("training.delete")
    assert entry.detail == {
        "held_on": "2026-11-12",
        "departments": ["burgerzaken"],
        "participants": 21,
    }
    assert client.get(url).status_code == 404


def test_a_department_switched_off_stays_on_its_training_but_is_not_offered(
    make_user, verified_client, departments
):
    client = verified_client(make_user(role=Role.ANALYST))
    client.post(NEW, form())
    training = Training.objects.get()
    Department.objects.filter(code="vergunningen").update(is_active=False)
    assert 'value="vergunningen"' not in client.get(NEW).content.decode()
    url = reverse("awareness:training", args=[training.pk])
    assert 'value="vergunningen"' in client.get(url).content.decode()
    response = client.post(url, form(title="Balie en vergunningen"))
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.title == "Balie en vergunningen" and training.departments.count() == 2


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_every_other_role_is_refused_on_the_pages_and_the_api(
    role, make_user, verified_client, departments
):
    lead = make_user(role=Role.TEAM_LEAD)
    verified_client(lead).post(NEW, form())
    training = Training.objects.get()
    user = make_user(role=role)
    client = verified_client(user)
    assert "Bewustwording" not in client.get("/").content.decode()
    for url in (HOME, NEW, reverse("awareness:training", args=[training.pk])):
        assert client.get(url).status_code == 403
    assert client.post(NEW, form()).status_code == 403
    delete = reverse("awareness:training_delete", args=[training.pk])
    assert client.post(delete).status_code == 403
    api = Client()
    headers = auth(user)
    assert api.get(API, **headers).status_code == 403
    made = api.post(API, api_body(), content_type="application/json", **headers)
    assert made.status_code == 403 and made["Content-Type"] == "application/problem+json"
    assert api.delete(f"{API}/{training.pk}", **headers).status_code == 403
    assert Training.objects.count() == 1 and len(actions("training.create")) == 1


def test_the_menu_names_awareness_for_the_team(make_user, verified_client):
    client = verified_client(make_user(role=Role.ANALYST))
    page = client.get("/").content.decode()
    assert f'href="{HOME}"' in page and "Bewustwording" in page


def test_the_home_links_the_other_parts_that_exist(make_user, verified_client):
    client = verified_client(make_user(role=Role.TEAM_LEAD))
    page = client.get(HOME).content.decode()
    for name in ("awareness:figures", "awareness:material", "awareness:practice_counts"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in page, name


# --- the API ---------------------------------------------------------------------------------


def api_body(**changes) -> dict:
    data = {
        "held_on": "2026-11-12",
        "title": "Signalen aan de balie",
        "departments": ["burgerzaken", "vergunningen"],
        "participants": 18,
        "format": "in_person",
        "trainer": "Tom van den Berg",
    }
    return {**data, **changes}


def api_client(user) -> tuple[Client, dict]:
    return Client(), {**auth(user), "HTTP_ACCEPT_LANGUAGE": "nl"}


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.ANALYST])
def test_the_api_registers_lists_changes_and_removes(role, make_user, departments):
    user = make_user(role=role)
    client, headers = api_client(user)
    made = client.post(API, api_body(), content_type="application/json", **headers)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["held_on"] == "2026-11-12" and body["planned"] is False
    assert body["departments"] == ["burgerzaken", "vergunningen"]
    assert body["format_label"] == "Bijeenkomst op locatie" and body["notes"] == ""
    assert body["registered_at"].endswith(("+01:00", "+02:00", "Z", "+00:00"))
    pk = body["id"]
    coming = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(API, api_body(held_on=coming), content_type="application/json", **headers)

    listed = client.get(API, {"pageSize": 1}, **headers).json()
    assert listed["count"] == 2 and listed["next"]
    assert listed["results"][0]["held_on"] == coming and listed["results"][0]["planned"] is True

    changed = client.patch(
        f"{API}/{pk}",
        {"participants": 20, "departments": ["vergunningen"]},
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["participants"] == 20 and changed.json()["departments"] == [
        "vergunningen"
    ]
    assert changed.json()["title"] == "Signalen aan de balie"  # left alone
    [entry] = actions("training.update")
    assert entry.detail["fields"] == ["departments", "participants"]

    assert client.delete(f"{API}/{pk}", **headers).status_code == 204
    gone = client.get(f"{API}/{pk}", **headers)
    assert gone.status_code == 404 and gone["Content-Type"] == "application/problem+json"
    assert len(actions("training.create")) == 2 and len(actions("training.delete")) == 1


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"departments": ["bestaat-niet"]}, "departments", "bestaat-niet"),
        ({"departments": []}, "departments", "Kies ten minste één afdeling."),
        ({"departments": ["archief"]}, "departments", "uitgeschakeld"),
        ({"participants": 0}, "participants", "Geef het aantal deelnemers: ten minste 1."),
        ({"participants": "18"}, "participants", ""),
        ({"held_on": "12-11-2026"}, "held_on", ""),
        ({"held_on": "1999-12-31"}, "held_on", "Kies een datum vanaf 2000"),
        ({"format": "poster"}, "format", ""),
        ({"trainer": ""}, "trainer", "Zeg wie de training gaf."),
    ],
)
def test_the_api_refuses_bad_input_with_a_problem_naming_the_field(
    changes, field, reason, make_user, departments
):
    client, headers = api_client(make_user(role=Role.TEAM_LEAD))
    response = client.post(API, api_body(**changes), content_type="application/json", **headers)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    params = {p["name"]: p["reason"] for p in response.json()["invalid_params"]}
    assert field in params and reason in params[field], params
    assert not Training.objects.exists() and not actions("training.create")


def test_a_patch_that_breaks_a_rule_changes_nothing(make_user, departments):
    client, headers = api_client(make_user(role=Role.ANALYST))
    pk = client.post(API, api_body(), content_type="application/json", **headers).json()["id"]
    response = client.patch(
        f"{API}/{pk}", {"participants": 0}, content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert Training.objects.get().participants == 18 and not actions("training.update")
    missing = client.patch(
        f"{API}/987654", {"participants": 3}, content_type="application/json", **headers
    )
    assert missing.status_code == 404


def test_the_api_is_in_the_openapi_document(make_user):
    client, headers = api_client(make_user(role=Role.ANALYST))
    document = client.get("/api/v1/schema?format=json", **headers).json()
    assert set(document["paths"]["/api/v1/trainings"]) >= {"get", "post"}
    assert set(document["paths"]["/api/v1/trainings/{id}"]) >= {"get", "patch", "delete"}


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_registers_its_trainings_once_for_the_departments_it_has(make_user, departments):
    make_user(role=Role.TEAM_LEAD, username="teamleider", is_demo=True)
    made = demo_trainings()
    # Only the demo trainings that name burgerzaken or vergunningen: the rest are skipped.
    assert made == 3 == Training.objects.count()
    assert not Training.objects.filter(departments__code="archief").exists()
    assert demo_trainings() == 0


# --- the answers against the OpenAPI document --------------------------------------------------


@pytest.fixture
def _one_connection():
    """As tests/api/test_schema_fuzz.py: the app is called in this thread, in the test's
    transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_answers_match_the_document_and_generated_requests_get_no_error(
    make_user, departments, _one_connection
):
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.generation.modes import GenerationMode

    from tests.api.test_schema_fuzz import CHECKS, _schema

    schema = _schema()
    headers = {"Authorization": auth(make_user(role=Role.ANALYST))["HTTP_AUTHORIZATION"]}

    def call(method, path, status, body=None, **ids):
        given_body = {"body": body} if body is not None else {}
        case = schema[path][method].Case(path_parameters=ids or None, **given_body)
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == status, response.text[:400]
        return response

    pk = call("POST", API, 201, api_body()).json()["id"]
    call("GET", API, 200)
    call("GET", f"{API}/{{id}}", 200, id=pk)
    call("PATCH", f"{API}/{{id}}", 200, {"notes": "Nagebeld."}, id=pk)
    call("POST", API, 400, api_body(departments=["bestaat-niet"]))
    call("DELETE", f"{API}/{{id}}", 204, id=pk)
    for operation in (schema[API]["POST"], schema[f"{API}/{{id}}"]["PATCH"]):

        @given(
            case=operation.as_strategy(GenerationMode.POSITIVE)
            | operation.as_strategy(GenerationMode.NEGATIVE)
        )
        @settings(
            max_examples=30,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()


def test_every_demo_training_names_demo_departments(make_user):
    from baken.demo.departments import demo_departments

    demo_departments()
    make_user(role=Role.TEAM_LEAD, username="teamleider", is_demo=True)
    assert demo_trainings() == 6
    assert all(t.departments.exists() for t in Training.objects.all())


def test_an_empty_form_sent_is_refused_with_its_errors_and_a_long_list_has_pages(
    make_user, verified_client, departments
):
    client = verified_client(make_user(role=Role.TEAM_LEAD))
    empty = client.post(NEW, {})
    assert empty.status_code == 400
    assert "Kies ten minste één afdeling." in empty.content.decode()
    assert not Training.objects.exists()

    # Fifty-five trainings given: fifty on the first page, five on the second.
    for day in range(55):
        client.post(NEW, form(held_on=str(date(2024, 1, 1) + timedelta(days=day)), title=f"T{day}"))
    assert Training.objects.count() == 55
    first = client.get(HOME).content.decode()
    assert "55 trainingen, 990 deelnemers in totaal." in first
    assert "Pagina 1 van 2" in first and "T54" in first and "T4<" not in first
    second = client.get(HOME, {"pagina": 2}).content.decode()
    assert "Pagina 2 van 2" in second and "T4<" in second and "T54" not in second

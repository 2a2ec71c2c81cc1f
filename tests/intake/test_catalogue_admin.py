import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user, verified_client):
    return verified_client(make_user(role=Role.ADMIN, team=None))


def _form(**overrides):
    data = {
        "name": "Ondermijning in de haven",
        "code": "haven",
        "description": "Smokkel via de haven.",
        "position": "200",
        "deadline_days": "5",
        "is_active": "on",
        "signs": "Containers die 's nachts worden geopend\nOnbekende boten aan de kade",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-code": "boot",
        "questions-0-text": "Weet u de naam van de boot?",
        "questions-0-kind": "text",
        "questions-0-position": "1",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_category_that_reporters_then_see(admin_client, client):
    response = admin_client.post(reverse("intake:category_create"), _form())
    assert response.status_code == 302
    category = Category.objects.get(code="haven")
    assert [i.text for i in category.indicators.all()][1] == "Onbekende boten aan de kade"
    assert AuditEntry.objects.filter(action="category.create", object_id=str(category.pk)).exists()
    catalogue = {c["code"]: c for c in client.get("/api/v1/categories").json()}
    assert catalogue["haven"]["questions"][0]["code"] == "boot"
    assert "Onbekende boten aan de kade" in client.get("/melden").content.decode()


def test_switched_off_category_disappears_and_is_refused(admin_client, client):
    drugs = Category.objects.get(code="drugs")
    data = _form(
        name=drugs.name, code="drugs", signs="Hennepgeur", **{"questions-TOTAL_FORMS": "0"}
    )
    data.pop("is_active")
    admin_client.post(reverse("intake:category_edit", args=[drugs.pk]), data)
    assert "drugs" not in {c["code"] for c in client.get("/api/v1/categories").json()}
    response = client.post(
        "/api/v1/reports",
        {"category": "drugs", "description": "Hennepgeur bij de schuur."},
        content_type="application/json",
    )
    assert response.json()["invalid_params"][0]["name"] == "category"


def test_choice_question_needs_options_and_form_keeps_input(admin_client):
    response = admin_client.post(
        reverse("intake:category_create"), _form(**{"questions-0-kind": "choice"})
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Ondermijning in de haven" in body
    assert not Category.objects.filter(code="haven").exists()


def test_required_extra_question_must_be_answered(client, admin_client):
    admin_client.post(reverse("intake:category_create"), _form(**{"questions-0-required": "on"}))
    payload = {"category": "haven", "description": "Containers open om drie uur 's nachts."}
    response = client.post("/api/v1/reports", payload, content_type="application/json")
    assert response.json()["invalid_params"][0]["name"] == "answers.boot"
    payload["answers"] = {"boot": "De Zeemeeuw"}
    assert (
        client.post("/api/v1/reports", payload, content_type="application/json").status_code == 201
    )

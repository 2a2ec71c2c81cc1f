"""A reporter names their department and ticks the signs they recognise (issue 17), through
the Meldpunt's page and through the API; both are stored on the report, the department never
in the report's original, and a wrong choice is refused at its field with everything kept."""

import pytest
from django.utils.html import escape

from baken.core.roles import Role
from baken.reports.models import Category, Department, DepartmentSize, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    return {
        "burgerzaken": Department.objects.create(
            code="burgerzaken", name="Burgerzaken", size=DepartmentSize.LARGE, position=1
        ),
        "handhaving": Department.objects.create(
            code="handhaving", name="Handhaving", size=DepartmentSize.SMALL, position=2
        ),
        "oud": Department.objects.create(code="oud", name="Opgeheven", is_active=False),
    }


def _signs(code):
    return list(Category.objects.get(code=code).indicators.all())


def _form(**extra):
    return {
        "category": "drugs",
        "description": "Hennepgeur bij de schuur achter nummer 3.",
        "identity": "anonymous",
        **extra,
    }


def test_the_form_offers_the_active_departments_and_the_signs_to_tick(client, departments):
    body = client.get("/melden").content.decode()
    assert "Uw afdeling" in body and "Wil ik niet zeggen" in body
    assert body.index(">Burgerzaken<") < body.index(">Handhaving (kleine afdeling)<")
    assert "Opgeheven" not in body  # switched off by the administrator
    assert "alleen “kleine afdeling”" in body
    assert "Welke signalen herkent u?" in body
    sign = _signs("drugs")[0]
    assert f'name="sign-drugs" value="{sign.pk}"' in body


def test_an_anonymous_web_report_keeps_its_department_and_signs(client, departments):
    first, second = _signs("drugs")[:2]
    data = _form(reporter_department="handhaving")
    data["sign-drugs"] = [str(first.pk), str(second.pk)]
    response = client.post("/melden", data)
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.is_anonymous
    assert report.department == departments["handhaving"] and report.department_small
    assert set(report.signs.all()) == {first, second}
    assert report.original["signs"] == [first.pk, second.pk]
    assert "department" not in str(report.original) and "handhaving" not in str(report.original)


def test_a_named_reporter_names_a_large_department(client, departments):
    data = _form(
        identity="named",
        reporter_name="Anna de Boer",
        reporter_email="anna@example.org",
        reporter_department="burgerzaken",
    )
    assert client.post("/melden", data).status_code == 201
    report = Report.objects.get()
    assert report.department == departments["burgerzaken"] and not report.department_small
    assert "department" not in str(report.original)


def test_i_would_rather_not_say_stores_no_department(client, departments):
    assert client.post("/melden", _form(reporter_department="")).status_code == 201
    report = Report.objects.get()
    assert report.department is None and not report.department_small
    assert not report.signs.exists()


def test_a_department_switched_off_since_the_form_opened_is_still_taken(client, departments):
    """A report from a form opened earlier, or waiting in a phone's offline outbox, is not
    refused (and lost) because the administrator switched a department off meanwhile."""
    response = _api(
        client,
        {
            "category": "drugs",
            "description": "Hennepgeur bij de schuur.",
            "reporter": {"anonymous": True, "department": "oud"},
        },
    )
    assert response.status_code == 201
    assert Report.objects.get().department == departments["oud"]


def test_a_sign_removed_since_the_form_opened_is_left_out(client, departments):
    sign, gone = _signs("drugs")[:2]
    gone_pk = gone.pk
    gone.delete()
    body = {"category": "drugs", "description": "Hennepgeur.", "signs": [sign.pk, gone_pk]}
    assert _api(client, body).status_code == 201
    report = Report.objects.get()
    assert list(report.signs.all()) == [sign] and report.original["signs"] == [sign.pk]


def test_an_unknown_department_is_refused_with_everything_kept(client, departments):
    code = "bestaat-niet"
    sign = _signs("drugs")[0]
    data = _form(reporter_department=code, **{"person-0-name": "Jan Smit"})
    data["sign-drugs"] = [str(sign.pk)]
    response = client.post("/melden", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies een afdeling uit de lijst." in body
    assert 'href="#f-reporter_department"' in body  # in the error summary, linked
    assert 'aria-invalid="true"' in body[body.index('id="f-reporter_department"') - 300 :]
    assert 'value="Jan Smit"' in body and "Hennepgeur bij de schuur" in body
    assert f'value="{sign.pk}" checked' in body  # the sign stays ticked
    assert Report.objects.count() == 0


def test_a_sign_of_another_category_is_refused_at_the_signs(client, departments):
    other = Category.objects.exclude(code="drugs").first().indicators.first()
    # A tampered form: another category's sign under the chosen one's name.
    data = _form(reporter_department="burgerzaken", **{"sign-drugs": [str(other.pk)]})
    response = client.post("/melden", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kies alleen signalen van de gekozen categorie." in body
    assert 'href="#f-sign-drugs"' in body
    assert '<option value="burgerzaken" selected>' in body
    assert Report.objects.count() == 0
    # The page's script gets the same, by field.
    answer = client.post("/melden", data, HTTP_ACCEPT="application/json")
    assert answer.json()["field_errors"] == {
        "sign-drugs": ["Kies alleen signalen van de gekozen categorie."]
    }


def test_signs_ticked_under_a_category_not_chosen_are_asked_about(client, departments):
    """Without JavaScript nothing unticks them when the reporter picks another category:
    the page asks, rather than dropping them unseen."""
    others = Category.objects.filter(is_active=True, indicators__isnull=False).exclude(code="drugs")
    other = others.exclude(questions__required=True).first()
    sign = other.indicators.first()
    data = _form(category="onbekend", **{f"sign-{other.code}": [str(sign.pk)]})
    response = client.post("/melden", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert f"U heeft signalen van “{escape(other.name)}” aangevinkt" in body
    assert f'href="#f-sign-{other.code}"' in body
    assert f'value="{sign.pk}" checked' in body and "Hennepgeur bij de schuur" in body
    assert Report.objects.count() == 0
    # Chosen after all: the report goes in with the sign.
    data["category"] = other.code
    assert client.post("/melden", data).status_code == 201
    assert list(Report.objects.get().signs.all()) == [sign]


def test_staff_registering_a_phone_report_choose_the_department(
    departments, make_user, verified_client
):
    staff = verified_client(make_user(role=Role.INTAKE))
    assert 'name="reporter_department"' in staff.get("/melden").content.decode()
    data = _form(channel="phone", reporter_department="burgerzaken")
    assert staff.post("/melden", data).status_code == 201
    report = Report.objects.get()
    assert report.channel == "phone" and report.department == departments["burgerzaken"]


def _api(client, payload):
    return client.post("/api/v1/reports", payload, content_type="application/json")


def test_the_api_takes_a_department_and_the_signs_from_the_categories(client, departments):
    categories = {c["code"]: c for c in client.get("/api/v1/categories").json()}
    signs = categories["drugs"]["signs"]
    assert signs[0]["text"] == categories["drugs"]["indicators"][0]  # ids next to the texts
    response = _api(
        client,
        {
            "category": "drugs",
            "description": "Hennepgeur bij de schuur achter nummer 3.",
            "signs": [signs[1]["id"]],
            "reporter": {"anonymous": True, "department": "handhaving"},
        },
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(reference=response.json()["reference"])
    assert report.department == departments["handhaving"] and report.department_small
    assert [s.pk for s in report.signs.all()] == [signs[1]["id"]]
    assert report.original["signs"] == [signs[1]["id"]]
    assert "reporter" not in report.original


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        (
            {"reporter": {"anonymous": True, "department": "bestaat-niet"}},
            "reporter.department",
            "Kies een afdeling uit de lijst.",
        ),
        (
            {"reporter": {"anonymous": False, "name": "Anna", "department": "nergens"}},
            "reporter.department",
            "Kies een afdeling uit de lijst.",
        ),
        ("another category's sign", "signs", "Kies alleen signalen van de gekozen categorie."),
    ],
)
def test_the_api_refuses_a_wrong_department_or_sign_as_a_problem(
    client, departments, payload, field, reason
):
    if payload == "another category's sign":
        other = Category.objects.exclude(code="drugs").filter(indicators__isnull=False).first()
        payload = {"signs": [other.indicators.first().pk]}
    body = {"category": "drugs", "description": "Hennepgeur bij de schuur.", **payload}
    response = _api(client, body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    params = response.json()["invalid_params"]
    assert {"name": field, "code": "unknown", "reason": reason} in params
    assert Report.objects.count() == 0


def test_signs_without_a_category_are_refused(client):
    sign = _signs("drugs")[0]
    response = _api(client, {"description": "Hennepgeur bij de schuur.", "signs": [sign.pk]})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "signs"


def test_a_sign_keeps_its_id_when_the_administrator_saves_the_category(
    client, make_user, verified_client
):
    """A report's recognised signs, and a form opened (or kept offline) before the save,
    name signs by id: editing the list keeps the id of every sign whose text stays."""
    drugs = Category.objects.get(code="drugs")
    kept, dropped = _signs("drugs")[:2]
    texts = [s.text for s in _signs("drugs") if s != dropped] + ["Zware stroomkabels naar binnen"]
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    form = {
        "name": drugs.name,
        "code": "drugs",
        "description": drugs.description,
        "deadline_days": str(drugs.deadline_days),
        "position": str(drugs.position),
        "is_active": "on",
        "signs": "\n".join(texts),
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    assert admin.post(f"/beheer/categorieen/{drugs.pk}", form).status_code == 302
    after = _signs("drugs")
    assert [s.text for s in after] == texts
    assert after[0].pk == kept.pk and dropped.pk not in {s.pk for s in after}

"""What the OpenAPI document promises, kept over the API: files for the media types it
declares, 400 problems for parameters of the wrong type, and the ids a later call needs."""

import pytest

from baken.core.roles import Role
from tests.api.test_triage_api import auth
from tests.cases.test_cases import open_case
from tests.subjects.test_matching import report_naming

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


@pytest.fixture
def case(analyst, north):
    return open_case(north, analyst, title="Loods Havenweg", rationale="Weging 3: ernstig.")


def test_accept_pdf_gets_the_accountability_report(client, analyst, case):
    url = f"/api/v1/cases/{case.pk}/accountability"
    response = client.get(url, HTTP_ACCEPT="application/pdf", **auth(analyst))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Refused with the same Accept: still a problem document, not a broken PDF.
    missing = client.get(
        f"/api/v1/cases/{case.pk + 999}/accountability",
        HTTP_ACCEPT="application/pdf",
        **auth(analyst),
    )
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM
    assert missing.json()["status"] == 404
    # A media type the operation does not give is still a 406 problem.
    other = client.get(url, HTTP_ACCEPT="text/csv", **auth(analyst))
    assert other.status_code == 406 and other["Content-Type"] == PROBLEM


def test_accept_zip_gets_the_handover_package(client, analyst, case):
    response = client.post(
        f"/api/v1/cases/{case.pk}/handovers",
        {
            "recipient_kind": "riec",
            "recipient": "RIEC Noord-Holland",
            "what": "Samenvatting.",
            "legal_basis": "Convenant RIEC, art. 5",
        },
        content_type="application/json",
        HTTP_ACCEPT="application/zip",
        **auth(analyst),
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/zip"
    assert response.content.startswith(b"PK")


def test_accept_csv_gets_an_export_file_or_its_problem(client, analyst):
    import uuid

    response = client.get(
        f"/api/v1/exports/{uuid.uuid4()}/file", HTTP_ACCEPT="text/csv", **auth(analyst)
    )
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("/api/v1/subjects/{subject}/network", {"depth": "veel"}, "depth"),
        ("/api/v1/subjects/{subject}/network", {"depth[a]": "1", "depth": "{}"}, "depth"),
        ("/api/v1/subjects/{subject}/network", {"depth": "9"}, "depth"),
        ("/api/v1/subjects/{subject}/ftm", {"depth": ["1", "2"]}, "depth"),
        ("/api/v1/reports", {"page": ["1", "2"]}, "page"),
        ("/api/v1/reports", {"page": "twee"}, "page"),
        ("/api/v1/reports", {"page": "99"}, "page"),
        ("/api/v1/notifications", {"pageSize": "0"}, "pageSize"),
        ("/api/v1/figures", {"view": "alles"}, "view"),
        ("/api/v1/figures", {"view": ""}, "view"),
        ("/api/v1/reports", {"overdue": "-1"}, "overdue"),
        ("/api/v1/reports", {"status": ["received", "verzonnen"]}, "status.1"),
        ("/api/v1/search", {"q": "Vries", "limit": ["1", "2"]}, "limit"),
    ],
)
def test_parameters_of_the_wrong_type_are_a_400_naming_them(client, analyst, url, params, name):
    from baken.subjects.services import subject_create_from
    from tests.subjects.test_matching import named_in

    report = report_naming(analyst.team, {"type": "person", "name": "Jan de Vries"})
    subject = subject_create_from(report_subject=named_in(report), actor=analyst)
    response = client.get(url.format(subject=subject.pk), params, **auth(analyst))
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert [p["name"] for p in response.json()["invalid_params"]] == [name]


def test_named_subjects_carry_the_id_the_subject_workflow_needs(client, analyst):
    """GET /reports/{id} → report_subject → /report-subjects/{id}/candidates and /subject."""
    report = report_naming(
        analyst.team,
        {"type": "person", "name": "Jan de Vries"},
        {"type": "vehicle", "license_plate": "12-ABC-3"},
    )
    body = client.get(f"/api/v1/reports/{report.pk}", **auth(analyst)).json()
    named = {s["type"]: s["report_subject"] for s in body["subjects"]}
    assert set(named) == {"person", "vehicle"}
    candidates = client.get(
        f"/api/v1/report-subjects/{named['person']}/candidates", **auth(analyst)
    )
    assert candidates.status_code == 200
    made = client.post(
        f"/api/v1/report-subjects/{named['person']}/subject",
        content_type="application/json",
        **auth(analyst),
    )
    assert made.status_code == 201 and made.json()["name"] == "Jan de Vries"
    # Sent back unchanged in an improvement, the ids are not content: nothing changes.
    again = client.patch(
        f"/api/v1/reports/{report.pk}",
        {
            "revision": body["revision"],
            "reason": "Nagekeken.",
            "changes": {"subjects": body["subjects"]},
        },
        content_type="application/json",
        **auth(analyst),
    )
    assert again.status_code == 200, again.content
    assert again.json()["revision"] == body["revision"]


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_a_path_the_api_does_not_have_is_a_404_problem_for_every_method(client, analyst, method):
    response = getattr(client, method)(
        "/api/v1/cases/null/answers", content_type="application/json", **auth(analyst)
    )
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"postcode": 0.5, "house_number": 12}, "postcode"),
        ({"postcode": "1781AB", "house_number": "12"}, "house_number"),
        ({"postcode": "1781AB", "house_number": True}, "house_number"),
    ],
)
def test_a_json_value_of_another_type_is_a_400_not_converted(client, body, name):
    """The document says string and integer: 0.5 is not the text "0.5", "12" not 12."""
    response = client.post("/api/v1/addresses", body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert [p["name"] for p in response.json()["invalid_params"]] == [name]


def test_a_nested_value_of_another_type_is_named_by_its_path(client, analyst):
    report = report_naming(analyst.team, {"type": "person", "name": "Jan de Vries"})
    response = client.post(
        f"/api/v1/reports/{report.pk}/weighing",
        {"answers": [{"criterion": "ernst", "choice": 3, "motivation": "Zo."}]},
        content_type="application/json",
        **auth(analyst),
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["answers.0.choice"]

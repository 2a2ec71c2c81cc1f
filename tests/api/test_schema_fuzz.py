"""Schemathesis against the live document: generated requests for every operation, sent to
the app as an analyst with a token, and every answer checked against the document: no server
error, a documented status, a documented content type, a body of the documented schema.

Bounded to run in a few minutes on SQLite: MAX_EXAMPLES per operation, a fixed seed
(derandomize), no shrinking. Random ids mostly find nothing (404, which must be documented
too); the walk below sends the reads with the ids of real objects, so the success answers
are checked against their schemas as well.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from baken.core.roles import Role
from baken.subjects.services import subject_create_from
from tests.api.test_triage_api import auth
from tests.cases.test_cases import open_case
from tests.subjects.test_matching import named_in, report_naming

pytestmark = pytest.mark.django_db

# More for a deeper search by hand: BAKEN_FUZZ_EXAMPLES=200 pytest tests/api/test_schema_fuzz.py
MAX_EXAMPLES = int(os.environ.get("BAKEN_FUZZ_EXAMPLES", "16"))
# The analyst's role may not read these (the privacy officer's and the configurer's).
NOT_FOR_ANALYSTS = {"/api/v1/audit-entries", "/api/v1/routing-rules"}
# Retention (the privacy officer's; the rules also the functional administrator's, the holds
# also a team lead's): tests/api/test_retention_api.py checks their answers as those roles.
NOT_FOR_ANALYSTS |= {
    f"/api/v1/retention/{path}"
    for path in ("rules", "holds", "destruction-list", "runs", "coming", "unweighed")
}
# The request register (the privacy officer's): tests/rights/test_api.py checks it as that role.
NOT_FOR_ANALYSTS |= {"/api/v1/rights/requests"}
# The registers (the privacy officer's; the processing register also the functional
# administrator's): tests/privacy/test_sharing_register.py and test_processing_register.py check
# their answers against the document as those roles.
NOT_FOR_ANALYSTS |= {
    f"/api/v1/registers/{path}"
    for path in ("sharing", "sharing.csv", "processing", "processing.pdf")
}
# The access review (the privacy officer's): tests/oversight/test_api_document.py checks its
# answers against the document as that role.
NOT_FOR_ANALYSTS |= {"/api/v1/access-review/flags"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


@pytest.fixture
def world(make_user, north):
    """An analyst of team north with a token, a case of north's with its report, and a
    subject registered from a named subject of a north report."""
    analyst = make_user(role=Role.ANALYST, team=north)
    case = open_case(north, analyst, title="Loods Havenweg", rationale="Weging 3: ernstig.")
    report = report_naming(north, {"type": "person", "name": "Jan de Vries"})
    subject = subject_create_from(report_subject=named_in(report), actor=analyst)
    headers = {"Authorization": auth(analyst)["HTTP_AUTHORIZATION"]}
    return {
        "make_user": make_user,
        "headers": headers,
        "analyst": analyst,
        "case": case,
        "report": report,
        "subject": subject,
    }


def _schema():
    django_app = get_wsgi_application()

    def app(environ, start_response):
        # As a web server does: the client's address (the public endpoints' rate limits).
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return django_app(environ, start_response)

    return schemathesis.openapi.from_wsgi("/api/v1/schema", app)


@pytest.fixture(autouse=True)
def _one_connection():
    """The app is called in this thread, inside the test's transaction: as Django's test
    client does, keep the handler from closing the connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _failure(label: str, error: BaseException) -> str:
    return f"{label}: {type(error).__name__}: {str(error).strip()[:1500]}"


def test_generated_requests_get_documented_answers(world):
    schema = _schema()
    failures: list[str] = []
    answered: Counter = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(
            case=operation.as_strategy(GenerationMode.POSITIVE)
            | operation.as_strategy(GenerationMode.NEGATIVE)
        )
        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(headers=world["headers"], checks=CHECKS)
            answered[response.status_code // 100] += 1

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (collect them all)
            failures.append(_failure(operation.label, error))
    assert not failures, f"{len(failures)} operations:\n\n" + "\n\n".join(failures)
    print(f"answers by class: {dict(answered)}")
    # Not vacuous: valid requests were served and invalid ones refused.
    assert answered[2] > 50 and answered[4] > 200


def test_the_reads_of_real_objects_match_the_document(world):
    """Each GET with the ids of objects that exist, so the success answer is checked too."""
    schema = _schema()
    ids = {
        "/api/v1/cases/{id}": world["case"].pk,
        "/api/v1/reports/{id}": world["report"].pk,
        "/api/v1/subjects/{id}": world["subject"].pk,
        "/api/v1/report-subjects/{id}": named_in(world["report"]).pk,
    }
    failures, checked = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue
        path = operation.path if operation.path.startswith("/api") else operation.full_path
        prefix = next((p for p in ids if path.startswith(p)), None)
        if "{" in path and (prefix is None or path.count("{") > 1):
            continue
        params = {"id": ids[prefix]} if prefix else {}
        query = {"q": "Vries"} if path.endswith("/search") else {}
        case = operation.Case(path_parameters=params, query=query)
        try:
            response = case.call_and_validate(headers=world["headers"], checks=CHECKS)
            allowed = 403 if path in NOT_FOR_ANALYSTS else 299
            assert response.status_code <= allowed, f"{response.status_code}: {response.text[:300]}"
            checked += 1
        except Exception as error:  # noqa: BLE001
            failures.append(_failure(operation.label, error))
    assert not failures, "\n\n".join(failures)
    assert checked >= 20


def test_the_writes_answer_as_documented(world, client):
    """A valid request to each kind of write, so that its success answer (and the file
    types) are checked against the document, not only its refusals."""
    from baken.cases.models import StageCriterion
    from baken.insights.overview import overview_build
    from baken.insights.overview_week import Week
    from baken.reports.models import Criterion
    from tests.cases.test_cases import in_analysis

    schema = _schema()
    case, report = world["case"], world["report"]
    failures: list[str] = []

    def send(method, path, *, status, body=None, headers=None, **path_parameters):
        given = {"body": body} if body is not None else {}
        case_ = schema[path][method].Case(path_parameters=path_parameters or None, **given)
        try:
            response = case_.call_and_validate(headers=headers or world["headers"], checks=CHECKS)
            assert response.status_code == status, f"{response.status_code}: {response.text[:400]}"
            return response
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001
            failures.append(_failure(f"{method} {path}", error))
            return None

    anonymous = schema["/api/v1/reports"]["POST"].Case(
        body={"channel": "web", "description": "Er wordt 's nachts in de loods gewerkt."}
    )
    receipt = anonymous.call_and_validate(checks=CHECKS).json()["receipt_code"]
    send("POST", "/api/v1/followup", status=200, body={"receipt_code": receipt})
    send(
        "POST",
        "/api/v1/followup/messages",
        status=201,
        body={"receipt_code": receipt, "text": "Vannacht weer."},
    )
    send(
        "POST",
        "/api/v1/reports/{id}/notes",
        status=201,
        body={"text": "Bekend adres."},
        id=report.pk,
    )
    criterion = Criterion.objects.filter(is_active=True).first()
    answer = {"criterion": criterion.code, "choice": criterion.choices[0], "motivation": "Zo."}
    send("POST", "/api/v1/reports/{id}/criteria", status=200, body=answer, id=report.pk)
    send(
        "POST",
        "/api/v1/reports/{id}/weighing",
        status=200,
        body={"answers": [answer]},
        id=report.pk,
    )
    detail = send("GET", "/api/v1/reports/{id}", status=200, id=report.pk)
    if detail is not None:
        send(
            "PATCH",
            "/api/v1/reports/{id}",
            status=200,
            body={
                "revision": detail.json()["revision"],
                "reason": "Spelling.",
                "changes": {
                    "description": "Er wordt 's nachts in de loods aan de Havenweg gewerkt."
                },
            },
            id=report.pk,
        )
    opened = in_analysis(case.team)
    send(
        "POST",
        "/api/v1/cases",
        status=201,
        body={"reports": [opened.pk], "title": "Tweede loods", "rationale": "Weging 3."},
    )
    stage_criterion = StageCriterion.objects.filter(stage=case.stage_id, fact="").first()
    if stage_criterion is not None:
        send(
            "POST",
            "/api/v1/cases/{id}/answers",
            status=200,
            body={
                "criterion": stage_criterion.code,
                "choice": stage_criterion.choices[0],
                "motivation": "Uit de registers.",
            },
            id=case.pk,
        )
    send("POST", "/api/v1/cases/{id}/notes", status=201, body={"text": "Overleg."}, id=case.pk)
    task = send(
        "POST",
        "/api/v1/cases/{id}/tasks",
        status=201,
        body={"title": "Bellen", "assignee": world["analyst"].pk, "deadline": "2099-01-01"},
        id=case.pk,
    )
    if task is not None:
        send(
            "POST",
            "/api/v1/cases/{id}/tasks/{task_pk}/done",
            status=200,
            id=case.pk,
            task_pk=task.json()["id"],
        )
    send(
        "POST",
        "/api/v1/cases/{id}/consultations",
        status=201,
        body={"source": "brp", "purpose": "Inschrijving."},
        id=case.pk,
    )
    made = send(
        "POST",
        "/api/v1/cases/{id}/interventions",
        status=201,
        body={"kind": "bibob", "start_date": "2026-11-03"},
        id=case.pk,
    )
    if made is not None:
        send(
            "POST",
            "/api/v1/cases/{id}/interventions/{intervention_pk}",
            status=200,
            body={"state": "running"},
            id=case.pk,
            intervention_pk=made.json()["id"],
        )
    send(
        "POST",
        "/api/v1/cases/{id}/handovers",
        status=201,
        body={
            "recipient_kind": "riec",
            "recipient": "RIEC Noord-Holland",
            "what": "Samenvatting.",
            "legal_basis": "Convenant RIEC, art. 5",
        },
        id=case.pk,
    )
    send(
        "POST",
        "/api/v1/reports/{id}/messages",
        status=201,
        body={"text": "Welk adres bedoelt u?"},
        id=report.pk,
    )
    handovers = send("GET", "/api/v1/cases/{id}/handovers", status=200, id=case.pk)
    if handovers is not None:
        send(
            "POST",
            "/api/v1/cases/{id}/handovers/{handover_pk}/notices",
            status=201,
            body={"report": case.reports.first().pk},
            id=case.pk,
            handover_pk=handovers.json()[0]["id"],
        )
    # Other roles: the team lead steers the case, the privacy officer decides on a
    # consultation, the functional administrator previews a rule, management reads a week.
    lead, officer, admin, boss = (
        world["make_user"](role=role, team=team)
        for role, team in (
            (Role.TEAM_LEAD, case.team),
            (Role.PRIVACY_OFFICER, None),
            (Role.ADMIN, None),
            (Role.MANAGEMENT, None),
        )
    )
    as_lead, as_officer, as_admin, as_boss = (
        {"Authorization": auth(user)["HTTP_AUTHORIZATION"]} for user in (lead, officer, admin, boss)
    )
    colleague = world["make_user"](role=Role.ANALYST, team=case.team)
    send(
        "POST",
        "/api/v1/cases/{id}/members",
        status=201,
        body={"user": colleague.pk, "reason": "Kent de buurt."},
        headers=as_lead,
        id=case.pk,
    )
    send(
        "POST",
        "/api/v1/cases/{id}/members/{user_pk}/removal",
        status=204,
        body={"reason": "Klaar."},
        headers=as_lead,
        id=case.pk,
        user_pk=colleague.pk,
    )
    consultations = send("GET", "/api/v1/cases/{id}/consultations", status=200, id=case.pk)
    if consultations is not None:
        send(
            "POST",
            "/api/v1/consultations/{consultation_pk}/decision",
            status=200,
            body={"approve": True, "motivation": "Doelbinding klopt."},
            headers=as_officer,
            consultation_pk=consultations.json()[0]["id"],
        )
    send(
        "POST",
        "/api/v1/routing-rules/preview",
        status=200,
        body={"postcode_prefix": "17"},
        headers=as_admin,
    )
    week = overview_build(week=Week.last_complete())
    for headers in (world["headers"], as_boss):
        send("GET", "/api/v1/weekly-overviews", status=200, headers=headers)
        send(
            "GET",
            "/api/v1/weekly-overviews/{week}",
            status=200,
            headers=headers,
            week=week.week,
        )
    assert not failures, "\n\n".join(failures)

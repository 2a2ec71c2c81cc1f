"""The reporter's side of the dialogue, with nothing but the receipt code."""

import pytest
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.reports.models import Message, Report, StatusChange
from baken.reports.services import report_transition
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def filed(client):
    body = client.post(
        "/api/v1/reports",
        {"description": "Busjes die 's nachts af en aan rijden bij de schuur."},
        content_type="application/json",
    ).json()
    return Report.objects.get(pk=body["id"]), body["receipt_code"]


def test_status_in_plain_dutch_and_the_dialogue(client, filed):
    report, code = filed
    Message.objects.create(
        report=report,
        author="team",
        text="Welke schuur bedoelt u?",
        is_question=True,
        sent_at=timezone.now(),
    )
    body = client.post(
        "/api/v1/followup", {"receipt_code": code}, content_type="application/json"
    ).json()
    assert body["reference"] == report.reference
    assert "ontvangen" in body["status_text"]
    assert body["messages"][0] == {
        "author": "team",
        "text": "Welke schuur bedoelt u?",
        "is_question": True,
        "sent_at": body["messages"][0]["sent_at"],
    }


def test_code_is_accepted_in_any_spelling(client, filed):
    report, code = filed
    sloppy = code.lower().replace("-", " ")
    response = client.post(
        "/api/v1/followup", {"receipt_code": sloppy}, content_type="application/json"
    )
    assert response.json()["reference"] == report.reference


def test_answering_a_question_returns_the_report_to_triage(client, filed, make_user):
    report, code = filed
    analyst = make_user()
    report = report_transition(
        report=report, to_status=Status.IN_TRIAGE, actor=analyst, reason="Triage begins."
    )
    report = report_transition(
        report=report, to_status=Status.AWAITING_REPORTER, actor=analyst, reason="A question."
    )
    response = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": code, "text": "De schuur achter nummer 14."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["messages"][-1]["author"] == "reporter"
    report.refresh_from_db()
    assert report.status == Status.IN_TRIAGE
    last = StatusChange.objects.filter(report=report).last()
    assert (last.from_status, last.to_status, last.actor) == (
        Status.AWAITING_REPORTER,
        Status.IN_TRIAGE,
        None,
    )
    assert AuditEntry.objects.filter(action="report.reporter_message", actor_role="public").exists()


def test_wrong_code_is_404_problem_and_never_500(client, filed):
    for body in [{"receipt_code": "AAAA-BBBB-CCCC-DDDD-EEEE"}, {"receipt_code": ""}, {}, []]:
        response = client.post("/api/v1/followup", body, content_type="application/json")
        assert response.status_code in (400, 404), body
        assert response["Content-Type"] == PROBLEM


def test_empty_message_is_refused(client, filed):
    _report, code = filed
    response = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": code, "text": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "text"


def test_guessing_codes_is_rate_limited(client, settings, filed):
    settings.RATELIMITS = dict(settings.RATELIMITS, followup="3/h")
    codes = [
        client.post(
            "/api/v1/followup",
            {"receipt_code": "XXXX-XXXX-XXXX-XXXX-XXXX"},
            content_type="application/json",
        ).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]


def test_receipt_code_never_in_a_url(client, filed):
    _report, code = filed
    response = client.get(f"/api/v1/followup?receipt_code={code}")
    assert response.status_code == 405

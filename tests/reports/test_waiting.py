"""A way on from "waiting for the reporter": a deadline for the answer, after which the
scheduled task returns the report to the inbox, marked; and a decision without the answer,
with a rationale for not waiting (HTML and API)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baken.core.dates import long
from baken.core.roles import Role
from baken.reports.models import Criterion, Report, StatusChange
from baken.reports.tasks import reporter_answer_overdue
from baken.reports.weighing import question_ask, triage_start
from baken.reports.workflow import REASON_NO_ANSWER, Status
from tests.api.test_triage_api import auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(client, make_user):
    analyst, report, _code = file_and_ask(client, make_user)
    return analyst, report


def file_and_ask(client, make_user):
    """A report from the public API, in the analyst's team, with a question to the reporter;
    the analyst, the report and its receipt code."""
    analyst = make_user(role=Role.ANALYST)
    body = client.post(
        "/api/v1/reports",
        {"description": "Busjes die 's nachts af en aan rijden bij de schuur."},
        content_type="application/json",
    ).json()
    Report.objects.filter(pk=body["id"]).update(team=analyst.team)
    report = Report.objects.get(pk=body["id"])
    triage_start(report=report, actor=analyst)
    question_ask(report=report, actor=analyst, text="Welke schuur bedoelt u?")
    return analyst, Report.objects.get(pk=report.pk), body["receipt_code"]


def asked_days_ago(report, days: int) -> None:
    StatusChange.objects.filter(report=report, to_status=Status.AWAITING_REPORTER).update(
        at=timezone.now() - timedelta(days=days)
    )


def answer_all_mandatory(client, analyst, report) -> None:
    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        response = client.post(
            f"/api/v1/reports/{report.pk}/criteria",
            {"criterion": code, "choice": "ja", "motivation": "Zie melding."},
            content_type="application/json",
            **auth(analyst),
        )
        assert response.status_code == 200


def test_the_task_returns_an_overdue_waiting_report_to_the_inbox_marked(
    client, verified_client, waiting, settings
):
    analyst, report = waiting
    settings.REPORTER_ANSWER_DAYS = 14
    asked_days_ago(report, 13)
    reporter_answer_overdue.call()
    report.refresh_from_db()
    assert report.status == Status.AWAITING_REPORTER  # not yet

    asked_days_ago(report, 15)
    result = reporter_answer_overdue.call()
    assert result == {"returned": [report.reference]}
    report.refresh_from_db()
    assert report.status == Status.IN_TRIAGE
    last = StatusChange.objects.filter(report=report).last()
    assert (last.reason, last.actor) == (REASON_NO_ANSWER, None)

    browser = verified_client(analyst)
    inbox = browser.get("/werkruimte/").content.decode()
    assert "Geen antwoord van de melder binnen 14 dagen" in inbox
    page = browser.get(f"/werkruimte/meldingen/{report.pk}").content.decode()
    assert "Geen antwoord van de melder binnen 14 dagen" in page
    assert "Geen antwoord van de melder binnen de antwoordtermijn." in page  # the history


def test_the_page_shows_the_deadline_and_the_decision_form_while_waiting(
    verified_client, waiting, settings
):
    analyst, report = waiting
    settings.REPORTER_ANSWER_DAYS = 14
    asked_at = StatusChange.objects.get(report=report, to_status=Status.AWAITING_REPORTER).at
    html = verified_client(analyst).get(f"/werkruimte/meldingen/{report.pk}").content.decode()
    assert f"antwoord verwacht vóór {long(asked_at + timedelta(days=14))}" in html
    assert 'name="without_answer"' in html and "Besluit vastleggen" in html


def test_deciding_while_waiting_needs_a_rationale_for_not_waiting_html(
    client, verified_client, waiting
):
    analyst, report = waiting
    answer_all_mandatory(client, analyst, report)
    browser = verified_client(analyst)
    url = f"/werkruimte/meldingen/{report.pk}/besluit"
    refused = browser.post(url, {"kind": "no_action", "rationale": "Geen ondermijning."})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Zeg waarom u besluit zonder het antwoord van de melder." in html
    assert 'href="#id_without_answer"' in html
    report.refresh_from_db()
    assert report.status == Status.AWAITING_REPORTER

    decided = browser.post(
        url,
        {
            "kind": "no_action",
            "rationale": "Geen ondermijning.",
            "without_answer": "De melder reageert al drie weken niet; de rest is duidelijk.",
        },
    )
    assert decided.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.NO_ACTION
    reasons = list(StatusChange.objects.filter(report=report).values_list("reason", flat=True))
    assert "De melder reageert al drie weken niet; de rest is duidelijk." in reasons


def test_deciding_while_waiting_needs_a_rationale_for_not_waiting_api(client, waiting):
    analyst, report = waiting
    answer_all_mandatory(client, analyst, report)
    url = f"/api/v1/reports/{report.pk}/decision"
    refused = client.post(
        url,
        {"kind": "no_action", "rationale": "Geen ondermijning."},
        content_type="application/json",
        **auth(analyst),
    )
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalid_params"]] == ["without_answer"]
    decided = client.post(
        url,
        {"kind": "no_action", "rationale": "Geen ondermijning.", "without_answer": "Te lang."},
        content_type="application/json",
        **auth(analyst),
    )
    assert decided.status_code == 201
    report.refresh_from_db()
    assert report.status == Status.NO_ACTION


def test_the_inbox_marks_a_report_the_reporter_answered(client, verified_client, make_user):
    analyst, _report, code = file_and_ask(client, make_user)
    inbox = verified_client(analyst).get("/werkruimte/").content.decode()
    assert "de melder heeft geantwoord" not in inbox
    answered = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": code, "text": "De schuur achter nummer 14."},
        content_type="application/json",
    )
    assert answered.status_code == 201
    inbox = verified_client(analyst).get("/werkruimte/").content.decode()
    assert "de melder heeft geantwoord" in inbox

"""The rules that had drifted between the case pages and the API live in the services, which
take the actor and refuse on their own (issue 14, ADR 0027): the report of a hand-over
notice, who may mark a task done, the team and handler of a new case. A management command or
a third surface cannot skip them; the page and the API show the same refusal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.cases import services, tasks_work, work
from baken.cases.models import HandoverNotice, Task
from baken.core.refusals import Kind, Refused
from baken.core.roles import Role
from baken.reports.models import Report
from tests.api.test_triage_api import auth
from tests.cases.test_cases import in_analysis

pytestmark = pytest.mark.django_db

NOT_PART_NL = "Deze melding hoorde niet bij de overdracht."
NOT_PART_EN = "This report was not part of the hand-over."


@pytest.fixture
def handover(case, analyst):
    record, _package = work.handover_record(
        case=case,
        recipient_kind="police",
        recipient="Politie",
        what="Samenvatting.",
        legal_basis="Wpg art. 4:3",
        actor=analyst,
    )
    return record


@pytest.fixture
def foreign(north):
    """A report of the analyst's team that was not part of the hand-over."""
    return in_analysis(north)


def test_the_service_refuses_a_notice_about_a_report_the_hand_over_did_not_hold(
    handover, analyst, foreign
):
    with pytest.raises(Refused) as refused:
        work.handover_informed(handover=handover, report=foreign, actor=analyst)
    assert refused.value.kind == Kind.INVALID and "report" in refused.value.problems
    assert not HandoverNotice.objects.exists()
    # The report that was part of it is accepted.
    own = Report.objects.get(pk=handover.reports[0])
    assert work.handover_informed(handover=handover, report=own, actor=analyst).report == own


def test_the_service_refuses_a_notice_from_someone_outside_the_case(handover, make_user, north):
    lead_elsewhere = make_user(role=Role.TEAM_LEAD)  # another team: may not know the case
    own = Report.objects.get(pk=handover.reports[0])
    with pytest.raises(Refused) as refused:
        work.handover_informed(handover=handover, report=own, actor=lead_elsewhere)
    assert refused.value.kind == Kind.NOT_FOUND
    assert not HandoverNotice.objects.exists()


def test_the_api_and_the_page_give_the_same_refusal(
    client, verified_client, case, handover, analyst, foreign
):
    url = reverse("api:case-handover-notices", args=[case.pk, handover.pk])
    dutch = client.post(
        url, {"report": foreign.pk}, content_type="application/json", **auth(analyst)
    )
    assert dutch.status_code == 400 and dutch["Content-Type"] == "application/problem+json"
    [param] = dutch.json()["invalid_params"]
    assert param["name"] == "report" and param["reason"] == NOT_PART_NL
    english = client.post(
        url,
        {"report": foreign.pk},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(analyst),
    )
    assert english.json()["invalid_params"][0]["reason"] == NOT_PART_EN
    page = verified_client(analyst).post(
        reverse("cases:handover_informed", args=[case.pk, handover.pk]), {"report": foreign.pk}
    )
    # Before, the page answered 403 without saying why.
    assert page.status_code == 400 and NOT_PART_NL in page.content.decode()
    assert not HandoverNotice.objects.exists()


@pytest.fixture
def task(case, analyst):
    return tasks_work.task_add(
        case=case,
        title="Bel de politie",
        assignee=analyst,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        actor=analyst,
    )


def test_who_may_mark_a_task_done_is_the_services_rule(task, case, make_user, north):
    intake = make_user(role=Role.INTAKE, team=north)
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    services.member_add(case=case, user=intake, actor=lead, reason="Meelezen.")
    with pytest.raises(Refused) as refused:  # sees the case, does not work in it
        tasks_work.task_done(task=task, actor=intake)
    assert refused.value.kind == Kind.FORBIDDEN
    with pytest.raises(Refused) as refused:  # may not know the case
        tasks_work.task_done(task=task, actor=make_user(role=Role.ANALYST, team=north))
    assert refused.value.kind == Kind.NOT_FOUND
    assert Task.objects.get(pk=task.pk).state == "open"
    assert tasks_work.task_done(task=task, actor=lead).state == "done"  # the team lead may


def test_the_api_refuses_a_task_done_as_the_page_does(
    client, verified_client, task, case, make_user, north
):
    intake = make_user(role=Role.INTAKE, team=north)
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    services.member_add(case=case, user=intake, actor=lead, reason="Meelezen.")
    api = client.post(f"/api/v1/cases/{case.pk}/tasks/{task.pk}/done", **auth(intake))
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    page = verified_client(intake).post(reverse("cases:task_done", args=[case.pk, task.pk]))
    assert page.status_code == 403
    assert Task.objects.get(pk=task.pk).state == "open"


def test_the_team_and_handler_of_a_new_case_are_the_services_rule(analyst, make_user, north):
    report = in_analysis(north)
    intake_of_north = make_user(role=Role.INTAKE, team=north)
    with pytest.raises(Refused) as refused:  # the API used to accept any role of the team
        services.case_open(
            reports=[report],
            title="Loods",
            summary="",
            handler=intake_of_north,
            actor=analyst,
            rationale="Ernstig.",
        )
    assert "handler" in refused.value.problems
    other = make_user(role=Role.ANALYST).team
    with pytest.raises(Refused) as refused:
        services.case_open(
            reports=[report], title="Loods", summary="", handler=None, team=other,
            actor=analyst, rationale="Ernstig.",
        )  # fmt: skip
    assert "team" in refused.value.problems
    with pytest.raises(Refused) as refused:  # intake may not open a case
        services.case_open(
            reports=[report], title="Loods", summary="", handler=None,
            actor=intake_of_north, rationale="Ernstig.",
        )  # fmt: skip
    assert refused.value.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND)
    case = services.case_open(
        reports=[report], title="Loods", summary="", handler=None, actor=analyst,
        rationale="Ernstig.",
    )  # fmt: skip
    assert case.team == north


def test_the_api_refuses_a_handler_outside_the_working_roles(client, analyst, make_user, north):
    report = in_analysis(north)
    intake_of_north = make_user(role=Role.INTAKE, team=north)
    body = {
        "reports": [report.pk],
        "title": "Loods",
        "handler": intake_of_north.pk,
        "rationale": "Ernstig.",
    }
    refused = client.post("/api/v1/cases", body, content_type="application/json", **auth(analyst))
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["name"] == "handler"
    assert not report.cases.exists()
